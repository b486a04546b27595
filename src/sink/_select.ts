/**
 * Which pages the sink writes: counts every page into the run's stats, skips the
 * ones that yield no article (or are too short), and stops at `--limit`.
 *
 * @module
 */

import type { Article } from "../types.ts";
import type { RunStats } from "../stats.ts";

/** What the sink does with one page. */
export type Take = "article" | "redirect" | "skip";

export class Selector {
  readonly #stats: RunStats;
  readonly #minChars: number;
  readonly #limit: number;
  readonly #redirects: boolean;

  constructor(stats: RunStats, minChars = 0, limit = Infinity, redirects = false) {
    this.#stats = stats;
    this.#minChars = minChars;
    this.#limit = limit;
    this.#redirects = redirects;
  }

  /** Whether `--limit` articles have been written: nothing more is taken. */
  get full(): boolean {
    return this.#stats.articlesWritten >= this.#limit;
  }

  /** Counts the page and says what to write for it ("article" counts it as written). */
  take(article: Article): Take {
    const stats = this.#stats;
    if (this.full) return "skip";
    stats.pagesSeen++;
    for (const name of article.unknownInline ?? []) {
      stats.unknownInline.set(name, (stats.unknownInline.get(name) ?? 0) + 1);
    }
    for (const name of article.unknownTemplates) {
      stats.unknownTemplates.set(name, (stats.unknownTemplates.get(name) ?? 0) + 1);
    }
    for (const name of article.unresolvedGroups) {
      stats.unresolvedGroups.set(name, (stats.unresolvedGroups.get(name) ?? 0) + 1);
    }
    if (article.status !== "article") {
      stats.skipped[article.status]++;
      return article.status === "redirect" && this.#redirects && article.ns === 0
        ? "redirect"
        : "skip";
    }
    if (article.text.length === 0) {
      stats.skipped.empty++;
      return "skip";
    }
    if (article.text.length < this.#minChars) {
      stats.skipped.short++;
      return "skip";
    }
    stats.articlesWritten++;
    return "article";
  }
}
