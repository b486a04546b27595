/**
 * The sink that writes files: articles in, checkpoints out. It formats each article,
 * cuts the output into shards at article boundaries, compresses each shard, writes the
 * redirects file beside it, and after each unit it finishes emits a {@link SinkCheckpoint}
 * from which a later run can resume to byte-identical output. Files are reached only
 * through an {@link OutputTarget}, which the CLI implements (the sink never touches Deno).
 *
 * @module
 */

import type { Article } from "../types.ts";
import type { RunStats } from "../stats.ts";
import {
  articleParts,
  articleUrl,
  formatRedirect,
  normalizeTitle,
  type OutputFormat,
} from "./_format.ts";
import { type FileEncoder, type Item, LineEncoder, ParquetEncoder, type Row } from "./_encoders.ts";
import type { Compression } from "./_names.ts";
import { Selector } from "./_select.ts";
import { CompressorThread } from "./_compress.ts";

/** Where the sink's files go. Shard numbers count from 0; an unsharded output is shard 0. */
export interface OutputTarget {
  /**
   * Opens shard `shard` for writing. `keep` is 0 for a new file; on resume it is the
   * checkpoint's `offset`: the unfinished file is cut to its first `keep` bytes and
   * written on after them.
   */
  create(shard: number, keep: number): Promise<WritableStream<Uint8Array>>;
  /** Shard `shard` is complete and its stream closed: it may appear under its final name. */
  finish(shard: number): Promise<void>;
}

/**
 * Where a run stands, emitted after each unit of output is written. Every byte it
 * counts has been written (the stream's `write` resolved): a run that resumes from it
 * ends with the same bytes as a run that was never interrupted.
 */
export interface SinkCheckpoint {
  /** Shards finished (`finish` called): shard `shards` is the one being written. */
  shards: number;
  /** Bytes of shard `shards` that stand (a prefix of its final bytes); 0 for Parquet. */
  offset: number;
  /** Bytes of the redirects file that stand (0 without one). */
  redirectBytes: number;
  /** Articles written so far (`stats.articlesWritten`). */
  articles: number;
  /** Redirect lines written so far (`stats.redirectsWritten`). */
  redirects: number;
  /** Id of the last page the output accounts for, or null before any. */
  lastId: number | null;
  /** The output is complete: every shard finished (the last record of a run). */
  done: boolean;
}

/** Options of {@link ArticleSink}. */
export interface ArticleSinkOptions {
  /** `text` (default), `jsonl` or `parquet`. */
  format?: OutputFormat;
  /** Compression of text / JSONL output (see `compressionFor`); Parquet compresses its pages itself. */
  compression?: Compression;
  target: OutputTarget;
  /** Most bytes a shard file may have; unset: one file, shard 0. An article larger than this gets a shard of its own. */
  shardSize?: number;
  /** Where `别名<TAB>目标` lines go (one file, shard 0), and its compression. */
  redirects?: { target: OutputTarget; compression?: Compression };
  /** Articles with fewer characters of text are skipped as "short". Default 0. */
  minChars?: number;
  /** Stop after this many articles (the stream then terminates, cancelling upstream). */
  limit?: number;
  stats: RunStats;
  /**
   * Uncompressed bytes per unit: a gzip member, zstd frame or Parquet row group, and the
   * resume granularity. Default 16 MiB. A resumed run must use the
   * value of the first.
   */
  unitBytes?: number;
  /**
   * Compress the main output on a worker of its own (default true): gzip and zstd then
   * cost this thread almost nothing. The CLI awaits {@link ArticleSink.ready} before it
   * revokes read permission.
   */
  compressionWorker?: boolean;
  /** Continue from this checkpoint: pages up to `lastId` are skipped (see {@link skipsPage}). */
  resume?: SinkCheckpoint;
}

const TEXT_UNIT = 16 * 2 ** 20;
const PARQUET_UNIT = 16 * 2 ** 20;

/**
 * Whether a resumed run skips the page `id`, given the checkpoint's `lastId` and whether
 * that page has been passed. Dumps list pages by increasing id, so a page with a larger
 * id also means it was passed (a run that starts at a later bzip2 stream loses nothing).
 */
export function skipsPage(id: number, lastId: number | null, passed: boolean): boolean {
  return lastId !== null && !passed && id <= lastId;
}

/**
 * `TransformStream<Article, SinkCheckpoint>`: writes the articles through `target` and
 * emits a checkpoint after each unit (text / JSONL: each unit; Parquet: each finished
 * shard) and a last one with `done: true`. With `limit`, it terminates after the last
 * article it may write, which cancels the stages above it.
 */
