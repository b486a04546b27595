/**
 * An ordered worker pool for the page stages: jobs go to whichever worker is
 * free, results come back out in job order, and at most `maxInFlight` jobs are
 * outstanding, so memory stays flat whatever the dump size.
 *
 * @module
 */

import { Bz2FormatError, NotADumpError, WikizhError, XmlSyntaxError } from "./errors.ts";
import type { Article } from "./types.ts";
import type { CleanupOptions } from "./wikitext/mod.ts";
import type { ConversionOptions } from "./zhconv/mod.ts";

/** What a pool worker is told once, before any job. */
export interface WorkerInit {
  cleanup: CleanupOptions;
  conversion: ConversionOptions;
}

/**
 * A job: a fragment of XML holding whole pages, or a run of whole bzip2 streams to
 * decode first. Either way the worker parses, cleans and converts it by itself.
 */
export type Job =
  | {
    kind: "xml";
    bytes: Uint8Array;
    /** The dump's header (up to the first `<page>`) to put before `bytes`; null for the first. */
    header: Uint8Array | null;
    /** Whether this fragment ends the input (else the worker closes the root element). */
    last: boolean;
  }
  | {
    kind: "streams";
    bytes: Uint8Array;
    /** Offset of `bytes` in the input file, for error positions. */
    base: number;
    /** Whether the range holds the dump's first stream (the `<mediawiki>` header). */
    first: boolean;
    /** Whether this range ends the input (else the worker closes the root element). */
    last: boolean;
  };

export type WorkerRequest =
  | { type: "init"; init: WorkerInit }
  | { type: "job"; seq: number; job: Job };

/** An error crossing the worker boundary, rebuilt as the same class on this side. */
export interface WireError {
  name: string;
  message: string;
  byteOffset?: number;
  block?: number;
  line?: number;
  column?: number;
}

/**
 * A job's articles, and the error that stopped it, if any: a truncated last range
 * still yields the articles before the break, and the error is raised after them.
 */
export type WorkerReply =
  | { type: "ready" }
  | {
    type: "done";
    seq: number;
    articles: Article[];
    error: WireError | null;
    /** Lines of the job's own XML, so that XML error lines count from the dump's start. */
    lines: number;
  };

