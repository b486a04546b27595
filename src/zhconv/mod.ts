/**
 * Variant conversion: what a reader of one Chinese variant sees of a zhwiki page.
 *
 * A page's segments are read in order: `-{…}-` nodes (conv segments) display per variant
 * and add or remove page rules from where they appear; NoteTA groups add a public group's
 * rules; prose goes through the page rules, then the dump-wide conversion table, then the
 * OpenCC tables (a fast converter of our own over opencc-js's dictionaries, byte-identical
 * to opencc-js).
 *
 * Variant tables: simplified variants (zh-cn, zh-hans, zh-sg, zh-my) use OpenCC t2s.
 * Traditional variants first normalise with t2s and then apply s2tw (zh-tw), s2hk (zh-hk)
 * or s2t (zh-hant): wikitext mixes both scripts, and OpenCC's s2* tables only go one way,
 * so a simplified pivot keeps e.g. 软件/軟件 from coming out in two spellings.
 * zh-cn also turns 「」『』 into “”‘’ in converted text, as MediaWiki's zh-cn table does
 * (text kept verbatim by `-{R|…}-`, `<code>`, `<math>`… is left alone).
 *
 * Where wikizh knowingly differs from MediaWiki (which merges page rules into its own
 * character tables and applies one leftmost-longest replacement):
 * - page rules are matched first and OpenCC converts the text between matches;
 * - a variant table with no entry in the reader's fallback chain shows its first entry
 *   (MediaWiki shows an error message);
 * - `-{T|text}-` without variant entries sets a title that is still converted (MediaWiki
 *   shows it as written);
 * - `-{zh-hans;zh-hant|text}-` converts with the output variant's tables even when only a
 *   fallback is listed; `-{-|…}-` removes page and dump-wide rules, not OpenCC entries.
 *
 * @module
 */

import type { Article, CleanPage, Segment } from "../types.ts";
import { type ChainSpec, type CompiledDict, ConverterChain, type DictLike } from "./_table.ts";
import { S2HK, S2T, S2TW, T2S } from "./_dicts.ts";
import { applyRule, type MwVariant } from "./_rule.ts";
import { convertWithRules, RuleLayer } from "./_page_rules.ts";
import { normalizeGroupName, type RulesFile } from "./_rules_file.ts";

export {
  cgroupName,
  collectRules,
  normalizeGroupName,
  parseConversionTable,
  parseRulesFile,
  type RulesFile,
  serializeRulesFile,
} from "./_rules_file.ts";
export { cgroupRules, readLua } from "./_lua.ts";

/** Output variants. */
export type Variant = "zh-cn" | "zh-hans" | "zh-sg" | "zh-my" | "zh-tw" | "zh-hk" | "zh-hant";

/** All output variants, default first. */
export const VARIANTS: readonly Variant[] = [
  "zh-cn",
  "zh-hans",
  "zh-sg",
  "zh-my",
  "zh-tw",
  "zh-hk",
  "zh-hant",
];

/** Options of the variant stage. */
export interface ConversionOptions {
  /** Output variant; default "zh-cn". */
  variant?: Variant;
  /** zh-cn only: keep 「」『』 instead of “”‘’. */
  keepCornerQuotes?: boolean;
  /** Conversion groups and tables from `wikizh rules`. */
  rules?: RulesFile;
}

/** Converts pages; built once (tables), then cheap per page. */
export interface PageConverter {
  readonly variant: Variant;
  /** Converts one page. Pure and synchronous. */
  convertPage(page: CleanPage): Article;
  /** Table conversion only (no page rules): redirect lines, categories. */
  convertText(s: string): string;
}

// Compiled dictionaries are shared by every converter of this worker.
const dictCache = new Map<readonly DictLike[], CompiledDict>();
const chainCache = new Map<ChainSpec, ConverterChain>();

function chain(spec: ChainSpec): ConverterChain {
  let c = chainCache.get(spec);
  if (!c) chainCache.set(spec, c = new ConverterChain(spec, dictCache));
  return c;
}

/** Table conversion for a variant: t2s, then the traditional tables where needed. */
export function createTextConverter(
  variant: Variant = "zh-cn",
  keepCornerQuotes = false,
): (s: string) => string {
  const t2s = chain(T2S);
  const second = variant === "zh-tw"
    ? chain(S2TW)
    : variant === "zh-hk"
    ? chain(S2HK)
    : variant === "zh-hant"
    ? chain(S2T)
    : null;
  const quotes = variant === "zh-cn" && !keepCornerQuotes;
  return (s) => {
    let r = t2s.convert(s);
    if (second) r = second.convert(r);
    return quotes ? cornerQuotes(r) : r;
  };
}

function cornerQuotes(s: string): string {
  if (!/[「」『』]/.test(s)) return s;
  return s.replaceAll("「", "“").replaceAll("」", "”").replaceAll("『", "‘").replaceAll("』", "’");
}

/** Dump-wide one-way rules for a variant: its own table over its parent's (zh-hans/zh-hant). */
function globalLayer(rules: RulesFile | undefined, variant: Variant): RuleLayer | null {
  const ct = rules?.conversionTable;
  if (!ct) return null;
  const parent = ["zh-cn", "zh-sg", "zh-my"].includes(variant)
    ? "zh-hans"
    : ["zh-tw", "zh-hk"].includes(variant)
    ? "zh-hant"
    : null;
  const layer = new RuleLayer();
  for (const v of parent ? [parent, variant] : [variant]) {
    for (const [from, to] of Object.entries(ct[v] ?? {})) layer.set(from, to);
  }
  return layer.size > 0 ? layer : null;
}