export class ArticleSink extends TransformStream<Article, SinkCheckpoint> {
  /** Resolves once the compression worker (if any) has loaded. */
  readonly ready: Promise<void>;

  constructor(options: ArticleSinkOptions) {
    const state = new SinkState(options);
    super({
      start: (controller) => state.start(controller),
      transform: (article) => state.take(article),
      flush: () => state.end(),
      cancel: (reason) => state.abort(reason),
    });
    this.ready = state.ready;
    this.close = () => state.close();
  }

  /**
   * Stops the compression worker. The sink does so itself when it ends or is cancelled;
   * call this when it is dropped without being run.
   */
  readonly close: () => void;
}

/** Largest reused encoding buffer (longer articles are encoded on their own). */
const MAX_SCRATCH = 8 << 20;

class SinkState {
  readonly #o: ArticleSinkOptions;
  readonly #format: OutputFormat;
  readonly #selector: Selector;
  readonly #encoder = new TextEncoder();
  /**
   * An article's bytes are encoded here, then copied on by the file's encoder before the
   * next article comes: `encodeInto` a reused buffer took 0.69× the time of `encode`
   * (55 MB of output), and no buffer per article is left for the collector.
   */
  #scratch = new Uint8Array(1 << 20);
  readonly #shardSize: number;
  readonly #unit: number;
  #controller!: TransformStreamDefaultController<SinkCheckpoint>;
  #shard: number;
  #keep: number;
  #file: FileEncoder | null = null;
  /** Articles in the open shard (a resumed shard counts as holding some). */
  #inShard = 0;
  #redirects: LineEncoder | null = null;
  #redirectKeep: number;
  #lastId: number | null;
  #passed = false;
  #skipUntil: number | null;
  #ended = false;
  /** Articles added to a file (the selector counts one before it is added). */
  #articles: number;
  readonly #thread: CompressorThread | null;
  readonly ready: Promise<void>;

  constructor(o: ArticleSinkOptions) {
    this.#o = o;
    this.#format = o.format ?? "text";
    this.#selector = new Selector(o.stats, o.minChars, o.limit, o.redirects !== undefined);
    this.#shardSize = o.shardSize ?? Infinity;
    this.#unit = o.unitBytes ?? (this.#format === "parquet" ? PARQUET_UNIT : TEXT_UNIT);
    const r = o.resume;
    this.#shard = r?.shards ?? 0;
    this.#keep = r?.offset ?? 0;
    this.#redirectKeep = r?.redirectBytes ?? 0;
    this.#lastId = r?.lastId ?? null;
    this.#skipUntil = this.#lastId;
    this.#articles = r?.articles ?? 0;
    const compressed = this.#format !== "parquet" && (o.compression ?? "none") !== "none";
    this.#thread = compressed && o.compressionWorker !== false ? new CompressorThread() : null;
    this.ready = this.#thread?.ready ?? Promise.resolve();
    if (r !== undefined) {
      o.stats.articlesWritten = r.articles;
      o.stats.redirectsWritten = r.redirects;
    }
  }

  start(controller: TransformStreamDefaultController<SinkCheckpoint>): void {
    this.#controller = controller;
  }

