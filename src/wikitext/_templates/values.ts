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

/** `{{bd|1905年|6月21日|1980年|4月15日}}` → 1905年6月21日－1980年4月15日. */
const bd: Handler = (t, r) => {
  const p: string[] = [];
  for (let i = 1; i <= 4; i++) p.push(text(r, t.arg(i)));
  const birth = p[0] + p[1];
  const death = p[2] + p[3];
  if (birth && death) r.out.text(birth + "－" + death);
  else if (birth) r.out.text(birth);
  else if (death) r.out.text("－" + death);
};

const UNITS: Record<string, string> = {
  km: "公里",
  m: "米",
  cm: "厘米",
  mm: "毫米",
  nm: "纳米",
  mi: "英里",
  ft: "英尺",
  in: "英寸",
  yd: "码",
  nmi: "海里",
  kg: "千克",
  g: "克",
  mg: "毫克",
  t: "吨",
  lb: "磅",
  oz: "盎司",
  km2: "平方公里",
  m2: "平方米",
  sqmi: "平方英里",
  sqft: "平方英尺",
  ha: "公顷",
  acre: "英亩",
  C: "°C",
  F: "°F",
  K: "K",
  "km/h": "公里每小时",
  mph: "英里每小时",
  "m/s": "米每秒",
  kn: "节",
  L: "升",
  l: "升",
  ml: "毫升",
  m3: "立方米",
  km3: "立方公里",
  usgal: "美制加仑",
  impgal: "英制加仑",
  kW: "千瓦",
  hp: "马力",
  W: "瓦",
  MW: "兆瓦",
  kWh: "千瓦时",
  J: "焦耳",
  kJ: "千焦",
  cal: "卡路里",
  kcal: "千卡",
  Pa: "帕斯卡",
  kPa: "千帕",
  psi: "磅力每平方英寸",
  au: "天文单位",
  AU: "天文单位",
  ly: "光年",
  pc: "秒差距",
};

const RANGE_WORDS: Record<string, string> = {
  to: "至",
  "-": "－",
  "–": "－",
  and: "和",
  or: "或",
  "x": "×",
  "by": "×",
};

/** `{{convert|100|km|mi}}` → 100公里 (the conversion itself is not computed). */
const convert: Handler = (t, r) => {
  const v = text(r, t.arg(1));
  if (!v) return;
  const second = text(r, t.arg(2));
  const range = RANGE_WORDS[second];
  if (range !== undefined) {
    const v2 = text(r, t.arg(3));
    const unit = text(r, t.arg(4));
    r.out.text(v + range + v2 + (UNITS[unit] ?? unit));
    return;
  }
  r.out.text(v + (UNITS[second] ?? second));
};

/** Date templates: the first three numeric parameters as 年月日. */
const date: Handler = (t, r) => {
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

function formatNumber(s: string): string {
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

/** `{{val|1.5|e=6|u=m}}` → 1.5×10^6 m. */
const val: Handler = (t, r) => {
  const v = text(r, t.arg(1));
  if (!v) return;
  const e = text(r, t.named("e"));
  const u = text(r, t.named("u", "ul")) || text(r, t.arg(2));
  r.out.text(v + (e ? "×10^" + e : "") + (u ? " " + u : ""));
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
  bd,
  "birth-death": bd,
  convert,
  cvt,
  "start date": date,
  "start date and age": date,
  "end date": date,
  "end date and age": date,
  "birth date": date,
  "birth date and age": date,
  "death date": date,
  "death date and age": date,
  "birth year and age": date,
  "death year and age": date,
  "film date": date,
  dob: date,
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
  val,
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

function cvt(t: TemplateCall, r: TemplateContext): void {
  convert(t, r);
}

/** Names that take a `:` argument (`{{lc:…}}`): the registry splits them. */
export function isColonName(prefix: string): boolean {
  return (prefix + ":") in templates || prefix.charCodeAt(0) === 35; // '#'
}
