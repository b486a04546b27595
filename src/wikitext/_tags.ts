/**
 * The tables of HTML and extension tags: which bodies are opaque, which tags break the
 * line, which vanish leaving their content, and which opaque bodies print what.
 *
 * @module
 */

/** Tags whose body is captured verbatim up to the matching close tag. */
export const OPAQUE_TAGS = new Set([
  "ref",
  "references",
  "gallery",
  "pre",
  "syntaxhighlight",
  "source",
  "score",
  "timeline",
  "graph",
  "mapframe",
  "maplink",
  "templatestyles",
  "imagemap",
  "inputbox",
  "includeonly",
  "hiero",
  "categorytree",
  "charinsert",
  "indicator",
  "templatedata",
  "nowiki",
  "code",
  "math",
  "chem",
  "ce",
  "section",
  "rss",
  "dynamicpagelist",
  "langconvert",
]);

/** HTML tags that start or end a block: kept as nodes so the renderer can break the line. */
export const BLOCK_TAGS = new Set([
  "br",
  "p",
  "div",
  "li",
  "dd",
  "dt",
  "tr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "blockquote",
  "center",
  "table",
  "ul",
  "ol",
  "dl",
  "caption",
  "td",
  "th",
]);

/** Inline HTML tags: the tag disappears, its content stays. */
export const INLINE_TAGS = new Set([
  "abbr",
  "b",
  "bdi",
  "bdo",
  "big",
  "cite",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "kbd",
  "mark",
  "q",
  "rb",
  "rp",
  "rt",
  "rtc",
  "ruby",
  "s",
  "samp",
  "small",
  "span",
  "strike",
  "strong",
  "sub",
  "sup",
  "time",
  "tt",
  "u",
  "var",
  "wbr",
  "noinclude",
  "onlyinclude",
  "poem",
  "tbody",
  "thead",
  "tfoot",
  "meta",
  "link",
]);

/** Tags that never hold content (`<br>` opens no element). */
export const VOID_TAGS = new Set(["br", "hr", "wbr", "meta", "link"]);

/** Opaque tags whose body is TeX, kept verbatim (or dropped with `math: "drop"`). */
export const TEX_TAGS = new Set(["math", "chem", "ce"]);