  async take(article: Article): Promise<void> {
    if (this.#ended) return;
    if (skipsPage(article.id, this.#skipUntil, this.#passed)) {
      if (article.id === this.#skipUntil) this.#passed = true;
      return;
    }
    this.#passed = true;
    const take = this.#selector.take(article);
    if (take === "article") await this.#article(article);
    else if (take === "redirect") await this.#redirect(article);
    this.#lastId = article.id;
    if (take === "article" && this.#file!.open >= this.#unit) await this.#endUnit();
    if (take === "article" && this.#selector.full) {
      await this.end();
      this.#controller.terminate();
    }
  }

  async #article(article: Article): Promise<void> {
    const item = this.#item(article);
    this.#o.stats.bytesOut += item.size;
    let file = this.#file ?? await this.#open();
    if (this.#inShard > 0 && file.bound(item.size) > this.#shardSize) {
      // Exact size first: the open unit may still leave room.
      if (file.open > 0) await this.#endUnit();
      if (file.bound(item.size) > this.#shardSize) {
        await this.#finishShard();
        file = await this.#open();
      }
    }
    await file.add(item);
    this.#inShard++;
    this.#articles++;
  }

  #item(article: Article): Item {
    if (this.#format === "parquet") {
      const row: Row = {
        id: article.id,
        url: articleUrl(normalizeTitle(article.sourceTitle ?? article.title)),
        title: normalizeTitle(article.title),
        text: article.text,
        categories: article.categories,
      };
      let size = 8 + utf8Length(row.url) + utf8Length(row.title) + utf8Length(row.text);
      for (const c of row.categories) size += 4 + utf8Length(c);
      return { size, row };
    }
    return this.#encode(articleParts(article, this.#format));
  }

  /** `parts` one after another as UTF-8: a view of {@link #scratch}, valid until the next call. */
  #encode(parts: string[]): Item {
    let units = 0;
    for (const p of parts) units += p.length;
    // At most 3 bytes a UTF-16 unit; a huge article gets a buffer of its own.
    if (units * 3 > MAX_SCRATCH) {
      const bytes = this.#encoder.encode(parts.join(""));
      return { size: bytes.length, bytes };
    }
    if (this.#scratch.length < units * 3) {
      this.#scratch = new Uint8Array(Math.max(units * 3, this.#scratch.length * 2));
    }
    const scratch = this.#scratch;
    let n = 0;
    for (const p of parts) {
      n += this.#encoder.encodeInto(p, n === 0 ? scratch : scratch.subarray(n)).written;
    }
    return { size: n, bytes: scratch.subarray(0, n) };
  }

  async #redirect(article: Article): Promise<void> {
    const line = formatRedirect(article);
    if (line === null) return;
    this.#o.stats.redirectsWritten++;
    const r = this.#redirects ?? await this.#openRedirects();
    const bytes = this.#encoder.encode(line);
    await r.add({ size: bytes.length, bytes });
    // Bounded buffers; the bytes past the last checkpoint are cut off on resume.
    if (r.open >= this.#unit) await r.endUnit();
  }

  async #open(): Promise<FileEncoder> {
    const stream = await this.#o.target.create(this.#shard, this.#keep);
    this.#file = this.#format === "parquet"
      ? new ParquetEncoder(stream)
      : new LineEncoder(stream, this.#o.compression ?? "none", this.#keep, this.#thread);
    this.#inShard = this.#keep > 0 ? 1 : 0;
    this.#keep = 0;
    return this.#file;
  }

  async #openRedirects(): Promise<LineEncoder> {
    const r = this.#o.redirects!;
    const stream = await r.target.create(0, this.#redirectKeep);
    this.#redirects = new LineEncoder(stream, r.compression ?? "none", this.#redirectKeep);
    return this.#redirects;
  }

  /** Ends the open unit; a resumable one is a checkpoint. */
  async #endUnit(): Promise<void> {
    const file = this.#file!;
    await file.endUnit();
    if (file.resumable) await this.#checkpoint(false);
  }

  async #finishShard(): Promise<void> {
    await this.#file!.finish();
    this.#file = null;
    await this.#o.target.finish(this.#shard);
    this.#shard++;
    await this.#checkpoint(false);
  }

  async #checkpoint(done: boolean): Promise<void> {
    // The redirects written so far belong to pages up to lastId: make them stand too.
    await this.#redirects?.endUnit();
    const file = this.#file;
    const stats = this.#o.stats;
    this.#controller.enqueue({
      shards: this.#shard,
      offset: file !== null && file.resumable ? file.committed : 0,
      redirectBytes: this.#redirects?.committed ?? this.#redirectKeep,
      articles: this.#articles,
      redirects: stats.redirectsWritten,
      lastId: this.#lastId,
      done,
    });
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    // An empty run still leaves one (empty, valid) file.
    if (
      this.#file === null && this.#inShard === 0 && this.#shard === (this.#o.resume?.shards ?? 0)
    ) {
      await this.#open();
    }
    if (this.#file !== null) {
      await this.#file.finish();
      this.#file = null;
      await this.#o.target.finish(this.#shard);
      this.#shard++;
    }
    if (this.#o.redirects !== undefined) {
      const r = this.#redirects ?? await this.#openRedirects();
      await r.finish();
      await this.#o.redirects.target.finish(0);
    }
    this.close();
    const stats = this.#o.stats;
    this.#controller.enqueue({
      shards: this.#shard,
      offset: 0,
      redirectBytes: this.#redirects?.committed ?? 0,
      articles: this.#articles,
      redirects: stats.redirectsWritten,
      lastId: this.#lastId,
      done: true,
    });
  }

  async abort(reason: unknown): Promise<void> {
    this.#ended = true;
    await this.#file?.abort(reason);
    await this.#redirects?.abort(reason);
    this.close();
  }

  close(): void {
    this.#thread?.close();
  }
}

/** UTF-8 length of a string, without encoding it. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}
