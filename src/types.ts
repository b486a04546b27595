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
  /**
   * Set when the XML stage dropped the page's text (`text` is then ""): "oversize" for a
   * `<text>` above the size limit (64 MB). Later stages skip the page with this reason.
   */
  skip?: SkipReason;
}

/** Why a page produced no article. */
export type SkipReason =
  | "namespace"
  | "redirect"
  | "empty"
  | "disambig"
  | "short"
  | "oversize";

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
 * - `heading`: a section starts here (JSONL `sections`); `text` is its title as plain
 *   prose, not yet converted, and `level` its wikitext level (2–6). It is emitted only for
 *   sections whose text (or a subsection's) is written, before the heading line's own
 *   segments (if headings are kept), and displays nothing itself.
 */
export interface Segment {
  kind: "text" | "raw" | "conv" | "group" | "nocc" | "heading";
  text: string;
  /** `heading` only: the section level, 2–6. */
  level?: number;
}

/** One section of an article, as JSONL `sections` lists them. */
export interface Section {
  /** "" for the lead. */
  title: string;
  /** 1 for the lead, else the heading's level (2–6). */
  level: number;
  /** The section's own text, without its subsections'. */
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
  /** The subset of `unknownTemplates` used inside running text (not on a line of their own). */
  unknownInline?: string[];
}

/** A finished page: converted title and text, ready for a sink. */
export interface Article {
  id: number;
  ns: number;
  title: string;
  /** The title as the wiki names it (unconverted): JSONL `url` is built from it. */
  sourceTitle?: string;
  status: "article" | SkipReason;
  /** Converted redirect target, or null. */
  redirect: string | null;
  text: string;
  categories: string[];
  unknownTemplates: string[];
  unknownInline?: string[];
  /** Sections in page order (the lead first); absent sections had no text. */
  sections?: Section[];
  /** Conversion-group names (`G1=…`) used by the page that no rules file resolved. */
  unresolvedGroups: string[];
}

/** The one message every worker sends once its modules have loaded (before any work). */
export interface ReadyMessage {
  type: "ready";
}

/**
 * Every variant code MediaWiki's ZhConverter knows, in its order: the keys and flags of
 * `-{…}-` markup (the cleanup stage reads them as flags, the variant stage as keys).
 */
export const MW_VARIANT_CODES = [
  "zh",
  "zh-hans",
  "zh-hant",
  "zh-cn",
  "zh-hk",
  "zh-mo",
  "zh-my",
  "zh-sg",
  "zh-tw",
] as const;
