/**
 * How one article (or redirect) is written in each line-based format, and the
 * normalisation every title gets first, so that no title can break a line format.
 *
 * @module
 */

import type { Article, Section } from "../types.ts";

/** The main output's format: `【标题】` text, JSON lines, or Parquet columns. */
export type OutputFormat = "text" | "jsonl" | "parquet";

/**
 * A title as it may be written: line breaks, tabs and other control characters
 * (C0, DEL, C1, U+2028/U+2029) become one space each run, and the ends are trimmed.
 * Without this a title holding a newline could forge a `【…】` header line.
 */
export function normalizeTitle(title: string): string {
  // Fast path: almost every title is clean.
  if (!CONTROL.test(title)) return title;
  return title.replace(CONTROL_RUNS, " ").trim();
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// deno-lint-ignore no-control-regex
const CONTROL_RUNS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** The JSONL `sections` of an article, titles normalised. */
function sections(list: Section[]): Section[] {
  return list.map((s) => ({ title: normalizeTitle(s.title), level: s.level, text: s.text }));
}

/**
 * One article as a JSONL record: the `wikimedia/wikipedia` columns (`id`, `url`,
 * `title`, `text`) first, then `categories` and, when the variant stage gave them,
 * `sections`.
 */
export function jsonRecord(article: Article): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: article.id,
    url: articleUrl(normalizeTitle(article.sourceTitle ?? article.title)),
    title: normalizeTitle(article.title),
    text: article.text,
    categories: article.categories,
  };
  if (article.sections !== undefined) record.sections = sections(article.sections);
  return record;
}

/** One article in a line-based output format, with its trailing separator. */
export function formatArticle(article: Article, format: "text" | "jsonl"): string {
  return articleParts(article, format).join("");
}

/**
 * {@link formatArticle}'s string in the pieces it is made of, so that a writer can encode
 * them one after another: joined, the article's text would be copied once more.
 */
export function articleParts(article: Article, format: "text" | "jsonl"): string[] {
  if (format === "jsonl") return [JSON.stringify(jsonRecord(article)), "\n"];
  return [`【${normalizeTitle(article.title)}】\n`, article.text, "\n\n"];
}

/** `别名<TAB>目标` for a redirect page, or null when it has no usable target. */
export function formatRedirect(article: Article): string | null {
  // A tab or newline inside a title would break the table's two columns.
  const target = normalizeTitle(article.redirect ?? "");
  if (target.length === 0) return null;
  return `${normalizeTitle(article.title)}\t${target}\n`;
}

/** `https://zh.wikipedia.org/wiki/<title>` with MediaWiki's underscores and percent-encoding. */
export function articleUrl(title: string): string {
  const path = encodeURIComponent(title.replaceAll(" ", "_"))
    .replaceAll("%2F", "/")
    .replaceAll("%3A", ":");
  return `https://zh.wikipedia.org/wiki/${path}`;
}
