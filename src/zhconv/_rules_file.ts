/**
 * The rules pre-pass (`wikizh rules DUMP RULES.json`): public conversion groups from
 * `Module:CGroup/<name>` pages and the site-wide `MediaWiki:Conversiontable/<variant>`
 * pages, collected before articles need them.
 *
 * @module
 */

import { RulesError } from "../errors.ts";
import type { PageRecord } from "../types.ts";
import { cgroupRules } from "./_lua.ts";
import { phpTrim, validateVariant } from "./_rule.ts";

/** What `wikizh rules` writes and `--rules` reads. */
export interface RulesFile {
  version: 1;
  /** Group name (as in `{{NoteTA|G1=name}}`) → its rule strings (`zh-cn:…;zh-tw:…`). */
  groups: Record<string, string[]>;
  /** Variant → one-way `from → to` pairs from `MediaWiki:Conversiontable/<variant>`. */
  conversionTable?: Record<string, Record<string, string>>;
}

const MODULE_NS = 828;
const MEDIAWIKI_NS = 8;
const MODULE_PREFIXES = ["Module:CGroup/", "模块:CGroup/", "模組:CGroup/", "Module:CGroup/"];
const TABLE_PREFIX = "MediaWiki:Conversiontable/";

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
      if (name === "" || name.endsWith("/doc") || name === "core") return null;
      return normalizeGroupName(name);
    }
  }
  return null;
}

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

/** Collects every conversion group and conversion table of a dump. */
export async function collectRules(pages: AsyncIterable<PageRecord>): Promise<RulesFile> {
  const groups: Record<string, string[]> = {};
  const conversionTable: Record<string, Record<string, string>> = {};
  for await (const page of pages) {
    if (page.redirect !== null) continue;
    if (page.ns === MODULE_NS) {
      const name = cgroupName(page.title);
      if (name === null) continue;
      let rules: string[];
      try {
        rules = cgroupRules(page.text);
      } catch (e) {
        if (e instanceof RulesError) continue; // a broken module converts nothing on the wiki either
        throw e;
      }
      if (rules.length > 0) groups[name] = rules;
    } else if (page.ns === MEDIAWIKI_NS && page.title.startsWith(TABLE_PREFIX)) {
      const v = validateVariant(page.title.slice(TABLE_PREFIX.length));
      if (v === null) continue;
      const table = parseConversionTable(page.text);
      if (Object.keys(table).length > 0) conversionTable[v] = table;
    }
  }
  const out: RulesFile = { version: 1, groups };
  if (Object.keys(conversionTable).length > 0) out.conversionTable = conversionTable;
  return out;
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
  lines.push(r.conversionTable ? "}," : "}");
  if (r.conversionTable) lines.push(`"conversionTable": ${JSON.stringify(r.conversionTable)}`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
