/**
 * Templates that carry language-variant rules, expanded to the segments the variant
 * stage reads (see `Segment` in src/types.ts):
 *
 * - `{{NoteTA|T=…|1=zh-cn:…;zh-tw:…;|G1=IT}}` → conv `T|…`, conv `H|…` per rule, group per G.
 * - `{{地区用词|cn=硅|tw=矽}}`, `{{Lan|zh-cn=…}}` → an inline variant table, conv
 *   `zh-cn:硅;zh-tw:矽`: the variant stage shows the entry of the output variant.
 * - `{{各地中文名|cn=…|tw=…|hk=…}}` (a name box beside the lead) → conv `H|zh-cn:…;…`:
 *   it shows nothing in running text but its names convert the rest of the page.
 *
 * @module
 */

import type { Node } from "../_nodes.ts";
import type { TemplateContext } from "./context.ts";
import { type Handler, type TemplateCall, text as paramText } from "./call.ts";

/** A rule parameter's text: line breaks in it are layout of the rule syntax only. */
function text(r: TemplateContext, nodes: Node[] | undefined): string {
  const s = paramText(r, nodes);
  return s.indexOf("\n") < 0 ? s : s.replace(/\s*\n\s*/g, "");
}

/** `{{NoteTA}}` and its redirects (`{{TA}}`…): title rule, rules `1=`…, groups `G1=`…. */
export const noteTA: Handler = (t, r) => {
  const title = text(r, t.named("T", "t"));
  if (title) r.out.conv("T|" + title);
  // Numbered rules: explicit `1=` or positional, in order of their numbers.
  const rules: [number, string][] = [];
  const groups: string[] = [];
  for (const [name, value] of t.namedEntries()) {
    if (/^\d+$/.test(name)) rules.push([Number(name), text(r, value)]);
    else if (/^[Gg]\d+$/.test(name)) {
      const g = text(r, value);
      if (g) groups.push(g);
    }
  }
  for (let i = 1, n = 0; n < 64; i++, n++) {
    const p = t.arg(i);
    if (p === undefined) break;
    if (!rules.some(([k]) => k === i)) rules.push([i, text(r, p)]);
  }
  rules.sort((a, b) => a[0] - b[0]);
  for (const [, rule] of rules) if (rule) r.out.conv("H|" + rule);
  for (const g of groups) r.out.group(g);
};

/** Parameter names of regional words, in the order rules are written. */
const REGIONS: [string, string][] = [
  ["zh-cn", "cn"],
  ["zh-tw", "tw"],
  ["zh-hk", "hk"],
  ["zh-mo", "mo"],
  ["zh-sg", "sg"],
  ["zh-my", "my"],
  ["zh-hans", "hans"],
  ["zh-hant", "hant"],
];

function variantTable(t: TemplateCall, r: TemplateContext): string {
  let rule = "";
  for (const [code, short] of REGIONS) {
    const v = text(r, t.named(code, short));
    if (v) rule += code + ":" + v + ";";
  }
  if (rule === "") {
    // Positional form, as in `{{tr|大陆|台灣|香港}}`.
    const codes = ["zh-cn", "zh-tw", "zh-hk"];
    for (let i = 1; i <= 3; i++) {
      const v = text(r, t.arg(i));
      if (v) rule += codes[i - 1] + ":" + v + ";";
    }
  }
  return rule;
}

const regionalWord: Handler = (t, r) => {
  const rule = variantTable(t, r);
  if (rule) r.out.conv(rule);
};

const namesBox: Handler = (t, r) => {
  const rule = variantTable(t, r);
  if (rule) r.out.conv("H|" + rule);
};

/**
 * NoteTA's names on zhwiki (its redirects); a dump's own further redirects come in through the
 * `noteTaAliases` option.
 */
export const NOTETA_NAMES: readonly string[] = [
  "NoteTA",
  "Note TA",
  "TA",
  "NoteAT",
  "全文转换",
  "全文轉換",
  "全文字词转换",
  "全文字詞轉換",
  "字词转换",
  "字詞轉換",
];

export const templates: Record<string, Handler> = {
  地区用词: regionalWord,
  地區用詞: regionalWord,
  地区用词2: regionalWord,
  地區用詞2: regionalWord,
  lan: regionalWord,
  各地中文名: namesBox,
};
for (const n of NOTETA_NAMES) templates[n] = noteTA;
