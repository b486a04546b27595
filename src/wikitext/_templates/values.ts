/**
 * Templates and magic words that print a value: life dates (`{{bd}}`), `{{convert}}`,
 * date templates, `{{formatnum:}}`, `{{PAGENAME}}`, case functions, `{{ISBN}}`, and the
 * parser functions that can be decided without a wiki (`#if`, `#ifeq`, `#tag`).
 *
 * Values that depend on the day the page is viewed (`{{CURRENTYEAR}}`, `{{age}}`) cannot
 * be known from a dump and print nothing.
 *
 * @module
 */

import { drop, first, type Handler, type TemplateCall, text } from "./call.ts";
import type { TemplateContext } from "./context.ts";

/**
 * `{{bd|1905年|6月21日|1980年|4月15日}}` → 1905年6月21日－1980年4月15日; zhwiki's `{{BD}}`
 * prints the same in brackets.
 */
export function lifeDates(brackets: boolean): Handler {
  return (t, r) => {
    const p: string[] = [];
    for (let i = 1; i <= 4; i++) p.push(text(r, t.arg(i)));
    const birth = p[0] + p[1];
    const death = p[2] + p[3];
    let s = "";
    if (birth && death) s = birth + "－" + death;
    else if (birth) s = birth;
    else if (death) s = "－" + death;
    if (s) r.out.text(brackets ? "（" + s + "）" : s);
  };
}

/** Units by symbol: Chinese name, factor to the SI base of its kind, and the default target. */
const CONV: Record<string, [name: string, factor: number, to: string]> = {
  km: ["公里", 1000, "mi"],
  m: ["米", 1, "ft"],
  cm: ["厘米", 0.01, "in"],
  mm: ["毫米", 0.001, "in"],
  mi: ["英里", 1609.344, "km"],
  ft: ["英尺", 0.3048, "m"],
  in: ["英寸", 0.0254, "cm"],
  yd: ["码", 0.9144, "m"],
  nmi: ["海里", 1852, "km"],
  kg: ["千克", 1, "lb"],
  g: ["克", 0.001, "oz"],
  t: ["吨", 1000, "LT"],
  LT: ["长吨", 1016.0469088, "t"],
  lb: ["磅", 0.45359237, "kg"],
  oz: ["盎司", 0.028349523125, "g"],
  km2: ["平方公里", 1e6, "sqmi"],
  m2: ["平方米", 1, "sqft"],
  sqmi: ["平方英里", 2589988.110336, "km2"],
  sqft: ["平方英尺", 0.09290304, "m2"],
  ha: ["公顷", 1e4, "acre"],
  acre: ["英亩", 4046.8564224, "ha"],
  "km/h": ["公里每小时", 1 / 3.6, "mph"],
  mph: ["英里每小时", 0.44704, "km/h"],
  "m/s": ["米每秒", 1, "ft/s"],
  "ft/s": ["英尺每秒", 0.3048, "m/s"],
  kn: ["节", 1852 / 3600, "km/h"],
  L: ["升", 0.001, "impgal"],
  l: ["升", 0.001, "impgal"],
  m3: ["立方米", 1, "cuft"],
  cuft: ["立方英尺", 0.028316846592, "m3"],
  usgal: ["美制加仑", 0.003785411784, "L"],
  impgal: ["英制加仑", 0.00454609, "L"],
  kW: ["千瓦", 1000, "hp"],
  hp: ["马力", 745.69987158227, "kW"],
  MW: ["兆瓦", 1e6, "hp"],
};

/** Temperatures convert with an offset: value in kelvin = (v + a) × f. */
const TEMPERATURE: Record<string, [name: string, a: number, f: number, to: string]> = {
  C: ["°C", 273.15, 1, "F"],
  F: ["°F", 459.67, 5 / 9, "C"],
  K: ["K", 0, 1, "C"],
};

/** Symbols as zhwiki writes them with `abbr=on`. */
const SYMBOL: Record<string, string> = { sqmi: "sq mi", sqft: "sq ft", cuft: "cu ft" };

const RANGE_WORDS: Record<string, string> = {
  to: "至",
  "-": "－",
  "–": "－",
  and: "和",
  or: "或",
  "x": "×",
  "by": "×",
  "+/-": "±",
};

