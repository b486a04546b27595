/**
 * The table of template families that print words in running text: for each family its
 * names and aliases (traditional and simplified spellings, zhwiki redirects) and what it shows.
 *
 * A row is data: `names` (compared as MediaWiki compares them: first letter case-insensitive,
 * `_` = space), and `shows`, either a {@link words} spec (which parameters are shown, with
 * which label, separators and brackets) or a value printer from `values.ts`. Every row has a
 * fixture case in tests/wikitext/cases/families.txt (a test checks it). To add a family,
 * add a row and a case.
 *
 * Renderings follow zhwiki's own templates: `{{jpn|j=東京|hg=とうきょう|rm=Tōkyō}}` →
 * `日语：東京／とうきょう Tōkyō`, `{{Kor|k=…|hj=…|rm=…}}` → `朝鲜语：고구려／高句麗 Goguryeo`,
 * `{{engname|中文名|English}}` → `中文名（英语：English）`, `{{BD|…}}` → `（1885年2月18日－1968年5月23日）`.
 *
 * @module
 */

import type { Node } from "../_nodes.ts";
import { blank, type Handler, type TemplateCall, trimNodes } from "./call.ts";
import type { TemplateContext } from "./context.ts";
import { emitInLanguage } from "./lang.ts";
import * as values from "./values.ts";

/** One shown piece of a {@link words} template: the first present parameter of `params`. */
export interface Piece {
  /** Parameter names (positional ones as digits), first present wins. */
  params: string[];
  /** Written before the piece when something was shown before it. */
  sep?: string;
  /** Written before the piece (`英语：`). */
  label?: string;
  /** Language of the text: Chinese is prose, anything else verbatim (not converted). */
  lang?: string;
}

/** A template that shows some of its parameters, in order. */
export interface WordsSpec {
  /** Shown before the bracketed pieces, outside the brackets (`{{engname|中文名|…}}`). */
  lead?: Piece;
  /** `日语` → `日语：` before the pieces (inside the brackets). */
  label?: string;
  pieces: Piece[];
  /** Wrap the pieces (not the lead) in full-width brackets. */
  brackets?: boolean;
}

export interface Family {
  /** The template's name and its aliases, as zhwiki spells them. */
  names: string[];
  shows: Handler;
  /** Match the names exactly (after the first letter): for all-caps codes like `{{USA}}`. */
  exact?: boolean;
}

function paramOf(t: TemplateCall, name: string): Node[] | undefined {
  const c = name.charCodeAt(0);
  return c >= 48 && c <= 57 ? t.arg(Number(name)) : t.named(name);
}

function present(t: TemplateCall, r: TemplateContext, p: Piece): Node[] | undefined {
  for (const name of p.params) {
    const v = paramOf(t, name);
    if (v !== undefined && !blank(r, v)) return v;
  }
  return undefined;
}

function emit(r: TemplateContext, p: Piece, v: Node[]): void {
  if (p.label) r.out.text(p.label);
  if (p.lang) emitInLanguage(r, p.lang, v, false);
  else r.nodes(trimNodes(v));
}

/** A handler showing the parameters a {@link WordsSpec} names. */
export function words(spec: WordsSpec): Handler {
  return (t, r) => {
    if (spec.lead) {
      const v = present(t, r, spec.lead);
      if (v !== undefined) emit(r, spec.lead, v);
    }
    const shown: [Piece, Node[]][] = [];
    for (const p of spec.pieces) {
      const v = present(t, r, p);
      if (v !== undefined) shown.push([p, v]);
    }
    if (shown.length === 0) return;
    if (spec.brackets) r.out.text("（");
    if (spec.label) r.out.text(spec.label + "：");
    for (let i = 0; i < shown.length; i++) {
      const [p, v] = shown[i];
      if (i > 0 && p.sep) r.out.text(p.sep);
      emit(r, p, v);
    }
    if (spec.brackets) r.out.text("）");
  };
}

/** `{{ruby|東京|とうきょう}}` → 東京（とうきょう）. */
function ruby(lang?: string): Handler {
  return words({
    lead: { params: ["1", "rb"], lang },
    pieces: [{ params: ["2", "rt"], lang: lang ?? "und" }],
    brackets: true,
  });
}

const ja = "ja";

