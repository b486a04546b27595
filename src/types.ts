/**
 * Records that flow between the stages of the pipeline.
 *
 * xml → {@link PageRecord} → wikitext → {@link CleanPage} → zhconv → {@link Article} → sink
 *
 * @module
 */

/** One `<page>` of a MediaWiki XML dump, as the XML stage emits it. */
export interface PageRecord {
  /** Page id (`<page><id>`). */
  id: number;
  /** Namespace number (`<ns>`), 0 for articles. */
  ns: number;
  /** Title as written in the dump. */
  title: string;
  /** Redirect target (`<redirect title="…"/>`), or null. */
  redirect: string | null;
  /** Wikitext of the latest revision; "" when empty or deleted. */
  text: string;
}

/** Why a page produced no article. */
export type SkipReason =
  | "namespace"
  | "redirect"
  | "empty"
  | "disambig"
  | "short";

/**
 * A piece of cleaned text. The wikitext stage emits these; the variant stage
 * interprets them, so that language-variant rules apply from where they appear.
 *
 * - `text`: prose, converted to the output variant.
 * - `raw`: verbatim, never converted (`<math>`, `<code>`, `<nowiki>`, `{{lang|ja|…}}`…).
 * - `conv`: the inside of a `-{…}-` node, its inner markup already rendered to text
 *   (flags and rules intact, e.g. `H|zh-cn:博客;zh-tw:部落格`).
 * - `group`: the name of a public conversion group (`{{NoteTA|G1=IT}}` → `IT`).
 * - `nocc`: the page asks for no conversion (`__NOCC__`); `text` is "".
 */
export interface Segment {
  kind: "text" | "raw" | "conv" | "group" | "nocc";
  text: string;
}

/** A page after wikitext cleanup, before variant conversion. */
export interface CleanPage {
  id: number;
  ns: number;
  title: string;
  /** "article" when the page yields text, else why it was skipped. */
  status: "article" | SkipReason;
  redirect: string | null;
  segments: Segment[];
  /** Category names (without the namespace prefix), in page order. */
  categories: string[];
  /** Names of templates the cleaner did not know, one entry per use. */
  unknownTemplates: string[];
}

/** A finished page: converted title and text, ready for a sink. */
export interface Article {
  id: number;
  ns: number;
  title: string;
  status: "article" | SkipReason;
  /** Converted redirect target, or null. */
  redirect: string | null;
  text: string;
  categories: string[];
  unknownTemplates: string[];
  /** Conversion-group names (`G1=…`) used by the page that no rules file resolved. */
  unresolvedGroups: string[];
}