/**
 * Resolves `-{…}-` nested inside a node's text, innermost first, replacing each with what
 * `inner` returns for it (its display); unclosed openers stay as text. Explicit stack, and
 * each marker position is searched for once, so any depth and length stays linear.
 */
function resolveNested(s: string, inner: (rule: string) => string): string {
  if (s.indexOf("-{") < 0) return s;
  const stack: string[] = [""];
  let i = 0;
  let open = s.indexOf("-{");
  let close = s.indexOf("}-");
  while (i < s.length) {
    if (open >= 0 && open < i) open = s.indexOf("-{", i);
    if (close >= 0 && close < i) close = s.indexOf("}-", i);
    const top = stack.length - 1;
    if (open < 0 && close < 0) {
      stack[top] += s.slice(i);
      break;
    }
    if (open >= 0 && (close < 0 || open < close)) {
      stack[top] += s.slice(i, open);
      stack.push("");
      i = open + 2;
    } else {
      stack[top] += s.slice(i, close);
      if (top > 0) {
        const r = stack.pop()!;
        stack[top - 1] += inner(r);
      } else stack[0] += "}-";
      i = close + 2;
    }
  }
  while (stack.length > 1) {
    const r = stack.pop()!;
    stack[stack.length - 1] += "-{" + r;
  }
  return stack[0];
}

/** Final tidy: trim every line, drop empty ones (a node may render to nothing). */
function tidy(s: string): string {
  const out: string[] = [];
  for (const line of s.split("\n")) {
    const t = line.trim();
    if (t !== "") out.push(t);
  }
  return out.join("\n");
}

/** Builds a converter for one variant; tables load once per worker. */
export function createPageConverter(options: ConversionOptions = {}): PageConverter {
  const variant = options.variant ?? "zh-cn";
  const target: MwVariant = variant;
  const tables = createTextConverter(variant, options.keepCornerQuotes ?? false);
  const global = globalLayer(options.rules, variant);
  const groups = new Map<string, string[]>();
  for (const [name, rules] of Object.entries(options.rules?.groups ?? {})) {
    groups.set(normalizeGroupName(name), rules);
  }
  // A group's pairs for this variant, computed once per group.
  const groupPairs = new Map<string, [string, string][]>();
  const pairsOf = (name: string): [string, string][] | null => {
    let p = groupPairs.get(name);
    if (p) return p;
    const rules = groups.get(name);
    if (!rules) return null;
    p = [];
    for (const r of rules) {
      const o = applyRule("H|" + r, target);
      if (o.action === "add") p.push(...o.table);
    }
    groupPairs.set(name, p);
    return p;
  };

  function convertPage(page: CleanPage): Article {
    const nocc = page.segments.some((s: Segment) => s.kind === "nocc");
    const rules = new RuleLayer();
    const unresolved: string[] = [];
    let title: { text: string; convert: boolean } | undefined;
    const conv = (s: string) => nocc ? s : convertWithRules(s, rules, global, tables);
    // One node: apply its rule actions, remember a title, return what it displays.
    const node = (inner: string): string => {
      const o = applyRule(inner, target);
      if (o.action === "add") { for (const [from, to] of o.table) rules.set(from, to); }
      else if (o.action === "remove") { for (const from of o.table.keys()) rules.set(from, null); }
      if (o.title) title = o.title;
      return o.convertDisplay ? conv(o.display) : o.display;
    };
    let text = "";
    if (page.status === "article") {
      const parts: string[] = [];
      // Adjacent text segments are converted together, as MediaWiki converts the page's
      // text as a whole between -{}- nodes (and fewer, longer calls are faster).
      let pending = "";
      for (const seg of page.segments) {
        if (seg.kind === "text") {
          pending += seg.text;
          continue;
        }
        if (pending !== "") {
          parts.push(conv(pending));
          pending = "";
        }
        switch (seg.kind) {
          case "raw":
            parts.push(seg.text);
            break;
          case "nocc":
            break;
          case "group": {
            const name = normalizeGroupName(seg.text);
            const pairs = pairsOf(name);
            if (pairs === null) {
              if (name !== "" && !unresolved.includes(name)) unresolved.push(name);
            } else for (const [from, to] of pairs) rules.set(from, to);
            break;
          }
          case "conv": {
            const shown = node(resolveNested(seg.text, node));
            if (shown !== "") parts.push(shown);
            break;
          }
        }
      }
      if (pending !== "") parts.push(conv(pending));
      text = tidy(parts.join(""));
    }
    let outTitle: string;
    if (title) {
      outTitle = title.convert ? convertWithRules(title.text, rules, global, tables) : title.text;
    } else outTitle = convertWithRules(page.title, rules, global, tables);
    return {
      id: page.id,
      ns: page.ns,
      title: outTitle,
      status: page.status,
      redirect: page.redirect === null ? null : tables(page.redirect),
      text,
      categories: page.categories.map(tables),
      unknownTemplates: page.unknownTemplates,
      unresolvedGroups: unresolved,
    };
  }

  return { variant, convertPage, convertText: tables };
}

/** The variant stage as a stream of pages. */
export class VariantConversionStream extends TransformStream<CleanPage, Article> {
  constructor(options?: ConversionOptions) {
    let converter: PageConverter | null = null;
    super({
      transform(page, controller) {
        // Tables are built on the first page, so constructing the stream stays cheap.
        converter ??= createPageConverter(options);
        controller.enqueue(converter.convertPage(page));
      },
    });
  }
}