/**
 * Rounds as Module:Convert does by default: the input's precision (its decimals, or minus its
 * trailing zeros), shifted by the order of the factor, and at least two significant figures.
 */
function roundLike(input: string, out: number, ratio: number): string {
  const digits = input.replace(/,/g, "");
  const dot = digits.indexOf(".");
  let inPrec = 0;
  if (dot >= 0) inPrec = digits.length - dot - 1;
  else for (let j = digits.length - 1; j > 0 && digits.charCodeAt(j) === 48; j--) inPrec--;
  let prec = inPrec - Math.floor(Math.log10(ratio));
  if (out !== 0) prec = Math.max(prec, 1 - Math.floor(Math.log10(Math.abs(out))));
  prec = Math.min(Math.max(prec, -9), 9);
  if (prec >= 0) return formatNumber(out.toFixed(prec));
  const unit = 10 ** -prec;
  return formatNumber(String(Math.round(out / unit) * unit));
}

function unitName(unit: string, abbr: boolean): string {
  if (abbr) return SYMBOL[unit] ?? unit;
  return CONV[unit]?.[0] ?? TEMPERATURE[unit]?.[0] ?? unit;
}

/** Converts a number between two units of one kind, or null when they are not convertible. */
function convertValue(v: number, from: string, to: string): [number, number] | null {
  const a = CONV[from];
  const b = CONV[to];
  if (a && b) return [(v * a[1]) / b[1], a[1] / b[1]];
  const ta = TEMPERATURE[from];
  const tb = TEMPERATURE[to];
  if (ta && tb) return [((v + ta[1]) * ta[2]) / tb[2] - tb[1], ta[2] / tb[2]];
  return null;
}

/**
 * `{{convert|5|km|mi}}` → 5公里（3.1英里）, as zhwiki renders it; ranges (`10|to|20|km`)
 * convert both ends; an unknown unit prints the value with its symbol.
 */
export const convert: Handler = (t, r) => {
  const v = text(r, t.arg(1));
  if (!v) return;
  const abbr = text(r, t.named("abbr")) === "on";
  const values = [v];
  let joiner = "";
  let i = 2;
  const range = RANGE_WORDS[text(r, t.arg(2))];
  if (range !== undefined) {
    joiner = range;
    values.push(text(r, t.arg(3)));
    i = 4;
  }
  const from = text(r, t.arg(i));
  const sp = abbr ? " " : "";
  const shown = values.map(formatNumber).join(joiner) + sp + unitName(from, abbr);
  let to = text(r, t.arg(i + 1));
  if (!to || /^\d+$/.test(to)) to = CONV[from]?.[2] ?? TEMPERATURE[from]?.[3] ?? "";
  const nums = values.map((s) => Number(s.replace(/,/g, "")));
  const disp = text(r, t.named("disp"));
  const converted: string[] = [];
  for (let k = 0; k < nums.length && to; k++) {
    const c = Number.isFinite(nums[k]) ? convertValue(nums[k], from, to) : null;
    if (c === null) {
      converted.length = 0;
      break;
    }
    converted.push(roundLike(values[k], c[0], c[1]));
  }
  if (converted.length === 0) {
    r.out.text(shown);
    return;
  }
  const other = converted.join(joiner) + sp + unitName(to, abbr);
  if (disp === "out") r.out.text(other);
  else if (disp === "or") r.out.text(shown + "或" + other);
  else if (disp === "flip") r.out.text(other + "（" + shown + "）");
  else r.out.text(shown + "（" + other + "）");
};

/** Date templates: the first three numeric parameters as 年月日. */
export const date: Handler = (t, r) => {
  const nums: number[] = [];
  for (let i = 1; i <= 6 && nums.length < 3; i++) {
    const s = text(r, t.arg(i));
    if (/^\d{1,4}$/.test(s)) nums.push(Number(s));
    else if (s) break;
  }
  if (nums.length === 0) {
    first(r, t.arg(1));
    return;
  }
  let out = nums[0] + "年";
  if (nums.length > 1) out += nums[1] + "月";
  if (nums.length > 2) out += nums[2] + "日";
  r.out.text(out);
};

