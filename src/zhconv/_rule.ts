/**
 * The inside of one `-{…}-` node, read the way MediaWiki's ConverterRule reads it:
 * flags before the first `|`, rules split at `;` only where the next entry names a
 * variant, bidirectional `variant:text` and one-way `from=>variant:text` entries, the
 * variant fallback chains and the per-variant "manual level" of ZhConverter.
 *
 * @module
 */

import { MW_VARIANT_CODES } from "../types.ts";

/** Every variant code MediaWiki's ZhConverter knows, in its order. */
export const MW_VARIANTS = MW_VARIANT_CODES;
export type MwVariant = typeof MW_VARIANTS[number];

const VARIANT_SET = new Set<string>(MW_VARIANTS);

/** Where a variant looks when a rule has no entry for it. */
export const FALLBACKS: Record<MwVariant, readonly MwVariant[]> = {
  "zh": ["zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk", "zh-sg", "zh-mo", "zh-my"],
  "zh-hans": ["zh-cn", "zh-sg", "zh-my"],
  "zh-hant": ["zh-tw", "zh-hk", "zh-mo"],
  "zh-cn": ["zh-hans", "zh-sg", "zh-my"],
  "zh-sg": ["zh-my", "zh-hans", "zh-cn"],
  "zh-my": ["zh-sg", "zh-hans", "zh-cn"],
  "zh-tw": ["zh-hant", "zh-hk", "zh-mo"],
  "zh-hk": ["zh-mo", "zh-hant", "zh-tw"],
  "zh-mo": ["zh-hk", "zh-hant", "zh-tw"],
};

/** zh-hans and zh-hant take only one-way rules; plain "zh" takes none. */
function manualLevel(v: MwVariant): "bidirectional" | "unidirectional" | "disable" {
  if (v === "zh") return "disable";
  return v === "zh-hans" || v === "zh-hant" ? "unidirectional" : "bidirectional";
}

/** Variant names, as ZhConverter's `getVariantNames` gives them (`N` and `D` flags). */
export const VARIANT_NAMES: Record<MwVariant, string> = {
  "zh": "原文",
  "zh-hans": "简体",
  "zh-hant": "繁體",
  "zh-cn": "大陆",
  "zh-tw": "臺灣",
  "zh-hk": "香港",
  "zh-mo": "澳門",
  "zh-sg": "新加坡",
  "zh-my": "大马",
};

/** MediaWiki's codes for Serbian's scripts, as LanguageCode::bcp47 spells them in BCP 47. */
const NONSTANDARD_CODES: Record<string, string> = { "sr-ec": "sr-Cyrl", "sr-el": "sr-Latn" };

const MW_CODE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,3}$/;
const nameCache = new Map<string, string>();

/**
 * The `N` flag's text: a zh variant's name as ZhConverter gives it, else, as MediaWiki
 * names any language, its autonym (`en` → English, `sr-ec` → српски (ћирилица)), here from
 * the runtime's CLDR data, only where that has the language's own locale; else "".
 */
export function languageName(code: string): string {
  if (Object.hasOwn(VARIANT_NAMES, code)) return VARIANT_NAMES[code as MwVariant];
  let name = nameCache.get(code);
  if (name !== undefined) return name;
  name = "";
  if (MW_CODE.test(code)) {
    const tag = NONSTANDARD_CODES[code] ?? code;
    try {
      const names = new Intl.DisplayNames([tag], { type: "language", fallback: "none" });
      // A locale the runtime lacks falls back to another language's names: not an autonym.
      const got = new Intl.Locale(names.resolvedOptions().locale).language;
      if (got === new Intl.Locale(tag).language) name = names.of(tag) ?? "";
    } catch {
      name = ""; // not a tag Intl accepts
    }
  }
  if (nameCache.size < 4096) nameCache.set(code, name);
  return name;
}

/** BCP 47 spellings MediaWiki maps to its internal codes (compared in lower case). */
const BCP47: Record<string, MwVariant> = {
  "zh-hans-cn": "zh-cn",
  "zh-hans-sg": "zh-sg",
  "zh-hans-my": "zh-my",
  "zh-hant-tw": "zh-tw",
  "zh-hant-hk": "zh-hk",
  "zh-hant-mo": "zh-mo",
};

const VALID_FLAGS = new Set(["A", "T", "R", "D", "-", "H", "N"]);

