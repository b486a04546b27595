/**
 * Variant conversion: what a reader of one Chinese variant sees of a zhwiki page.
 *
 * A page's segments are read in order: `-{…}-` nodes (conv segments) display per variant
 * and add or remove page rules from where they appear; NoteTA groups add a public group's
 * rules; prose is converted with the page rules over the variant's tables.
 *
 * Two converters:
 * - `mediawiki` (the default): MediaWiki's LanguageConverter. The variant's table is the
 *   dump's `MediaWiki:Conversiontable/<variant>` over MediaWiki's regional table
 *   (`ZH_TO_CN`, `ZH_TO_TW`, `ZH_TO_HK`) over `Conversiontable/zh-hans|zh-hant` over the
 *   script table (`ZH_TO_HANS`, `ZH_TO_HANT`); page rules merge over it, and one
 *   leftmost-longest pass converts (see `_mw.ts`). The script tables turn 「」『』 into
 *   “”‘’ for simplified readers (and back for traditional ones), in the same pass.
 * - `opencc`: OpenCC's tables through a fast converter of our own, byte-identical to
 *   opencc-js. Simplified variants use t2s; traditional ones normalise with t2s, then apply
 *   s2tw, s2hk or s2t (a simplified pivot keeps 软件/軟件 from coming out in two
 *   spellings); zh-cn also turns 「」『』 into “”‘’ (folded into the t2s pass). Page and
 *   dump-wide rules are matched first and OpenCC converts the text between matches.
 *
 * Conversion groups come from `ConversionOptions.rules` (a rules file, or the pages a
 * multistream index found), else from the bundled snapshot of zhwiki's groups.
 *
 * Where wikizh knowingly differs from MediaWiki:
 * - a variant table with no entry in the reader's fallback chain shows its first entry
 *   (MediaWiki shows an error message);
 * - a node whose text is only empty variant entries (`zh-hans:;zh-hant:;`, what a branch
 *   the cleaner emptied leaves) shows nothing (MediaWiki shows the entries);
 * - `-{N|code}-` names a language other than a zh variant by its autonym from the runtime's
 *   CLDR data (MediaWiki from its Names.php: they agree on common languages), or not at all
 *   where the runtime has no locale for it.
 *
 * @module
 */

import type { Article, CleanPage, Section, Segment } from "../types.ts";
import { type ChainSpec, type CompiledDict, ConverterChain, type DictLike } from "./_table.ts";
import { S2HK, S2T, S2TW, T2S, T2S_QUOTES } from "./_dicts.ts";
import { applyRule, type MwVariant } from "./_rule.ts";
import { convertWithRules, RuleLayer } from "./_page_rules.ts";
import { normalizeGroupName, type RulesFile } from "./_rules_file.ts";
import { convertMw, mwTable } from "./_mw.ts";
import { CGROUPS_INFO, snapshotGroup } from "./_snapshot.ts";

export {
  cgroupName,
  cgroupTemplateName,
  collectRules,
  isRulesPageTitle,
  normalizeGroupName,
  parseConversionTable,
  parseRulesFile,
  RulesCollector,
  type RulesFile,
  rulesFromPages,
  serializeRulesFile,
} from "./_rules_file.ts";
export { cgroupRules, readLua } from "./_lua.ts";
export { templateGroup } from "./_cgroup_template.ts";
export { CGROUPS_INFO };

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

/** Which tables convert: MediaWiki's (default) or OpenCC's. */
export type Converter = "mediawiki" | "opencc";

/** The converters, default first. */
export const CONVERTERS: readonly Converter[] = ["mediawiki", "opencc"];

/** Where a page's conversion groups come from. */
export type GroupSource = "index" | "rules file" | "snapshot";

/** Options of the variant stage (structured-cloneable: workers receive them). */
export interface ConversionOptions {
  /** Output variant; default "zh-cn". */
  variant?: Variant;
  /** Keep 「」『』 (and “”‘’) as written instead of converting them. */
  keepCornerQuotes?: boolean;
  /** Conversion tables; default "mediawiki". */
  converter?: Converter;
  /** Conversion groups and tables: from `wikizh rules`, or {@link rulesFromPages}. */
  rules?: RulesFile;
  /** Where `rules` came from; default "rules file". */
  rulesSource?: "index" | "rules file";
  /** Use the bundled snapshot of zhwiki's groups when `rules` has none; default true. */
  snapshot?: boolean;
}