export function formatNumber(s: string): string {
  const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(s.trim());
  if (!m) return s;
  const grouped = m[2].replace(/\B(?=(\d{3})+$)/g, ",");
  return m[1] + grouped + (m[3] ?? "");
}

const formatnum: Handler = (t, r) => {
  const s = t.colonText.trim();
  const raw = text(r, t.arg(1)).toUpperCase();
  r.out.text(raw === "R" || raw === "NOSEP" ? s.replace(/,/g, "") : formatNumber(s));
};

const pageName: Handler = (_t, r) => r.out.text(r.title);
const baseName: Handler = (_t, r) => {
  const slash = r.title.indexOf("/");
  r.out.text(slash > 0 ? r.title.slice(0, slash) : r.title);
};
const subName: Handler = (_t, r) => {
  const slash = r.title.lastIndexOf("/");
  r.out.text(slash >= 0 ? r.title.slice(slash + 1) : r.title);
};

function caseFn(f: (s: string) => string): Handler {
  return (t, r) => {
    const s = t.colonText.trim();
    if (s) r.out.text(f(s));
  };
}

function literal(s: string): Handler {
  return (_t, r) => r.out.text(s);
}

/** Table-cell words (`{{yes}}` → 是); a given text replaces the default. */
function cellWord(word: string): Handler {
  return (t, r) => {
    if (!first(r, t.arg(1))) r.out.text(word);
  };
}

/** `{{ISBN|0-387-94822-8}}` prints `ISBN 0-387-94822-8`. */
function labelled(label: string): Handler {
  return (t, r) => {
    const v = text(r, t.arg(1));
    if (v) r.out.text(label + " " + v);
  };
}

/** `{{chem|H|2|O}}` → H2O: the pieces of a formula joined. */
const chem: Handler = (t, r) => {
  let out = "";
  for (let i = 1; i <= t.count; i++) out += text(r, t.arg(i));
  if (out) r.out.raw(out);
};

/** `{{frac|1|2}}` → 1/2, `{{frac|3|1|2}}` → 3 1/2. */
const frac: Handler = (t, r) => {
  const a = text(r, t.arg(1));
  const b = text(r, t.arg(2));
  const c = text(r, t.arg(3));
  if (c) r.out.text(`${a} ${b}/${c}`);
  else if (b) r.out.text(`${a}/${b}`);
  else if (a) r.out.text(`1/${a}`);
};

