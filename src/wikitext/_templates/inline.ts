/**
 * Templates that wrap words the reader sees: formatting wrappers (`{{nowrap|…}}`,
 * `{{small|…}}`), quotations (`{{quote|…}}`, `{{cquote|…}}`), list wrappers
 * (`{{columns-list|…}}`, `{{plainlist|…}}`), inline notes that keep their text
 * (`{{Which|…}}`, `{{fact|…}}`), and code/TeX wrappers (verbatim).
 *
 * @module
 */

import type { Node } from "../_nodes.ts";
import { blank, first, type Handler, text, trimNodes } from "./call.ts";

/** Shows the first positional parameter. */
const firstArg: Handler = (t, r) => {
  first(r, t.arg(1));
};

/** Shows the second positional parameter, else the first (`{{sort|key|text}}`). */
const secondArg: Handler = (t, r) => {
  first(r, t.arg(2), t.arg(1));
};

/** Shows the last positional parameter (`{{font color|fg|bg|text}}`, `{{resize|90%|text}}`). */
const lastArg: Handler = (t, r) => {
  const n = t.count;
  if (n > 0) first(r, t.arg(n));
};

/** `{{font|text=…|color=…}}` or `{{font|…}}`. */
const font: Handler = (t, r) => {
  if (!first(r, t.named("text", "t"))) lastArg(t, r);
};

/** A quotation: its own line(s), without the attribution. */
const quote: Handler = (t, r) => {
  r.out.newline();
  first(r, t.named("text", "quote", "quotetext", "引文"), t.arg(1));
  r.out.newline();
};

/** Wrappers around a block list: the list itself (the last positional parameter). */
const listWrapper: Handler = (t, r) => {
  const body = t.arg(t.count) ?? t.named("1", "content", "list");
  if (body === undefined) return;
  r.out.newline();
  r.nodes(body);
  r.out.newline();
};

/** `{{hlist|a|b}}`, `{{unbulleted list|a|b}}`: one item per line. */
const itemList: Handler = (t, r) => {
  const n = t.count;
  for (let i = 1; i <= n; i++) {
    const item = t.arg(i);
    if (item === undefined || blank(r, item)) continue;
    r.out.newline();
    r.nodes(trimNodes(item));
  }
  r.out.newline();
};

/** `{{key press|Ctrl|C}}` → Ctrl+C. */
const keys: Handler = (t, r) => {
  const out: string[] = [];
  for (let i = 1; i <= t.count; i++) {
    const k = text(r, t.arg(i));
    if (k) out.push(k);
  }
  if (out.length) r.out.raw(out.join("+"));
};

/** Code and TeX wrappers: verbatim. */
const verbatim: Handler = (t, r) => {
  const p: Node[] | undefined = t.arg(1);
  const s = p === undefined ? "" : r.flat(p).trim();
  if (s) r.out.raw(s);
};

export const templates: Record<string, Handler> = {
  nowrap: firstArg,
  nobr: firstArg,
  nobreak: firstArg,
  "no wrap": firstArg,
  small: firstArg,
  big: firstArg,
  smaller: firstArg,
  larger: firstArg,
  large: firstArg,
  huge: firstArg,
  "small caps": firstArg,
  smallcaps: firstArg,
  sc: firstArg,
  sup: firstArg,
  sub: firstArg,
  su: firstArg,
  bold: firstArg,
  b: firstArg,
  em: firstArg,
  italic: firstArg,
  underline: firstArg,
  u: firstArg,
  strikethrough: firstArg,
  s: firstArg,
  del: firstArg,
  forceconvert: firstArg,
  which: firstArg,
  fact: firstArg,
  "citation needed": firstArg,
  "citation needed span": firstArg,
  来源请求: firstArg,
  來源請求: firstArg,
  "clarify span": firstArg,
  sic: firstArg,
  tooltip: firstArg,
  abbr: firstArg,
  "hover title": firstArg,
  math: firstArg,
  "nowrap begin": firstArg,
  unicode: firstArg,
  "script": secondArg,
  sort: secondArg,
  sortname: secondArg,
  color: secondArg,
  colour: secondArg,
  "font color": lastArg,
  "color text": secondArg,
  resize: lastArg,
  font,
  quote: quote,
  quotation: quote,
  blockquote: quote,
  cquote: quote,
  cquote2: quote,
  rquote: quote,
  "quote box": quote,
  quotebox: quote,
  "centered pull quote": quote,
  "pull quote": quote,
  "columns-list": listWrapper,
  "columns list": listWrapper,
  "col-list": listWrapper,
  "div col list": listWrapper,
  "plainlist": listWrapper,
  "plain list": listWrapper,
  "flatlist": listWrapper,
  "flat list": listWrapper,
  "bulleted list": itemList,
  "unbulleted list": itemList,
  "ubl": itemList,
  "hlist": itemList,
  "key press": keys,
  key: keys,
  kbd: verbatim,
  code: verbatim,
  mono: verbatim,
  tmath: verbatim,
  mvar: verbatim,
  "math var": verbatim,
};