/** PHP's trim(): ASCII blanks only (full-width spaces are content). */
export function phpTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPhpBlank(s.charCodeAt(a))) a++;
  while (b > a && isPhpBlank(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isPhpBlank(u: number): boolean {
  return u === 0x20 || u === 0x09 || u === 0x0a || u === 0x0d || u === 0x00 || u === 0x0b;
}

function isSpace(u: number): boolean {
  return u === 0x20 || (u >= 0x09 && u <= 0x0d);
}

/**
 * A variant code as MediaWiki validates it: case-insensitive, and BCP 47 codes
 * (`zh-Hans-CN`, `zh-Hant-TW`) stand for the internal ones; null when not a zh variant.
 */
export function validateVariant(v: string): MwVariant | null {
  const low = v.toLowerCase();
  if (VARIANT_SET.has(low)) return low as MwVariant;
  return BCP47[low] ?? null;
}

function isCodeChar(u: number): boolean {
  return (u >= 0x61 && u <= 0x7a) || (u >= 0x41 && u <= 0x5a) || u === 0x2d;
}

/** Length of `variant\s*:` at `p` (any spelling {@link validateVariant} accepts), or 0. */
function variantColonAt(s: string, p: number): number {
  let q = p;
  while (q < s.length && q - p < 12 && isCodeChar(s.charCodeAt(q))) q++;
  if (q === p || validateVariant(s.slice(p, q)) === null) return 0;
  while (q < s.length && isSpace(s.charCodeAt(q))) q++;
  return s.charCodeAt(q) === 0x3a ? q + 1 - p : 0;
}

/**
 * Splits rule text at the `;` that start a new entry: those followed (after blanks) by
 * `variant:`, by `…=>variant:` before the next `;`, or by the end of the text. Linear: each
 * look-ahead stops at the next `;`.
 */
export function splitEntries(rules: string): string[] {
  const out: string[] = [];
  let from = 0;
  let p = rules.indexOf(";");
  while (p >= 0) {
    const next = rules.indexOf(";", p + 1);
    const stop = next < 0 ? rules.length : next;
    let q = p + 1;
    while (q < rules.length && isSpace(rules.charCodeAt(q))) q++;
    let cut = q === rules.length || variantColonAt(rules, q) > 0;
    if (!cut) {
      for (let a = rules.indexOf("=>", q); a >= 0 && a < stop; a = rules.indexOf("=>", a + 1)) {
        let r = a + 2;
        while (r < stop && isSpace(rules.charCodeAt(r))) r++;
        if (variantColonAt(rules, r) > 0) {
          cut = true;
          break;
        }
      }
    }
    if (cut) {
      out.push(rules.slice(from, p));
      from = q;
    }
    p = next;
  }
  out.push(rules.slice(from));
  return out;
}

/** Parsed tables of a rule: `variant → text` and `variant → (from → to)`. */
export interface RuleTables {
  bid: Map<MwVariant, string>;
  unid: Map<MwVariant, Map<string, string>>;
}

/** Reads `zh-hans:甲;zh-hant:乙;源=>zh-cn:目标` into tables; any bad variant voids all. */
export function parseTables(rules: string): RuleTables {
  let bid = new Map<MwVariant, string>();
  let unid = new Map<MwVariant, Map<string, string>>();
  for (const c of splitEntries(rules)) {
    const colon = c.indexOf(":");
    if (colon < 0) continue;
    const to = phpTrim(c.slice(colon + 1));
    const left = phpTrim(c.slice(0, colon));
    const arrow = left.indexOf("=>");
    let vv: MwVariant | null;
    if (arrow < 0) {
      vv = validateVariant(left);
      if (to !== "" && vv) bid.set(vv, to);
    } else {
      const from = phpTrim(left.slice(0, arrow));
      vv = validateVariant(phpTrim(left.slice(arrow + 2)));
      if (from !== "" && vv) {
        let m = unid.get(vv);
        if (!m) unid.set(vv, m = new Map());
        m.set(from, to);
      }
    }
    if (!vv) {
      // MediaWiki treats one malformed entry as a syntax error for the whole rule.
      bid = new Map();
      unid = new Map();
      break;
    }
  }
  return { bid, unid };
}

function textInBid(bid: Map<MwVariant, string>, vs: readonly MwVariant[]): string | undefined {
  for (const v of vs) {
    const t = bid.get(v);
    if (t !== undefined) return t;
  }
  return undefined;
}

/**
 * What the reader of `target` sees for variant tables: its own entry, else the first of its
 * fallbacks, else its one-way entry, else (wikizh's documented choice instead of
 * MediaWiki's error message) the first entry.
 */
export function pickEntry(t: RuleTables, target: MwVariant): string {
  const own = t.bid.get(target) ?? textInBid(t.bid, FALLBACKS[target]);
  if (own !== undefined) return own;
  const u = t.unid.get(target);
  if (u) { for (const v of u.values()) return v; }
  for (const v of t.bid.values()) return v;
  for (const m of t.unid.values()) for (const v of m.values()) return v;
  return "";
}

/** The `from → to` pairs a rule adds to (or removes from) the page table of `target`. */
export function convTable(t: RuleTables, target: MwVariant): Map<string, string> {
  const out = new Map<string, string>();
  const level = manualLevel(target);
  if (level === "bidirectional") {
    // Missing variants are filled from their fallbacks (looked up in the rule as written).
    const filled = new Map<MwVariant, string>();
    for (const v of MW_VARIANTS) {
      const t0 = t.bid.get(v) ?? textInBid(t.bid, FALLBACKS[v]);
      if (t0) filled.set(v, t0);
    }
    const mine = filled.get(target);
    if (mine !== undefined) {
      for (const [v, from] of filled) if (v !== target || from === mine) out.set(from, mine);
    }
  }
  if (level !== "disable") {
    const u = t.unid.get(target);
    if (u) { for (const [from, to] of u) out.set(from, to); // one-way entries win
     }
  }
  return out;
}

/** What one `-{…}-` node does for the reader of one variant. */
export interface RuleOutcome {
  /** Text shown in place of the node. */
  display: string;
  /**
   * The variant `display` still has to be converted to, or null when it is shown as it
   * is (`-{zh-hans;zh-hant|text}-` converts to the reader's variant when listed, else to
   * the first of its fallbacks listed).
   */
  convertTo: MwVariant | null;
  /**
   * `display` converts with `convertTo`'s tables only, not the page's rules (`<langconvert>`:
   * MediaWiki converts it while expanding the tag, before any `-{…}-` rule is read).
   */
  tablesOnly?: boolean;
  action: "add" | "remove" | "none";
  /** Pairs to add or remove (empty when action is "none"). */
  table: Map<string, string>;
  /** Title set by a `T` flag, and whether it still needs converting. */
  title?: { text: string; convert: boolean };
}

/** The `D` flag's text: `大陆：甲；臺灣：乙；` and `源⇒大陆：目标；`. */
export function describeRule(t: RuleTables): string {
  let out = "";
  for (const [v, to] of t.bid) out += `${VARIANT_NAMES[v]}：${to}；`;
  for (const [v, m] of t.unid) {
    for (const [from, to] of m) out += `${from}⇒${VARIANT_NAMES[v]}：${to}；`;
  }
  return out;
}

/**
 * True when `text` is only variant entries with nothing after their colons
 * (`zh-hans:;zh-hant:;`), as a branch the cleaner emptied leaves it: such a node shows
 * nothing (MediaWiki would show the entries as raw text).
 */
export function isEmptyTable(text: string): boolean {
  let any = false;
  for (const entry of splitEntries(text)) {
    const c = phpTrim(entry);
    if (c === "") continue;
    const colon = c.indexOf(":");
    if (colon < 0 || phpTrim(c.slice(colon + 1)) !== "") return false;
    const left = phpTrim(c.slice(0, colon));
    const arrow = left.indexOf("=>");
    if (validateVariant(arrow < 0 ? left : phpTrim(left.slice(arrow + 2))) === null) return false;
    any = true;
  }
  return any;
}

const LANGCONVERT = "langconvert=";

/**
 * The target of `to;langconvert=from|text`, the form the wikitext stage gives
 * `<langconvert from=… to=…>`: undefined when the node is not one; null when its variants
 * are not both Chinese (MediaWiki shows an error message there; wikizh the text as it is).
 * The text converts to `to` whatever the reader's variant, as CoreTagHooks::langconvert
 * calls `autoConvert(text, to)`.
 */
function langConvertTarget(inner: string): MwVariant | null | undefined {
  const bar = inner.indexOf("|");
  const at = inner.indexOf(LANGCONVERT);
  if (bar < 0 || at < 0 || at > bar) return undefined;
  const flags = inner.slice(0, bar).split(";").map(phpTrim);
  const fromFlag = flags.find((f) => f.startsWith(LANGCONVERT));
  if (fromFlag === undefined || flags.length !== 2) return undefined;
  const to = validateVariant(flags[0] === fromFlag ? flags[1] : flags[0]);
  const from = phpTrim(fromFlag.slice(LANGCONVERT.length)).toLowerCase();
  // MediaWiki asks only that both codes name the same language, and `to` a variant of it.
  return to !== null && (from === "zh" || from.startsWith("zh-")) ? to : null;
}

/**
 * Reads a node's inside (`H|zh-cn:博客;zh-tw:部落格`, `R|文字`, `文字`…) for `target`,
 * following ConverterRule: flags are normalised, then applied in order, the last one that
 * sets the display winning (so `-{A;D|…}-` shows nothing and `-{D;H|…}-` its description).
 */
export function applyRule(inner: string, target: MwVariant): RuleOutcome {
  const lc = langConvertTarget(inner);
  if (lc !== undefined) {
    const text = inner.slice(inner.indexOf("|") + 1);
    return {
      display: text,
      convertTo: lc,
      tablesOnly: lc !== null,
      action: "none",
      table: new Map(),
    };
  }
  // Flags: the part before the first "|", ";"-separated; unknown ones are ignored.
  let text = inner;
  const given: string[] = [];
  const bar = inner.indexOf("|");
  if (bar >= 0) {
    for (const f0 of inner.slice(0, bar).split(";")) {
      const f = phpTrim(f0);
      if ((VALID_FLAGS.has(f) || VARIANT_SET.has(f)) && !given.includes(f)) given.push(f);
    }
    text = inner.slice(bar + 1);
  }
  let flags: string[];
  let variantFlags: string[] = [];
  if (given.length === 0) flags = ["S"];
  else if (given.includes("R")) flags = ["R"];
  else if (given.includes("N")) flags = ["N"];
  else if (given.includes("-")) flags = ["-"];
  else if (given.length === 1 && given[0] === "T") flags = ["T", "H"];
  else if (given.includes("H")) {
    flags = ["+", "H"];
    if (given.includes("T")) flags.push("T");
    if (given.includes("D")) flags.push("D");
  } else {
    flags = given.slice();
    if (flags.includes("A")) flags.push("+", "S");
    if (flags.includes("D")) flags = flags.filter((f) => f !== "S");
    variantFlags = flags.filter((f) => VARIANT_SET.has(f));
    if (variantFlags.length > 0) flags = [];
  }

  let convertTo: MwVariant | null = null;
  if (variantFlags.length > 0) {
    if (variantFlags.includes(target)) convertTo = target;
    else convertTo = FALLBACKS[target].find((v) => variantFlags.includes(v)) ?? null;
    flags = ["R"];
  }

  let tables: RuleTables = { bid: new Map(), unid: new Map() };
  if (!flags.includes("R") && !flags.includes("N")) {
    tables = parseTables(text.replaceAll("=&gt;", "=>"));
  }
  let emptied = false;
  if (tables.bid.size === 0 && tables.unid.size === 0) {
    if (flags.includes("+") || flags.includes("-")) {
      // -{H|text}- / -{-|text}-: the text maps to itself in every variant (protection).
      if (text !== "") { for (const v of MW_VARIANTS) tables.bid.set(v, text); }
    } else if (!flags.includes("N") && !flags.includes("T")) {
      emptied = !flags.includes("R") && isEmptyTable(text);
      flags = ["R"];
    }
  }

  const out: RuleOutcome = { display: "", convertTo: null, action: "none", table: new Map() };
  for (const f of flags) {
    switch (f) {
      case "R":
        out.display = emptied ? "" : text;
        out.convertTo = convertTo;
        break;
      case "N":
        out.display = languageName(phpTrim(text));
        break;
      case "D":
        out.display = describeRule(tables);
        break;
      case "H":
        out.display = "";
        break;
      case "-":
        out.action = "remove";
        out.display = "";
        break;
      case "+":
        out.action = "add";
        out.display = "";
        break;
      case "S":
        out.display = pickEntry(tables, target);
        break;
      case "T":
        out.title = tables.bid.size > 0 || tables.unid.size > 0
          ? { text: pickEntry(tables, target), convert: false }
          : { text, convert: false };
        out.display = "";
        break;
    }
  }
  if (out.action !== "none") out.table = convTable(tables, target);
  return out;
}
