/**
 * Counters of one run, shared by the sink (which fills them), the progress
 * display and the final summary / `--stats` file.
 *
 * @module
 */

import type { SkipReason } from "./types.ts";

export class RunStats {
  /** Pages read from the dump, of every namespace. */
  pagesSeen = 0;
  articlesWritten = 0;
  redirectsWritten = 0;
  skipped: Record<SkipReason, number> = {
    namespace: 0,
    redirect: 0,
    empty: 0,
    disambig: 0,
    short: 0,
    oversize: 0,
  };
  /** Compressed (or plain) bytes read from the input so far. */
  bytesIn = 0;
  /** Size of the input when known (a file), else 0 (stdin). */
  bytesTotal = 0;
  /** UTF-8 bytes of article output written. */
  bytesOut = 0;
  unknownTemplates = new Map<string, number>();
  /** The uses of unknown templates inside running text (their words may be lost). */
  unknownInline = new Map<string, number>();
  unresolvedGroups = new Map<string, number>();
  /** Where the conversion groups came from (the dump's index, a rules file, the snapshot). */
  groupSource = "the bundled snapshot";
  /** Seconds spent reading the multistream index, and reading the group pages it points at. */
  indexSeconds = 0;
  groupLookupSeconds = 0;
  startedAt = 0;
  /** When input began to flow (after start-up); the progress rate counts from here. */
  flowStartedAt = 0;

  /** The `n` most used unknown template names, most used first (`inline`: used inside text). */
  topUnknownTemplates(n: number, inline = false): [string, number][] {
    return [...(inline ? this.unknownInline : this.unknownTemplates).entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n);
  }

  /** A plain object for the `--stats` JSON file. */
  toJSON(now: number): Record<string, unknown> {
    const elapsed = Math.max(0, now - this.startedAt) / 1000;
    const skippedTotal = Object.values(this.skipped).reduce((a, b) => a + b, 0);
    return {
      pages_seen: this.pagesSeen,
      articles_written: this.articlesWritten,
      redirects_written: this.redirectsWritten,
      pages_skipped: skippedTotal,
      skipped_by_reason: { ...this.skipped },
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
      elapsed_seconds: Number(elapsed.toFixed(3)),
      input_mb_per_second: elapsed > 0 ? Number((this.bytesIn / 1e6 / elapsed).toFixed(2)) : 0,
      unknown_templates: Object.fromEntries(this.topUnknownTemplates(100)),
      unknown_inline_templates: Object.fromEntries(this.topUnknownTemplates(100, true)),
      group_source: this.groupSource,
      index_read_seconds: Number(this.indexSeconds.toFixed(3)),
      group_lookup_seconds: Number(this.groupLookupSeconds.toFixed(3)),
      unresolved_groups: Object.fromEntries(
        [...this.unresolvedGroups.entries()].sort((a, b) => b[1] - a[1]),
      ),
    };
  }
}