/** Three-letter country templates (ISO 3166 and IOC codes) print the country's name. */
const COUNTRIES: Record<string, string> = {
  USA: "美国",
  ROC: "中华民国",
  TWN: "中华民国",
  TPE: "中华台北",
  PRC: "中华人民共和国",
  CHN: "中国",
  HKG: "香港",
  MAC: "澳门",
  JPN: "日本",
  KOR: "韩国",
  PRK: "朝鲜",
  GRE: "希腊",
  GRC: "希腊",
  CAN: "加拿大",
  PHI: "菲律宾",
  PHL: "菲律宾",
  GBR: "英国",
  UK: "英国",
  FRA: "法国",
  GER: "德国",
  DEU: "德国",
  ITA: "意大利",
  ESP: "西班牙",
  POR: "葡萄牙",
  PRT: "葡萄牙",
  NED: "荷兰",
  NLD: "荷兰",
  BEL: "比利时",
  SUI: "瑞士",
  CHE: "瑞士",
  AUT: "奥地利",
  SWE: "瑞典",
  NOR: "挪威",
  DEN: "丹麦",
  DNK: "丹麦",
  FIN: "芬兰",
  ISL: "冰岛",
  IRL: "爱尔兰",
  POL: "波兰",
  CZE: "捷克",
  HUN: "匈牙利",
  ROU: "罗马尼亚",
  BUL: "保加利亚",
  BGR: "保加利亚",
  RUS: "俄罗斯",
  UKR: "乌克兰",
  TUR: "土耳其",
  ISR: "以色列",
  IRN: "伊朗",
  IRQ: "伊拉克",
  KSA: "沙特阿拉伯",
  SAU: "沙特阿拉伯",
  EGY: "埃及",
  RSA: "南非",
  ZAF: "南非",
  NGR: "尼日利亚",
  NGA: "尼日利亚",
  IND: "印度",
  PAK: "巴基斯坦",
  THA: "泰国",
  VIE: "越南",
  VNM: "越南",
  MAS: "马来西亚",
  MYS: "马来西亚",
  SIN: "新加坡",
  SGP: "新加坡",
  INA: "印度尼西亚",
  IDN: "印度尼西亚",
  AUS: "澳大利亚",
  NZL: "新西兰",
  MEX: "墨西哥",
  BRA: "巴西",
  ARG: "阿根廷",
  CHI: "智利",
  CHL: "智利",
  COL: "哥伦比亚",
  PER: "秘鲁",
  CUB: "古巴",
  MGL: "蒙古国",
  MNG: "蒙古国",
};

/** `{{USA}}`: the flag and the country's name; only the name is text. */
const country: Handler = (t, r) => {
  const name = COUNTRIES[t.name];
  if (name) r.out.text(name);
};

/** `{{flag|美国}}`: the flag and the name; only the name is text. */
const flag: Handler = (t, r) => {
  const v = t.named("name") ?? t.arg(1);
  if (v === undefined || blank(r, v)) return;
  const code = r.flat(v).trim();
  r.out.text(COUNTRIES[code] ?? code);
};

