/**
 * MediaWiki's conversion for one variant, as its LanguageConverter does it: one table per
 * variant merged from layers (highest first — for zh-cn: `MediaWiki:Conversiontable/zh-cn`,
 * `ZH_TO_CN`, `MediaWiki:Conversiontable/zh-hans`, `ZH_TO_HANS`; see ZhConverter's
 * `loadDefaultTables` and `postLoadTables`), the page's manual rules merged over it, and
 * one leftmost-longest replacement pass (PHP's `strtr`): at each position the longest key
 * of any layer wins, a page rule wins a tie, and a key removed by `-{-|…}-` is gone from
 * every layer.
 *
 * @module
 */

import {
  CompiledDict,
  convertLayered,
  convertRange,
  type DictLike,
  PIECE,
  pieceEnd,
} from "./_table.ts";
import { ZH_TO_CN, ZH_TO_HANS, ZH_TO_HANT, ZH_TO_HK, ZH_TO_TW } from "./_mw_tables.ts";
import type { RuleLayer } from "./_page_rules.ts";
import type { MwVariant } from "./_rule.ts";

/** Variant → its regional table (ZhConverter's `loadDefaultTables`). */
const REGIONAL: Partial<Record<MwVariant, string>> = {
  "zh-cn": ZH_TO_CN,
  "zh-sg": ZH_TO_CN,
  "zh-my": ZH_TO_CN,
  "zh-tw": ZH_TO_TW,
  "zh-hk": ZH_TO_HK,
  "zh-mo": ZH_TO_HK,
};

const SIMPLIFIED = new Set<MwVariant>(["zh-hans", "zh-cn", "zh-sg", "zh-my"]);

/** The quote entries of the script tables, masked when quotes are kept as written. */
const KEEP_QUOTES: DictLike = [..."「」『』“”‘’"].map((c) => [c, c] as const);

/** Site-wide conversion tables: variant → `from → to` (from `MediaWiki:Conversiontable/*`). */
export type SiteTables = Record<string, Record<string, string>>;

/**
 * The layers of a variant's table, highest priority first: the site table of the variant,
 * its regional table, the site table of its script (zh-hans or zh-hant), the script table.
 * Plain `zh` converts nothing.
 */
export function mwLayers(v: MwVariant, site?: SiteTables, keepQuotes = false): DictLike[] {
  if (v === "zh") return [];
  const script: MwVariant = SIMPLIFIED.has(v) ? "zh-hans" : "zh-hant";
  const layers: DictLike[] = [];
  const siteLayer = (x: MwVariant) => {
    const t = site?.[x];
    if (t) layers.push(Object.entries(t));
  };
  if (v !== script) {
    siteLayer(v);
    layers.push(REGIONAL[v]!);
  }
  siteLayer(script);
  if (keepQuotes) layers.push(KEEP_QUOTES);
  layers.push(script === "zh-hans" ? ZH_TO_HANS : ZH_TO_HANT);
  return layers;
}

// Compiled tables, shared by every converter of this worker: per site-table object, per
// variant and quote choice.
const NO_SITE = {};
const cache = new WeakMap<object, Map<string, CompiledDict>>();

/** The compiled table of a variant (built once per worker). */
export function mwTable(v: MwVariant, site?: SiteTables, keepQuotes = false): CompiledDict {
  const key = site ?? NO_SITE;
  let m = cache.get(key);
  if (!m) cache.set(key, m = new Map());
  const k = `${v}|${keepQuotes}`;
  let d = m.get(k);
  if (!d) m.set(k, d = new CompiledDict(mwLayers(v, site, keepQuotes), false));
  return d;
}

/**
 * Converts `s` with a variant's table and the page's rules in one leftmost-longest pass.
 * Without page rules this is the table's own fast pass.
 */
export function convertMw(d: CompiledDict, s: string, page: RuleLayer | null): string {
  if (page === null || page.size === 0) {
    if (s.length <= PIECE) return convertRange(d, s)!;
    // Long text in pieces cut after a newline (no table key holds one): small buffers.
    const out: string[] = [];
    for (let from = 0; from < s.length;) {
      const cut = pieceEnd(s, from);
      out.push(convertRange(d, s, from, cut)!);
      from = cut;
    }
    return out.join("");
  }
  return convertLayered(d, s, page);
}
