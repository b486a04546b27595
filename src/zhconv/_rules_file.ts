/**
 * Conversion-group sources: the rules pre-pass (`wikizh rules DUMP RULES.json`) and the
 * pages a multistream index finds — public conversion groups from `Module:CGroup/<name>`
 * and `Template:CGroup/<name>` pages, the redirects (aliases) among them, and the
 * site-wide `MediaWiki:Conversiontable/<variant>` pages.
 *
 * @module
 */

import { RulesError } from "../errors.ts";
import type { PageRecord } from "../types.ts";
import { cgroupRules } from "./_lua.ts";
import { templateGroup } from "./_cgroup_template.ts";
import { phpTrim, validateVariant } from "./_rule.ts";

/** What `wikizh rules` writes and `--rules` reads. */
export interface RulesFile {
  version: 1;
  /** Group name (as in `{{NoteTA|G1=name}}`) → its rule strings (`zh-cn:…;zh-tw:…`). */
  groups: Record<string, string[]>;
  /** Variant → one-way `from → to` pairs from `MediaWiki:Conversiontable/<variant>`. */
  conversionTable?: Record<string, Record<string, string>>;
  /** Other name → group name (redirects among CGroup pages, a group's own `name`). */
  aliases?: Record<string, string>;
}

const MODULE_NS = 828;
const TEMPLATE_NS = 10;
const MEDIAWIKI_NS = 8;
const MODULE_PREFIXES = ["Module:CGroup/", "模块:CGroup/", "模組:CGroup/"];
const TEMPLATE_PREFIXES = ["Template:CGroup/", "模板:CGroup/", "Template:Cgroup/"];
const TABLE_PREFIX = "MediaWiki:Conversiontable/";
/** Template:CGroup subpages that are tools, not groups. */
const TEMPLATE_HELPERS = new Set([
  "Doc",
  "List",
  "Preload",
  "Sandbox",
  "CHead",
  "Editintro",
  "New Style",
]);