export const FAMILIES: Family[] = [
  // Language and name templates.
  {
    names: ["Jpn", "Japanese", "日语", "日語"],
    shows: words({
      label: "日语",
      pieces: [
        { params: ["j", "1", "kanji"], lang: ja },
        { params: ["hg", "h", "hiragana"], sep: "／", lang: ja },
        { params: ["kk", "k", "katakana"], sep: "／", lang: ja },
        { params: ["rm", "r", "romaji", "2"], sep: " ", lang: ja },
      ],
    }),
  },
  {
    names: ["Kor", "朝鲜语", "朝鮮語", "韩语", "韓語"],
    shows: words({
      label: "朝鲜语",
      pieces: [
        { params: ["k", "h", "hangul", "諺", "谚", "1"], lang: "ko" },
        { params: ["hj", "hanja", "漢", "汉", "2"], sep: "／", lang: "ko" },
        { params: ["rm", "rr", "mr", "羅", "罗", "3"], sep: " ", lang: "ko" },
      ],
    }),
  },
  {
    names: ["Vie", "越南语", "越南語"],
    shows: words({
      label: "越南语",
      pieces: [
        { params: ["v", "qn", "1"], lang: "vi" },
        { params: ["hn", "chunom", "chn", "漢喃", "2"], sep: "／", lang: "vi" },
      ],
    }),
  },
  {
    names: ["Rus", "俄语", "俄語"],
    shows: words({
      label: "俄语",
      pieces: [
        { params: ["1", "ru"], lang: "ru" },
        { params: ["2", "r", "rm", "tr"], sep: " ", lang: "ru" },
      ],
    }),
  },
  {
    names: ["Engname", "EngName", "英文名"],
    shows: words({
      lead: { params: ["1"] },
      label: "英语",
      pieces: [{ params: ["2"], lang: "en" }],
      brackets: true,
    }),
  },
  {
    names: ["Nihongo", "Nihongo2", "日本語"],
    shows: words({
      lead: { params: ["1"] },
      pieces: [
        { params: ["2"], lang: ja },
        { params: ["romaji", "ro"], sep: " ", lang: ja },
        { params: ["3"], sep: "，", lang: "und" },
        { params: ["extra", "4"], sep: "，" },
      ],
      brackets: true,
    }),
  },
  {
    names: ["Zh", "Chinese", "中文"],
    shows: words({
      pieces: [
        { params: ["c", "1"], label: "中文：" },
        { params: ["s"], sep: "；", label: "简体中文：", lang: "und" },
        { params: ["t"], sep: "；", label: "繁体中文：", lang: "und" },
        { params: ["p", "hp"], sep: "；", label: "汉语拼音：", lang: "und" },
        { params: ["w"], sep: "；", label: "威妥玛拼音：", lang: "und" },
        { params: ["j"], sep: "；", label: "粤拼：", lang: "und" },
        { params: ["poj"], sep: "；", label: "白话字：", lang: "und" },
        { params: ["l"], sep: "；", label: "字面意思：" },
      ],
    }),
  },
  // Phonetic annotations.
  { names: ["Ruby", "Ruby-zh", "注音标注"], shows: ruby() },
  { names: ["Ruby-ja", "振假名"], shows: ruby(ja) },
  {
    names: ["Pinyin", "拼音", "Zhuyin", "注音", "Jyutping", "粤拼", "粵拼", "Hanyu pinyin"],
    shows: words({ pieces: [{ params: ["1"], lang: "und" }] }),
  },
  // MediaWiki's parser-test template: it shows its first parameter, as wikitext.
  { names: ["1x"], shows: words({ pieces: [{ params: ["1"] }] }) },
  // Units and numbers.
  { names: ["Convert", "Cvt", "转换", "轉換"], shows: values.convert },
  { names: ["Val"], shows: values.val },
  { names: ["Nts", "Ntsh", "Nts-s"], shows: values.nts },
  // Dates.
  { names: ["Bd", "Birth-death", "生卒"], shows: values.lifeDates(false) },
  { names: ["BD"], shows: values.lifeDates(true) },
  {
    names: [
      "Birth date",
      "Birth date and age",
      "Start date",
      "Start date and age",
      "End date",
      "End date and age",
      "Death date",
      "Film date",
      "Dob",
      "出生日期",
      "出生日期和年龄",
      "出生日期和年齡",
      "逝世日期",
    ],
    shows: values.date,
  },
  { names: ["Date", "日期"], shows: values.isoDate },
  {
    names: ["Death date and age", "逝世日期和年龄", "逝世日期和年齡", "Dda"],
    shows: values.deathDateAndAge,
  },
  // Pronunciation.
  { names: ["IPA", "Ipa", "IPA2"], shows: values.ipa },
  { names: ["IPAc-en", "IPAc-cmn", "IPAc-yue", "IPAc-ja"], shows: values.ipaJoined },
  // Places and countries.
  { names: ["Coord", "Coor", "Coor d", "坐标", "坐標"], shows: values.coord },
  { names: ["Flag", "Flagcountry", "Flag country", "Flagu", "Flag link"], shows: flag },
  { names: Object.keys(COUNTRIES), shows: country, exact: true },
  // Characters.
  { names: ["Unichar", "Unicode char"], shows: values.unichar },
];

/** `{{IPA-de|…}}` and friends, by pattern: a pronunciation in brackets, verbatim. */
export function match(key: string): Handler | undefined {
  if (key.startsWith("ipa-") && key.length <= 10) return values.ipa;
  if (key.startsWith("ipac-") && key.length <= 11) return values.ipaJoined;
  return undefined;
}