export function toWire(err: unknown): WireError {
  if (err instanceof Bz2FormatError) {
    return { name: err.name, message: err.message, byteOffset: err.byteOffset, block: err.block };
  }
  if (err instanceof XmlSyntaxError) {
    return {
      name: err.name,
      message: err.message,
      line: err.line,
      column: err.column,
      byteOffset: err.byteOffset,
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.stack ?? e.message };
}

function fromWire(w: WireError): Error {
  if (w.name === "Bz2FormatError") {
    return new Bz2FormatError(w.message, w.byteOffset ?? -1, w.block);
  }
  if (w.name === "XmlSyntaxError" || w.name === "NotADumpError") {
    const Cls = w.name === "NotADumpError" ? NotADumpError : XmlSyntaxError;
    return new Cls(w.message, w.line ?? 0, w.column ?? 0, w.byteOffset ?? -1);
  }
  if (w.name === "WikizhError") return new WikizhError(w.message, 1);
  return new Error(`worker: ${w.message}`);
}

/** Options of {@link OrderedPool}. */
export interface PoolOptions {
  threads: number;
  init: WorkerInit;
  /** Outstanding jobs at most; default 2 per worker. */
  maxInFlight?: number;
  /**
   * When given, an error goes here and the stream closes normally after the articles
   * before it, instead of erroring (an errored stream drops what its queues hold).
   */
  onError?: (err: unknown) => void;
}

/**
 * Runs jobs on `threads` workers spawned at construction (after the CLI revokes
 * read permission a new worker could not load its module).
 */
export class OrderedPool {
  #workers: Worker[] = [];
  #idle: Worker[] = [];
  #queue: { seq: number; job: Job }[] = [];
  #results = new Map<number, { articles: Article[]; error: Error | null; lines: number }>();
  /** Lines of XML in the jobs already emitted. */
  #lineBase = 0;
  #nextSeq = 0;
  #nextOut = 0;
  #failure: Error | null = null;
  #closed = false;
  #waiters: (() => void)[] = [];
  readonly maxInFlight: number;
  /**
   * Resolves once every worker has loaded its modules. Module loading is asynchronous:
   * the CLI must wait for this before it revokes read permission.
   */
  readonly ready: Promise<void>;
  #loaded: () => void;

  constructor(options: PoolOptions) {
    this.maxInFlight = options.maxInFlight ?? options.threads * 2;
    let loading = options.threads;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    this.#loaded = resolve;
    if (loading === 0) resolve();
    for (let i = 0; i < options.threads; i++) {
      const w = new Worker(new URL("./_worker.ts", import.meta.url).href, { type: "module" });
      w.onmessage = (e: MessageEvent<WorkerReply>) => {
        if (e.data.type === "ready") {
          if (--loading === 0) resolve();
        } else this.#onReply(w, e.data);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.#fail(new Error(`worker failed: ${e.message}`));
        resolve();
      };
      w.postMessage({ type: "init", init: options.init } satisfies WorkerRequest);
      this.#workers.push(w);
      this.#idle.push(w);
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const f of waiters) f();
  }

  #fail(err: Error): void {
    if (this.#failure === null) this.#failure = err;
    this.#wake();
  }

  #onReply(w: Worker, reply: WorkerReply & { type: "done" }): void {
    // Errors wait for their turn: the articles of earlier jobs are written first.
    const error = reply.error === null ? null : fromWire(reply.error);
    this.#results.set(reply.seq, { articles: reply.articles, error, lines: reply.lines });
    this.#idle.push(w);
    this.#dispatch();
    this.#wake();
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const { seq, job } = this.#queue.shift()!;
      const transfer = [job.bytes.buffer as ArrayBuffer];
      w.postMessage({ type: "job", seq, job } satisfies WorkerRequest, transfer);
    }
  }

  #inFlight(): number {
    return this.#nextSeq - this.#nextOut;
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Queues a job, first waiting while too many are outstanding. */
  async submit(job: Job, emit: (a: Article[]) => void): Promise<void> {
    while (this.#inFlight() >= this.maxInFlight) {
      this.drainReady(emit);
      if (this.#inFlight() < this.maxInFlight) break;
      await this.#wait();
    }
    if (this.#failure) throw this.#failure;
    this.#queue.push({ seq: this.#nextSeq++, job });
    this.#dispatch();
    this.drainReady(emit);
  }

  /** Emits the finished results that are next in order. */
  drainReady(emit: (a: Article[]) => void): void {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new Error("worker pool closed");
    for (;;) {
      const r = this.#results.get(this.#nextOut);
      if (r === undefined) return;
      this.#results.delete(this.#nextOut);
      this.#nextOut++;
      emit(r.articles);
      if (r.error !== null) {
        // The worker counted lines from its fragment's start.
        if (r.error instanceof XmlSyntaxError) r.error.line += this.#lineBase;
        this.#failure = r.error;
        throw r.error;
      }
      this.#lineBase += r.lines;
    }
  }

  /** Waits for every job and emits the rest in order. */
  async finish(emit: (a: Article[]) => void): Promise<void> {
    while (this.#inFlight() > 0) {
      this.drainReady(emit);
      if (this.#inFlight() === 0) break;
      await this.#wait();
    }
  }

  close(): void {
    this.#closed = true;
    this.#loaded();
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
    this.#idle = [];
    this.#wake();
  }
}

/**
 * A `TransformStream<Job, Article>`: each job is a fragment of whole pages (XML, or
 * bzip2 streams of a multistream dump) that a worker parses, cleans and converts.
 */
export class ParallelJobStream extends TransformStream<Job, Article> {
  /** See {@link OrderedPool.ready}. */
  readonly ready: Promise<void>;
  constructor(options: PoolOptions) {
    const pool = new OrderedPool(options);
    super({
      async transform(job, controller) {
        await guard(
          pool,
          controller,
          options,
          () => pool.submit(job, (a) => a.forEach((x) => controller.enqueue(x))),
        );
      },
      async flush(controller) {
        await guard(
          pool,
          controller,
          options,
          () => pool.finish((a) => a.forEach((x) => controller.enqueue(x))),
        );
        pool.close();
      },
      cancel() {
        pool.close();
      },
    });
    this.ready = pool.ready;
  }
}

/**
 * Any failure closes the pool, so no worker keeps the process alive; with `onError`
 * the stream then ends cleanly after the articles already emitted.
 */
async function guard(
  pool: OrderedPool,
  controller: TransformStreamDefaultController<Article>,
  options: PoolOptions,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    pool.close();
    if (options.onError === undefined) throw err;
    options.onError(err);
    controller.terminate();
  }
}