/** Group names compare like MediaWiki titles: `_` is a space, the first letter is upper case. */
export function normalizeGroupName(name: string): string {
  const s = phpTrim(name.replace(/_/g, " ")).replace(/ +/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The group name of a CGroup module title, or null for other pages and `/doc` subpages. */
export function cgroupName(title: string): string | null {
  for (const p of MODULE_PREFIXES) {
    if (title.startsWith(p)) {
      const name = title.slice(p.length);
      if (name === "" || name.includes("/") || name === "core") return null;
      return normalizeGroupName(name);
    }
  }
  return null;
}

/** The group name of a `Template:CGroup/<name>` title, or null for other pages and helpers. */
export function cgroupTemplateName(title: string): string | null {
  for (const p of TEMPLATE_PREFIXES) {
    if (title.startsWith(p)) {
      const name = normalizeGroupName(title.slice(p.length));
      if (name === "" || name.includes("/") || TEMPLATE_HELPERS.has(name)) return null;
      return name;
    }
  }
  return null;
}

/** The group a CGroup page title names (module or template), or null. */
function anyCgroupName(title: string): string | null {
  return cgroupName(title) ?? cgroupTemplateName(title);
}

const REQUIRE = /^\s*return\s+require\s*\(?\s*["']([^"']+)["']\s*\)?\s*$/;

/**
 * Reads the `-{ … }-` blocks of a conversion table page: `from => to` entries separated by
 * `;`, list markers and quotes ignored (as MediaWiki's parseCachedTable does).
 */
export function parseConversionTable(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const blocks = text.split("-{");
  for (let b = 1; b < blocks.length; b++) {
    const end = blocks[b].indexOf("}-");
    const body = (end < 0 ? blocks[b] : blocks[b].slice(0, end)).replace(/['"*#]/g, "");
    for (const entry of body.split(";")) {
      const m = entry.split("=>");
      if (m.length !== 2) continue;
      const from = phpTrim(m[0]);
      if (from !== "") out[from] = phpTrim(m[1]);
    }
  }
  return out;
}

/**
 * Gathers groups, aliases and tables page by page, so that pages can be read as they
 * arrive and the result asked for at the end. A module wins over a template of the same
 * name (zhwiki's NoteTA looks for the module first).
 */
export class RulesCollector {
  private readonly modules: Record<string, string[]> = {};
  private readonly templates: Record<string, string[]> = {};
  private readonly aliases: Record<string, string> = {};
  private readonly tables: Record<string, Record<string, string>> = {};

  add(page: PageRecord): void {
    if (page.ns === MODULE_NS || page.ns === TEMPLATE_NS) {
      const name = page.ns === MODULE_NS ? cgroupName(page.title) : cgroupTemplateName(page.title);
      if (name === null) return;
      if (page.redirect !== null) {
        const target = anyCgroupName(page.redirect);
        if (target !== null && target !== name) this.aliases[name] = target;
        return;
      }
      if (page.ns === MODULE_NS) {
        const req = REQUIRE.exec(page.text);
        if (req) {
          const target = cgroupName(req[1]);
          if (target !== null && target !== name) this.aliases[name] = target;
          return;
        }
        try {
          const rules = cgroupRules(page.text);
          if (rules.length > 0) this.modules[name] = rules;
        } catch (e) {
          if (!(e instanceof RulesError)) throw e; // a broken module converts nothing on the wiki either
        }
      } else {
        const g = templateGroup(page.text);
        if (g.rules.length > 0) this.templates[name] = g.rules;
        const own = g.name === null ? "" : normalizeGroupName(g.name);
        if (own !== "" && own !== name && !(own in this.aliases)) this.aliases[own] = name;
      }
    } else if (
      page.ns === MEDIAWIKI_NS && page.redirect === null && page.title.startsWith(TABLE_PREFIX)
    ) {
      const v = validateVariant(page.title.slice(TABLE_PREFIX.length));
      if (v === null) return;
      const table = parseConversionTable(page.text);
      if (Object.keys(table).length > 0) this.tables[v] = table;
    }
  }

  result(): RulesFile {
    const groups: Record<string, string[]> = { ...this.templates, ...this.modules };
    const out: RulesFile = { version: 1, groups };
    if (Object.keys(this.tables).length > 0) out.conversionTable = this.tables;
    const aliases: Record<string, string> = {};
    for (const [from, to] of Object.entries(this.aliases)) {
      if (!(from in groups)) aliases[from] = to; // a real group beats an alias of that name
    }
    if (Object.keys(aliases).length > 0) out.aliases = aliases;
    return out;
  }
}

/** Collects every conversion group, alias and conversion table of a dump. */
export async function collectRules(pages: AsyncIterable<PageRecord>): Promise<RulesFile> {
  const c = new RulesCollector();
  for await (const page of pages) c.add(page);
  return c.result();
}

/**
 * The same from a small set of pages already at hand (e.g. those a multistream index
 * points to: `Module:CGroup/*`, `Template:CGroup/*`, `MediaWiki:Conversiontable/*` and the
 * redirects among them). Pass the result as `ConversionOptions.rules` with
 * `rulesSource: "index"`.
 */
export function rulesFromPages(pages: Iterable<PageRecord>): RulesFile {
  const c = new RulesCollector();
  for (const page of pages) c.add(page);
  return c.result();
}

/** True for the titles {@link rulesFromPages} reads (for picking pages out of an index). */
export function isRulesPageTitle(title: string): boolean {
  return anyCgroupName(title) !== null || title.startsWith(TABLE_PREFIX);
}

function isStringRecord(x: unknown): x is Record<string, string> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  return Object.values(x).every((v) => typeof v === "string");
}

/** Parses and checks a rules file; throws RulesError naming what is wrong. */
export function parseRulesFile(json: string): RulesFile {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new RulesError(`rules file is not JSON: ${(e as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new RulesError("rules file: expected a JSON object");
  }
  const d = data as Record<string, unknown>;
  if (d.version !== 1) throw new RulesError(`rules file: unsupported version ${String(d.version)}`);
  if (typeof d.groups !== "object" || d.groups === null || Array.isArray(d.groups)) {
    throw new RulesError("rules file: `groups` must be an object");
  }
  const groups: Record<string, string[]> = {};
  for (const [name, rules] of Object.entries(d.groups as Record<string, unknown>)) {
    if (!Array.isArray(rules) || !rules.every((r) => typeof r === "string")) {
      throw new RulesError(`rules file: group ${JSON.stringify(name)} must be a list of strings`);
    }
    groups[normalizeGroupName(name)] = rules as string[];
  }
  const out: RulesFile = { version: 1, groups };
  if (d.aliases !== undefined) {
    if (!isStringRecord(d.aliases)) {
      throw new RulesError("rules file: `aliases` must map names to names");
    }
    out.aliases = {};
    for (const [from, to] of Object.entries(d.aliases)) {
      out.aliases[normalizeGroupName(from)] = normalizeGroupName(to);
    }
  }
  if (d.conversionTable !== undefined) {
    const ct = d.conversionTable;
    if (typeof ct !== "object" || ct === null || Array.isArray(ct)) {
      throw new RulesError("rules file: `conversionTable` must be an object");
    }
    out.conversionTable = {};
    for (const [v, table] of Object.entries(ct as Record<string, unknown>)) {
      if (validateVariant(v) === null) {
        throw new RulesError(`rules file: unknown variant ${JSON.stringify(v)}`);
      }
      if (!isStringRecord(table)) {
        throw new RulesError(`rules file: conversionTable[${JSON.stringify(v)}] must map strings`);
      }
      out.conversionTable[v.toLowerCase()] = table;
    }
  }
  return out;
}

/** The JSON text of a rules file (stable key order, one group per line). */
export function serializeRulesFile(r: RulesFile): string {
  const lines: string[] = ["{", '"version": 1,', '"groups": {'];
  const names = Object.keys(r.groups).sort();
  names.forEach((n, k) => {
    lines.push(
      `${JSON.stringify(n)}: ${JSON.stringify(r.groups[n])}${k + 1 < names.length ? "," : ""}`,
    );
  });
  lines.push(r.conversionTable || r.aliases ? "}," : "}");
  if (r.aliases) {
    const sorted = Object.fromEntries(Object.entries(r.aliases).sort(([a], [b]) => a < b ? -1 : 1));
    lines.push(`"aliases": ${JSON.stringify(sorted)}${r.conversionTable ? "," : ""}`);
  }
  if (r.conversionTable) lines.push(`"conversionTable": ${JSON.stringify(r.conversionTable)}`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