/** Where the groups of a conversion with these options come from (for the summary). */
export function groupSource(options: ConversionOptions = {}): GroupSource | "none" {
  const r = options.rules;
  if (r && Object.keys(r.groups).length > 0) return options.rulesSource ?? "rules file";
  return options.snapshot === false ? "none" : "snapshot";
}

/** Converts pages; built once (tables), then cheap per page. */
export interface PageConverter {
  readonly variant: Variant;
  /** Converts one page. Pure and synchronous. */
  convertPage(page: CleanPage): Article;
  /** Table conversion only (no page rules): redirect lines, categories. */
  convertText(s: string): string;
}

// Compiled OpenCC dictionaries are shared by every converter of this worker.
const dictCache = new Map<readonly DictLike[], CompiledDict>();
const chainCache = new Map<ChainSpec, ConverterChain>();

function chain(spec: ChainSpec): ConverterChain {
  let c = chainCache.get(spec);
  if (!c) chainCache.set(spec, c = new ConverterChain(spec, dictCache));
  return c;
}

function openccText(variant: Variant, keepCornerQuotes: boolean): (s: string) => string {
  if (variant === "zh-cn" && !keepCornerQuotes) {
    const t = chain(T2S_QUOTES);
    return (s) => t.convert(s);
  }
  const t2s = chain(T2S);
  const second = variant === "zh-tw"
    ? chain(S2TW)
    : variant === "zh-hk"
    ? chain(S2HK)
    : variant === "zh-hant"
    ? chain(S2T)
    : null;
  return second ? (s) => second.convert(t2s.convert(s)) : (s) => t2s.convert(s);
}

