import type { Article } from "../types.ts";

export type OutputFormat = "text" | "jsonl";

/** One article in the chosen output format, with its trailing separator. */
export function formatArticle(article: Article, format: OutputFormat): string {
  if (format === "jsonl") {
    return JSON.stringify({
      id: article.id,
      title: article.title,
      url: articleUrl(article.title),
      text: article.text,
      categories: article.categories,
    }) + "\n";
  }
  return `【${article.title}】\n${article.text}\n\n`;
}

/** `别名<TAB>目标` for a redirect page, or null when it has no usable target. */
export function formatRedirect(article: Article): string | null {
  const target = article.redirect?.trim() ?? "";
  if (target.length === 0) return null;
  // A tab or newline inside a title would break the table's two columns.
  return `${oneLine(article.title)}\t${oneLine(target)}\n`;
}

function oneLine(s: string): string {
  return s.replace(/[\t\r\n]+/g, " ");
}

/** `https://zh.wikipedia.org/wiki/<title>` with MediaWiki's underscores and percent-encoding. */
export function articleUrl(title: string): string {
  const path = encodeURIComponent(title.replaceAll(" ", "_"))
    .replaceAll("%2F", "/")
    .replaceAll("%3A", ":");
  return `https://zh.wikipedia.org/wiki/${path}`;
}
