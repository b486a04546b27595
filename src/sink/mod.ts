/**
 * Sink stage: formats finished articles as text, JSON lines or Parquet, counts what was
 * written and skipped, and writes redirects as a synonym table.
 *
 * {@link ArticleSink} writes files through an {@link OutputTarget}: compressed by OUT's
 * extension, cut into shards, with checkpoints to resume from. {@link SinkStream} is the
 * older byte stream of text or JSONL for one output.
 *
 * @module
 */

import type { Article } from "../types.ts";
import type { RunStats } from "../stats.ts";
import {
  articleUrl,
  formatArticle,
  formatRedirect,
  jsonRecord,
  normalizeTitle,
  type OutputFormat,
} from "./_format.ts";
import { Selector } from "./_select.ts";

export {
  ArticleSink,
  type ArticleSinkOptions,
  type OutputTarget,
  type SinkCheckpoint,
  skipsPage,
} from "./_article_sink.ts";
export { type Compression, compressionFor, isParquetPath, parseSize, shardName } from "./_names.ts";

export type { OutputFormat };
export { articleUrl, formatArticle, formatRedirect, jsonRecord, normalizeTitle };

/** Options of {@link SinkStream}. */
export interface SinkOptions {
  /** `text` (default): `【标题】` line, text, blank line. `jsonl`: one JSON object per line. */
  format?: "text" | "jsonl";
  /** Articles with fewer characters of text are skipped as "short". Default 0. */
  minChars?: number;
  /** Stop after this many articles (the stream then terminates, cancelling upstream). */
  limit?: number;
  /** Where `别名<TAB>目标` lines go; none when absent. The sink closes it at the end. */
  redirects?: WritableStream<Uint8Array>;
  /** Counters to fill; progress and summary read them. */
  stats: RunStats;
}

/** Output is gathered into chunks of about this many UTF-16 units before encoding. */
const BATCH = 256 * 1024;

/**
 * A `TransformStream<Article, Uint8Array>`: its readable is the main output's bytes.
 * With `limit`, it terminates after the last article it may write, which cancels the
 * stages above it.
 */
export class SinkStream extends TransformStream<Article, Uint8Array> {
  constructor(options: SinkOptions) {
    const { stats } = options;
    const format = options.format ?? "text";
    const limit = options.limit ?? Infinity;
    const selector = new Selector(stats, options.minChars, limit, options.redirects !== undefined);
    const encoder = new TextEncoder();
    const redirectWriter = options.redirects?.getWriter() ?? null;
    let out: string[] = [];
    let outLen = 0;
    let redirectLines: string[] = [];
    let redirectLen = 0;

    const flushOut = (controller: TransformStreamDefaultController<Uint8Array>) => {
      if (outLen === 0) return;
      const bytes = encoder.encode(out.join(""));
      out = [];
      outLen = 0;
      stats.bytesOut += bytes.length;
      controller.enqueue(bytes);
    };
    const flushRedirects = async () => {
      if (redirectWriter === null || redirectLen === 0) return;
      const bytes = encoder.encode(redirectLines.join(""));
      redirectLines = [];
      redirectLen = 0;
      await redirectWriter.write(bytes);
    };
    const finish = async (controller: TransformStreamDefaultController<Uint8Array>) => {
      flushOut(controller);
      await flushRedirects();
      if (redirectWriter !== null) await redirectWriter.close();
    };

    super({
      async transform(article, controller) {
        const take = selector.take(article);
        if (take === "redirect") {
          const line = formatRedirect(article);
          if (line !== null) {
            redirectLines.push(line);
            redirectLen += line.length;
            stats.redirectsWritten++;
            if (redirectLen >= BATCH) await flushRedirects();
          }
        }
        if (take !== "article") return;
        const s = formatArticle(article, format);
        out.push(s);
        outLen += s.length;
        if (outLen >= BATCH) flushOut(controller);
        if (selector.full) {
          await finish(controller);
          controller.terminate();
        }
      },
      async flush(controller) {
        if (stats.articlesWritten >= limit && limit !== Infinity) return;
        await finish(controller);
      },
    });
  }
}
