/**
 * Foreign-language text: `{{lang|ja|テスト}}`, `{{lang-en|Test}}`, `{{langx|fr|…}}`,
 * `{{nihongo|…}}`, and bare language labels (`{{en}}`, `{{zh-hant}}`).
 *
 * Text in a Chinese language is ordinary prose (the variant stage converts it); any
 * other language is a `raw` segment, never converted. "Chinese" means a primary
 * subtag among: zh, lzh, yue, wuu, gan, hak, hsn, cdo, cjy, cmn, cpx, czh, czo, mnp,
 * nan, och, ltc (Sinitic languages written in Han characters).
 *
 * @module
 */

import { LANGUAGE_PREFIXES } from "../_namespaces.ts";
import type { Node } from "../_nodes.ts";
import type { TemplateContext } from "./context.ts";
import { blank, drop, type Handler, type TemplateCall, text, trimNodes } from "./call.ts";

const CHINESE = new Set([
  "zh",
  "lzh",
  "yue",
  "wuu",
  "gan",
  "hak",
  "hsn",
  "cdo",
  "cjy",
  "cmn",
  "cpx",
  "czh",
  "czo",
  "mnp",
  "nan",
  "och",
  "ltc",
]);

/** Whether a language code names a Chinese language (its text is converted). */
export function isChineseCode(code: string): boolean {
  const c = code.trim().toLowerCase();
  const dash = c.indexOf("-");
  return CHINESE.has(dash < 0 ? c : c.slice(0, dash));
}

/** How zhwiki labels languages in `{{lang-xx}}` (used with the lang-label option). */
const LABELS: Record<string, string> = {
  en: "英语",
  ja: "日语",
  fr: "法语",
  de: "德语",
  la: "拉丁语",
  el: "希腊语",
  grc: "古希腊语",
  ru: "俄语",
  es: "西班牙语",
  it: "意大利语",
  pt: "葡萄牙语",
  ko: "朝鲜语",
  ar: "阿拉伯语",
  sa: "梵语",
  he: "希伯来语",
  nl: "荷兰语",
  sv: "瑞典语",
  pl: "波兰语",
  tr: "土耳其语",
  fa: "波斯语",
  hi: "印地语",
  th: "泰语",
  vi: "越南语",
  mn: "蒙古语",
  bo: "藏语",
  ug: "维吾尔语",
  ms: "马来语",
  id: "印尼语",
  uk: "乌克兰语",
  cs: "捷克语",
  fi: "芬兰语",
  da: "丹麦语",
  no: "挪威语",
  hu: "匈牙利语",
  ro: "罗马尼亚语",
  ga: "爱尔兰语",
  cy: "威尔士语",
  eo: "世界语",
  pi: "巴利语",
  ur: "乌尔都语",
  bn: "孟加拉语",
  ta: "泰米尔语",
  my: "缅甸语",
  km: "高棉语",
  lo: "老挝语",
  tl: "他加禄语",
  yi: "意第绪语",
  ang: "古英语",
  non: "古诺尔斯语",
  got: "哥特语",
  egy: "古埃及语",
  akk: "阿卡德语",
  zh: "汉语",
  lzh: "文言文",
  yue: "粤语",
  wuu: "吴语",
};

/** Emits a parameter in language `code`: prose if Chinese, else verbatim. */
export function emitInLanguage(
  r: TemplateContext,
  code: string,
  nodes: Node[],
  label: boolean,
): void {
  if (label && r.opts.langLabel) {
    const name = LABELS[code.toLowerCase()];
    if (name) r.out.text(name + "：");
  }
  if (isChineseCode(code)) {
    r.nodes(trimNodes(nodes));
    return;
  }
  const s = r.flat(nodes).trim();
  if (s) r.out.raw(s);
}

const lang: Handler = (t, r) => {
  const content = t.arg(2);
  if (content === undefined || blank(r, content)) return;
  emitInLanguage(r, text(r, t.arg(1)), content, false);
};

const langx: Handler = (t, r) => {
  const content = t.arg(2);
  if (content === undefined || blank(r, content)) return;
  emitInLanguage(r, text(r, t.arg(1)), content, true);
};

/** `{{lang-xx|text}}`: the code is in the name. */
function langDash(t: TemplateCall, r: TemplateContext): void {
  const code = t.key.slice(5);
  const content = t.arg(1) ?? t.named("c", "t", "s", "text");
  if (content === undefined || blank(r, content)) return;
  emitInLanguage(r, code, content, true);
}

/** `{{nihongo|中文|日本語|rōmaji}}` → 中文（日本語）. */
const nihongo: Handler = (t, r) => {
  const zh = t.arg(1);
  const ja = t.arg(2);
  if (zh !== undefined && !blank(r, zh)) r.nodes(trimNodes(zh));
  if (ja !== undefined && !blank(r, ja)) {
    r.out.text("（");
    emitInLanguage(r, "ja", ja, false);
    r.out.text("）");
  }
};

/** `{{transl|ja|Tōkyō}}`: a romanisation, verbatim. */
const transl: Handler = (t, r) => {
  const n = t.count;
  const content = n >= 2 ? t.arg(n) : undefined;
  if (content === undefined || blank(r, content)) return;
  emitInLanguage(r, "und", content, false);
};

export const templates: Record<string, Handler> = {
  lang,
  transl,
  transliteration: transl,
  langx,
  "lang-x": langx,
  nihongo,
  "nihongo2": nihongo,
  "in lang": drop,
};

const CHINESE_LABELS = new Set(["zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk", "zh-sg", "zh-mo"]);

/** `lang-xx` by pattern; a bare language code (`{{en}}`, `{{ja icon}}`) is a label: dropped. */
export function match(key: string): Handler | undefined {
  if (key.startsWith("lang-") && key.length > 5) return langDash;
  if (LANGUAGE_PREFIXES.has(key) || CHINESE_LABELS.has(key)) return drop;
  if (key.endsWith(" icon") && LANGUAGE_PREFIXES.has(key.slice(0, -5))) return drop;
  return undefined;
}