/** `{{date|2014-08-29|iso}}` → 2014年8月29日 (zhwiki prints dates in Chinese order). */
export const isoDate: Handler = (t, r) => {
  const v = text(r, t.arg(1));
  const m = /^(\d{1,4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(v);
  if (m === null) {
    if (v) r.out.text(v);
    return;
  }
  r.out.text(chineseDate([m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number)));
};

/** `{{val|p=≈|1.5|0.2|e=6|u=m}}` → ≈1.5±0.2×10^6 m. */
export const val: Handler = (t, r) => {
  const v = text(r, t.arg(1));
  if (!v) return;
  const pm = text(r, t.arg(2));
  const e = text(r, t.named("e"));
  const u = text(r, t.named("u", "ul", "up", "upl"));
  const p = text(r, t.named("p"));
  const s = text(r, t.named("s"));
  r.out.text(
    p + formatNumber(v) + (pm ? "±" + pm : "") + (e ? "×10^" + e : "") + s + (u ? " " + u : ""),
  );
};

/** `{{nts|1234.5}}`: a number as sortable table text shows it, with digit groups. */
export const nts: Handler = (t, r) => {
  const v = text(r, t.arg(1));
  if (v) r.out.text(formatNumber(v));
};

/** Age in whole years between two dates (year, month, day; months and days may be 0). */
function age(a: number[], b: number[]): number {
  let n = b[0] - a[0];
  if ((b[1] || 0) < (a[1] || 0) || ((b[1] || 0) === (a[1] || 0) && (b[2] || 0) < (a[2] || 0))) n--;
  return n;
}

function dateParts(t: TemplateCall, r: TemplateContext, from: number): number[] {
  const nums: number[] = [];
  for (let i = from; i < from + 3; i++) {
    const s = text(r, t.arg(i));
    if (!/^\d{1,4}$/.test(s)) break;
    nums.push(Number(s));
  }
  return nums;
}

function chineseDate(nums: number[]): string {
  let out = nums[0] + "年";
  if (nums.length > 1) out += nums[1] + "月";
  if (nums.length > 2) out += nums[2] + "日";
  return out;
}

/** `{{death date and age|1980|4|15|1905|6|21}}` → 1980年4月15日（74岁）. */
export const deathDateAndAge: Handler = (t, r) => {
  const death = dateParts(t, r, 1);
  if (death.length === 0) {
    first(r, t.arg(1));
    return;
  }
  const birth = dateParts(t, r, 4);
  let out = chineseDate(death);
  if (birth.length > 0) out += "（" + age(birth, death) + "岁）";
  r.out.text(out);
};

/** `{{IPA|/ˈsɛf/}}`: a transcription, verbatim; bare ones get the brackets readers see. */
export const ipa: Handler = (t, r) => {
  const s = text(r, t.arg(1));
  if (!s) return;
  const c = s.charAt(0);
  r.out.raw(c === "/" || c === "[" ? s : "[" + s + "]");
};

/** Positional labels of `{{IPAc-en}}` that print a word, not a phoneme. */
const IPAC_LABELS = new Set(["lang", "local", "us", "uk", "pron", "icon", "also", "yue", "cmn"]);

/** `{{IPAc-en|ˈ|dʒ|eɪ|s|ən}}` → /ˈdʒeɪsən/ (`_` is a space between words). */
export const ipaJoined: Handler = (t, r) => {
  let s = "";
  for (let i = 1; i <= t.count; i++) {
    const p = text(r, t.arg(i));
    if (IPAC_LABELS.has(p.toLowerCase())) continue;
    s += p === "_" ? " " : p;
  }
  s = s.trim();
  if (s) r.out.raw("/" + s + "/");
};

/** `{{coord|10|54|48|N|106|42|E}}` → 10°54′48″N 106°42′E; `display=title` alone shows nothing. */
export const coord: Handler = (t, r) => {
  const display = text(r, t.named("display")).toLowerCase();
  if (display !== "" && display.indexOf("inline") < 0 && display.indexOf("i") !== 0) return;
  const p: string[] = [];
  for (let i = 1; i <= t.count && i <= 10; i++) {
    const s = text(r, t.arg(i));
    if (s.indexOf(":") >= 0) break; // `type:city` and other parameters of the link
    p.push(s);
  }
  const ns = p.findIndex((s) => s === "N" || s === "S");
  if (ns < 0) {
    // Decimal form: {{coord|10.91|106.71}}.
    if (p.length < 2) return;
    const lat = Number(p[0]);
    const lon = Number(p[1]);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    r.out.text(
      `${Math.abs(lat)}°${lat < 0 ? "S" : "N"} ${Math.abs(lon)}°${lon < 0 ? "W" : "E"}`,
    );
    return;
  }
  const ew = p.findIndex((s, k) => k > ns && (s === "E" || s === "W"));
  if (ew < 0) return;
  const dms = (parts: string[]) =>
    parts.map((x, k) => x + (k === 0 ? "°" : k === 1 ? "′" : "″")).join("");
  r.out.text(`${dms(p.slice(0, ns))}${p[ns]} ${dms(p.slice(ns + 1, ew))}${p[ew]}`);
};

/** `{{Unichar|1F602|FACE WITH TEARS OF JOY}}` → U+1F602 😂 FACE WITH TEARS OF JOY. */
export const unichar: Handler = (t, r) => {
  const hex = text(r, t.arg(1)).replace(/^U\+/i, "").toUpperCase();
  if (!/^[0-9A-F]{1,6}$/.test(hex)) return;
  const cp = parseInt(hex, 16);
  let out = "U+" + hex.padStart(4, "0");
  if (cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) && cp >= 0x20) {
    out += " " + String.fromCodePoint(cp);
  }
  const name = text(r, t.arg(2));
  if (name) out += " " + name;
  r.out.raw(out);
};

// ---- parser functions (only those decidable without a wiki) ----

function rawText(t: TemplateCall, r: TemplateContext, i: number): string {
  const p = t.raw(i);
  return p === undefined ? "" : r.flat(p).trim();
}

const ifFn: Handler = (t, r) => {
  const branch = t.colonText.trim() !== "" ? t.raw(1) : t.raw(2);
  if (branch) first(r, branch);
};

const ifeq: Handler = (t, r) => {
  const a = t.colonText.trim();
  const b = rawText(t, r, 1);
  const branch = a === b ? t.raw(2) : t.raw(3);
  if (branch) first(r, branch);
};

/** `{{#tag:name|content|attrs}}`: treated like the tag itself. */
const tagFn: Handler = (t, r) => {
  const name = t.colonText.trim().toLowerCase();
  const content = t.raw(1);
  if (!content) return;
  switch (name) {
    case "nowiki":
    case "code":
      r.out.raw(r.flat(content));
      return;
    case "math":
    case "chem":
    case "ce":
      if (r.opts.math === "keep") {
        const tex = r.flat(content).trim();
        if (tex) r.out.raw(tex);
      }
      return;
    case "poem":
    case "span":
    case "div":
    case "small":
    case "big":
    case "sup":
    case "sub":
    case "blockquote":
    case "center":
    case "abbr":
      r.nodes(content);
      return;
    default:
      return; // ref, references, gallery, pre…: nothing
  }
};

/** `{{#invoke:Module|…}}` runs Lua: unknowable here; counted like an unknown template. */
const invoke: Handler = (t, r) => {
  const module = t.colonText.trim();
  r.reportUnknown("#invoke:" + module);
};

export const templates: Record<string, Handler> = {
  "birth year and age": date,
  "death year and age": date,
  "formatnum:": formatnum,
  pagename: pageName,
  pagenamee: pageName,
  fullpagename: pageName,
  fullpagenamee: pageName,
  basepagename: baseName,
  rootpagename: baseName,
  subpagename: subName,
  articlepagename: pageName,
  namespace: drop,
  sitename: literal("维基百科"),
  "lc:": caseFn((s) => s.toLowerCase()),
  "uc:": caseFn((s) => s.toUpperCase()),
  "lcfirst:": caseFn((s) => s.charAt(0).toLowerCase() + s.slice(1)),
  "ucfirst:": caseFn((s) => s.charAt(0).toUpperCase() + s.slice(1)),
  "defaultsort:": drop,
  "defaultsortkey:": drop,
  "defaultcategorysort:": drop,
  "displaytitle:": drop,
  "int:": drop,
  "ns:": drop,
  "fullurl:": drop,
  "localurl:": drop,
  "canonicalurl:": drop,
  "filepath:": drop,
  "urlencode:": drop,
  "anchorencode:": drop,
  "padleft:": drop,
  "padright:": drop,
  "plural:": drop,
  "gender:": drop,
  "grammar:": drop,
  currentyear: drop,
  currentmonth: drop,
  currentday: drop,
  currenttime: drop,
  localyear: drop,
  numberofarticles: drop,
  chem,
  chem2: chem,
  frac,
  sfrac: frac,
  fraction: frac,
  yes: cellWord("是"),
  no: cellWord("否"),
  partial: cellWord("部分"),
  isbn: labelled("ISBN"),
  issn: labelled("ISSN"),
  oclc: labelled("OCLC"),
  nbsp: literal(" "),
  "!": literal("|"),
  "=": literal("="),
  "·": literal("·"),
  dot: literal("·"),
  "•": literal("•"),
  "#if:": ifFn,
  "#ifeq:": ifeq,
  "#tag:": tagFn,
  "#invoke:": invoke,
  "#switch:": drop,
  "#expr:": drop,
  "#ifexpr:": drop,
  "#iferror:": drop,
  "#ifexist:": drop,
  "#time:": drop,
  "#timel:": drop,
  "#language:": drop,
  "#property:": drop,
  "#statements:": drop,
  "#babel:": drop,
  "#related:": drop,
  "#titleparts:": drop,
  "#rel2abs:": drop,
};

/** Names that take a `:` argument (`{{lc:…}}`): the registry splits them. */
export function isColonName(prefix: string): boolean {
  return (prefix + ":") in templates || prefix.charCodeAt(0) === 35; // '#'
}