/** Table conversion for a variant, without page rules. */
export function createTextConverter(
  variant: Variant = "zh-cn",
  keepCornerQuotes = false,
  converter: Converter = "mediawiki",
  rules?: RulesFile,
): (s: string) => string {
  if (converter === "opencc") return openccText(variant, keepCornerQuotes);
  const d = mwTable(variant, rules?.conversionTable, keepCornerQuotes);
  return (s) => convertMw(d, s, null);
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

/** Converts text for one MediaWiki variant: with page rules, or tables only (null). */
type Engine = (s: string, page: RuleLayer | null) => string;

/** The engine of any MediaWiki variant (also zh-mo and zh, which `-{…}-` can name). */
function engineFor(options: ConversionOptions, v: MwVariant): Engine {
  const quotes = options.keepCornerQuotes ?? false;
  if ((options.converter ?? "mediawiki") === "mediawiki") {
    const d = mwTable(v, options.rules?.conversionTable, quotes);
    return (s, page) => convertMw(d, s, page);
  }
  if (v === "zh") return (s) => s;
  const out: Variant = v === "zh-mo" ? "zh-hk" : v;
  const tables = openccText(out, quotes);
  const global = globalLayer(options.rules, out);
  return (s, page) => convertWithRules(s, page, global, tables);
}

/** Looks groups up in the given rules (with aliases), else in the snapshot. */
function groupLookup(options: ConversionOptions): (name: string) => string[] | null {
  const r = options.rules;
  const own = new Map<string, string[]>();
  for (const [name, rules] of Object.entries(r?.groups ?? {})) {
    own.set(normalizeGroupName(name), rules);
  }
  const aliases = new Map<string, string>();
  for (const [from, to] of Object.entries(r?.aliases ?? {})) {
    aliases.set(normalizeGroupName(from), normalizeGroupName(to));
  }
  const useSnapshot = own.size === 0 && options.snapshot !== false;
  return (name) => {
    let n = name;
    // Follow aliases a few steps (redirect chains are short; loops end here).
    for (let k = 0; k < 5 && !own.has(n) && aliases.has(n); k++) n = aliases.get(n)!;
    const g = own.get(n);
    if (g) return g;
    return useSnapshot ? snapshotGroup(name) : null;
  };
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

/** Whether `String.prototype.trim` removes `u` (white space or a line terminator). */
function trimmable(u: number): boolean {
  if (u <= 0x20) return u === 0x20 || (u >= 0x09 && u <= 0x0d);
  if (u < 0xa0) return false;
  return u === 0xa0 || u === 0x1680 || (u >= 0x2000 && u <= 0x200a) || u === 0x2028 ||
    u === 0x2029 || u === 0x202f || u === 0x205f || u === 0x3000 || u === 0xfeff;
}

// Called through `call`, as in `_table.ts` (its own copies: see there).
const charCodeAt = String.prototype.charCodeAt;
const indexOf = String.prototype.indexOf;

/**
 * Final tidy: trim every line, drop empty ones (a node may render to nothing). Runs of
 * lines that need neither go on as one slice each: the cleaner's paragraphs are nearly
 * always tidy, but blank lines part them, so splitting every line and joining them again
 * took 3.7× the time on a run's 190,000 sections, replayed.
 */
function tidy(s: string): string {
  const pieces: string[] = [];
  /** The run of tidy lines being gathered: [runStart, runEnd), or runStart -1. */
  let runStart = -1;
  let runEnd = 0;
  for (let from = 0;;) {
    const nl = indexOf.call(s, "\n", from);
    const to = nl < 0 ? s.length : nl;
    if (
      to > from && !trimmable(charCodeAt.call(s, from)) && !trimmable(charCodeAt.call(s, to - 1))
    ) {
      if (runStart < 0) runStart = from;
      runEnd = to;
    } else {
      if (runStart >= 0) pieces.push(s.slice(runStart, runEnd));
      runStart = -1;
      if (to > from) {
        const t = s.slice(from, to).trim();
        if (t !== "") pieces.push(t);
      }
    }
    if (nl < 0) break;
    from = nl + 1;
  }
  if (runStart === 0 && runEnd === s.length) return s;
  if (runStart >= 0) pieces.push(s.slice(runStart, runEnd));
  return pieces.length === 1 ? pieces[0] : pieces.join("\n");
}

/** A rule action of the page, kept so that another variant's rules can be replayed. */
type LogEntry = { rule: string } | { group: string };

/** Builds a converter for one variant; tables load once per worker. */
export function createPageConverter(options: ConversionOptions = {}): PageConverter {
  const variant = options.variant ?? "zh-cn";
  const target: MwVariant = variant;
  const engines = new Map<MwVariant, Engine>();
  const engine = (v: MwVariant): Engine => {
    let e = engines.get(v);
    if (!e) engines.set(v, e = engineFor(options, v));
    return e;
  };
  const main = engine(target);
  const tables = (s: string) => main(s, null);
  const lookup = groupLookup(options);
  // A group's pairs for a variant, computed once per group and variant.
  const groupPairs = new Map<string, [string, string][] | null>();
  const pairsOf = (name: string, v: MwVariant): [string, string][] | null => {
    const key = v + "\u0000" + name;
    let p = groupPairs.get(key);
    if (p !== undefined) return p;
    const rules = lookup(name);
    if (rules === null) p = null;
    else {
      p = [];
      for (const r of rules) {
        const o = applyRule("H|" + r, v);
        if (o.action === "add") { for (const pair of o.table) p.push(pair); }
      }
    }
    groupPairs.set(key, p);
    return p;
  };

  // The layer after a page's first groups, by their names, when no other rule came before
  // them (NoteTA at the top of a page): the next page with the same groups starts from a
  // clone (which copies nothing until the page adds a rule). Bounded, as a layer of large
  // groups holds two 64 KB filters and thousands of rules: the common combinations come
  // early, and a full cache just stops adding.
  const groupLayers = new Map<string, RuleLayer>();
  const MAX_GROUP_LAYERS = 32;

  function convertPage(page: CleanPage): Article {
    const nocc = page.segments.some((s: Segment) => s.kind === "nocc");
    let rules = new RuleLayer();
    /** The groups that alone made `rules` so far, or null once anything else added a rule. */
    let groupsOnly: string | null = "";
    const unresolved: string[] = [];
    const log: LogEntry[] = [];
    // Other variants' page rules, replayed from the log when a node asks for them.
    const replayed = new Map<MwVariant, { layer: RuleLayer; upTo: number }>();
    let title: { text: string; convert: boolean } | undefined;
    const apply = (layer: RuleLayer, e: LogEntry, v: MwVariant) => {
      if ("group" in e) {
        for (const [from, to] of pairsOf(e.group, v) ?? []) layer.set(from, to);
        return;
      }
      const o = applyRule(e.rule, v);
      if (o.action === "add") { for (const [from, to] of o.table) layer.set(from, to); }
      else if (o.action === "remove") { for (const from of o.table.keys()) layer.set(from, null); }
    };
    const convertAs = (v: MwVariant, s: string): string => {
      if (nocc) return s;
      if (v === target) return main(s, rules);
      let r = replayed.get(v);
      if (!r) replayed.set(v, r = { layer: new RuleLayer(), upTo: 0 });
      for (; r.upTo < log.length; r.upTo++) apply(r.layer, log[r.upTo], v);
      return engine(v)(s, r.layer);
    };
    const conv = (s: string) => nocc ? s : main(s, rules);
    // One node: apply its rule actions, remember a title, return what it displays.
    const node = (inner: string): string => {
      const o = applyRule(inner, target);
      if (o.action === "add") { for (const [from, to] of o.table) rules.set(from, to); }
      else if (o.action === "remove") { for (const from of o.table.keys()) rules.set(from, null); }
      if (o.action !== "none") {
        groupsOnly = null;
        log.push({ rule: inner });
      }
      if (o.title) title = o.title;
      if (o.convertTo === null) return o.display;
      if (o.tablesOnly) return engine(o.convertTo)(o.display, null);
      return convertAs(o.convertTo, o.display);
    };
    const sections: Section[] = [];
    let text = "";
    // An empty page's segments show nothing, but may set or convert its title.
    if (page.status === "article" || page.status === "empty") {
      const parts: string[] = [];
      // The current section: its title, level and where its text starts in `parts`.
      let sec = { title: "", level: 1, from: 0 };
      // The page's text is its sections' texts one per line, when every section boundary
      // falls at a line break (else lines would join across it): one tidy pass, not two.
      let atLineStart = true;
      let sectionsMakeText = true;
      const closeSection = () => {
        const raw = parts.length - sec.from === 1
          ? parts[sec.from]
          : parts.slice(sec.from).join("");
        if (raw !== "") {
          if (!atLineStart && raw.charCodeAt(0) !== 10) sectionsMakeText = false;
          atLineStart = raw.charCodeAt(raw.length - 1) === 10;
        }
        const t = tidy(raw);
        if (t !== "") sections.push({ title: sec.title, level: sec.level, text: t });
      };
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
          case "heading":
            closeSection();
            sec = { title: tidy(conv(seg.text)), level: seg.level ?? 2, from: parts.length };
            break;
          case "group": {
            const name = normalizeGroupName(seg.text);
            const pairs = pairsOf(name, target);
            if (pairs === null) {
              if (name !== "" && !unresolved.includes(name)) unresolved.push(name);
            } else {
              if (groupsOnly === null) { for (const [from, to] of pairs) rules.set(from, to); }
              else {
                groupsOnly += name + "\u0000";
                const cached = groupLayers.get(groupsOnly);
                if (cached !== undefined) rules = cached.clone();
                else {
                  for (const [from, to] of pairs) rules.set(from, to);
                  if (groupLayers.size < MAX_GROUP_LAYERS) {
                    groupLayers.set(groupsOnly, rules.clone());
                  }
                }
              }
              log.push({ group: name });
            }
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
      closeSection();
      if (page.status === "article") {
        text = sectionsMakeText ? sections.map((x) => x.text).join("\n") : tidy(parts.join(""));
      }
    }
    let outTitle: string;
    if (title) outTitle = title.convert ? main(title.text, rules) : title.text;
    else outTitle = main(page.title, rules);
    const article: Article = {
      id: page.id,
      ns: page.ns,
      title: outTitle,
      sourceTitle: page.title,
      status: page.status,
      redirect: page.redirect === null ? null : tables(page.redirect),
      text,
      categories: page.categories.map(tables),
      unknownTemplates: page.unknownTemplates,
      unresolvedGroups: unresolved,
    };
    if (page.unknownInline !== undefined) article.unknownInline = page.unknownInline;
    if (page.status === "article") article.sections = sections;
    return article;
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
