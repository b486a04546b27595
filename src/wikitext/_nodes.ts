/**
 * The small tree the tokenizer builds from one page of wikitext: one node kind per
 * construct (template, link, tag, heading, list, table, `-{…}-`, switch, failed opener).
 *
 * Plain text is a JS string (a slice of the input; HTML entities are decoded
 * when rendering). Every other node is an object with a numeric kind `k`.
 * The tree is at most {@link MAX_DEPTH} frames deep, so the renderer may
 * recurse over it without risking the call stack.
 *
 * @module
 */

/** Openers beyond this nesting depth are ignored (MediaWiki stops expanding at 40–100 too). */
export const MAX_DEPTH = 96;

export const TEMPLATE = 1;
export const ARG = 2;
export const LINK = 3;
export const EXTLINK = 4;
export const TAG = 5;
export const EXT = 6;
export const HEADING = 7;
export const LIST = 8;
export const TABLE = 9;
export const CONV = 10;
export const SWITCH = 11;
export const FAILED = 12;

/** `{{name|a|b=c}}`: parts[0] is the name, the rest are parameters as written. */
export interface TemplateNode {
  k: typeof TEMPLATE;
  parts: Node[][];
}

/** `{{{1|default}}}` (template argument; only meaningful outside articles). */
export interface ArgNode {
  k: typeof ARG;
  parts: Node[][];
}

/** `[[target|text]]`: parts[0] is the target, the rest are the pipe-separated pieces. */
export interface LinkNode {
  k: typeof LINK;
  parts: Node[][];
}

/** `[http://x label]`. */
export interface ExtLinkNode {
  k: typeof EXTLINK;
  url: string;
  label: Node[];
}

/** An HTML tag whose content flows on as ordinary wikitext (only tags that break lines are kept). */
export interface TagNode {
  k: typeof TAG;
  name: string;
  closing: boolean;
}

/** A tag with an opaque body: `<ref>`, `<math>`, `<nowiki>`, `<gallery>`… (body null: `<x/>`). */
export interface ExtNode {
  k: typeof EXT;
  name: string;
  attrs: string;
  body: string | null;
}

/** `== title ==`. */
export interface HeadingNode {
  k: typeof HEADING;
  level: number;
  children: Node[];
}

/** The `*#:;` markers that start a list item; the item runs to the end of the line. */
export interface ListNode {
  k: typeof LIST;
  markers: string;
}

export interface TableCell {
  header: boolean;
  children: Node[];
}

/** `{| … |}`: rows of cells (attributes already stripped), plus the caption cells. */
export interface TableNode {
  k: typeof TABLE;
  caption: Node[];
  rows: TableCell[][];
}

/** `-{ … }-`: the inside, still as nodes (flags and rules are ordinary text). */
export interface ConvNode {
  k: typeof CONV;
  children: Node[];
}

/** `__NOTOC__`, `__NOCC__`, `__消除歧义__`… (name without underscores, as written). */
export interface SwitchNode {
  k: typeof SWITCH;
  name: string;
}

/**
 * An opener that was never closed (`{{`, `[[`, `[http…`, `-{`): its content degrades to
 * text. `open` is the opener kind, so the renderer can decide whether to show it.
 */
export interface FailedNode {
  k: typeof FAILED;
  open: number;
  parts: Node[][];
}

export type Node =
  | string
  | TemplateNode
  | ArgNode
  | LinkNode
  | ExtLinkNode
  | TagNode
  | ExtNode
  | HeadingNode
  | ListNode
  | TableNode
  | ConvNode
  | SwitchNode
  | FailedNode;
