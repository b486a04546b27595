/**
 * What a run shows while it works and when it ends: the live progress line (articles,
 * MB read of the total, MB/s, ETA) and the one summary line.
 *
 * @module
 */

import type { RunStats } from "../stats.ts";

/** A pass-through byte stream that counts what flows into the decoder. */
export function countBytes(stats: RunStats): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      stats.bytesIn += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

function mb(n: number): string {
  return (n / 1e6).toFixed(n >= 1e9 ? 0 : 1);
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(ss)}` : `${m}:${two(ss)}`;
}

/**
 * The live progress line: articles written, MB read of the total, MB/s, ETA.
 * The ETA uses the average rate since the start: input is read at a steady pace
 * once the pipeline is full, and the average does not jump with every chunk.
 */
export function formatProgress(stats: RunStats, now: number): string {
  const elapsed = Math.max(1e-3, (now - stats.startedAt) / 1000);
  // Start-up (loading workers) is not reading: the rate counts from the first byte.
  const flowing = Math.max(1e-3, (now - (stats.flowStartedAt || stats.startedAt)) / 1000);
  const rate = stats.bytesIn / flowing;
  const parts = [`${stats.articlesWritten.toLocaleString("en-US")} articles`];
  if (stats.bytesTotal > 0) {
    const pct = Math.min(100, (stats.bytesIn / stats.bytesTotal) * 100);
    parts.push(`${mb(stats.bytesIn)}/${mb(stats.bytesTotal)} MB (${pct.toFixed(1)}%)`);
  } else {
    parts.push(`${mb(stats.bytesIn)} MB`);
  }
  parts.push(`${(rate / 1e6).toFixed(1)} MB/s`);
  if (stats.bytesTotal > 0 && rate > 0 && stats.bytesIn > 0) {
    parts.push(`ETA ${duration((stats.bytesTotal - stats.bytesIn) / rate)}`);
  }
  parts.push(`elapsed ${duration(elapsed)}`);
  return parts.join(" · ");
}

/** The one summary line printed at the end of a run. */
export function formatSummary(stats: RunStats, now: number): string {
  const s = stats.skipped;
  const skipped = (Object.keys(s) as (keyof typeof s)[])
    .filter((k) => s[k] > 0)
    .map((k) => `${k} ${s[k]}`)
    .join(", ");
  const redirects = stats.redirectsWritten > 0 ? `, ${stats.redirectsWritten} redirects` : "";
  const missing = [...stats.unresolvedGroups.entries()].sort((x, y) => y[1] - x[1]);
  const names = missing.slice(0, 5).map(([name, uses]) => `${name} ×${uses}`).join(", ");
  const more = missing.length > 5 ? ", …" : "";
  const groups = `; conversion groups from ${stats.groupSource}` +
    (missing.length > 0 ? `, ${missing.length} not found: ${names}${more}` : "");
  return `wikizh: ${stats.articlesWritten} articles written${redirects}; ` +
    `skipped ${skipped.length > 0 ? skipped : "none"}; ` +
    `${duration((now - stats.startedAt) / 1000)} elapsed${groups}`;
}
