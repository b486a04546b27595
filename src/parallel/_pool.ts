/**
 * An ordered pool of page workers: jobs go to whichever worker is free, articles come
 * back out in job order, and at most `maxInFlight` jobs are outstanding, so memory stays
 * flat whatever the dump size. Pages that straddle two jobs (bzip2 streams cut at any
 * byte) are joined and processed on this thread, in their place.
 *
 * @module
 */

import { endWithError, type OnError, XmlSyntaxError } from "../errors.ts";
import type { Article, PageRecord, ReadyMessage } from "../types.ts";
import { PageReader } from "../xml/mod.ts";
import { countLines, pageChain, parseFragment, ROOT_OPEN } from "./_chain.ts";
import {
  fromWire,
  type Job,
  type StageOptions,
  type WorkerJob,
  type WorkerReply,
  type WorkerRequest,
} from "./_protocol.ts";

/** Jobs in flight per worker: one running, one queued, so no worker waits for this thread. */
export const JOBS_PER_WORKER = 2;

/** Options of {@link PageJobStream}. */
export interface PoolOptions {
  threads: number;
  init: StageOptions;
  /** Outstanding jobs at most; default {@link JOBS_PER_WORKER} per worker. */
  maxInFlight?: number;
  onError?: OnError;
}

type Done = Extract<WorkerReply, { type: "done" }>;

/**
 * Runs jobs on `threads` workers spawned at construction (after the CLI revokes read
 * permission a new worker could not load its module).
 */
class OrderedPool {
  #workers: Worker[] = [];
  #idle: Worker[] = [];
  #queue: { seq: number; job: Job }[] = [];
  #results = new Map<number, Done>();
  #jobs = new Map<number, Job>();
  /** Lines and bytes of XML in the jobs already emitted. */
  #lineBase = 0;
  #byteBase = 0;
  #nextSeq = 0;
  #nextOut = 0;
  #failure: Error | null = null;
  #closed = false;
  #waiters: (() => void)[] = [];
  /** The straddling page being joined from jobs' tails and heads. */
  #carry: Uint8Array[] = [];
  #carryLine = 0;
  #carryByte = 0;
  #carryAtStart = true;
  #header: Uint8Array | null = null;
  #chain: ((page: PageRecord) => Article) | null = null;
  readonly #init: StageOptions;
  readonly maxInFlight: number;
  /** Resolves once every worker has loaded its modules (see {@link PageJobStream.ready}). */
  readonly ready: Promise<void>;
  #loaded: () => void;

  constructor(options: PoolOptions) {
    this.#init = options.init;
    this.maxInFlight = options.maxInFlight ?? options.threads * JOBS_PER_WORKER;
    let loading = options.threads;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    this.#loaded = resolve;
    if (loading === 0) resolve();
    for (let i = 0; i < options.threads; i++) {
      const w = new Worker(new URL("./_page_worker.ts", import.meta.url).href, { type: "module" });
      w.onmessage = (e: MessageEvent<WorkerReply | ReadyMessage>) => {
        if (e.data.type === "ready") {
          if (--loading === 0) resolve();
        } else this.#onReply(w, e.data);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.#fail(new Error(`page worker failed: ${e.message}`));
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

  #onReply(w: Worker, reply: Done): void {
    // Errors wait for their turn: the articles of earlier jobs are written first.
    this.#results.set(reply.seq, reply);
    this.#idle.push(w);
    this.#dispatch();
    this.#wake();
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const { seq, job } = this.#queue.shift()!;
      // Only the job's kind and flags are kept here; its bytes move to the worker.
      this.#jobs.set(seq, { ...job, bytes: new Uint8Array(0) });
      w.postMessage({ type: "job", seq, job: job as WorkerJob } satisfies WorkerRequest, [
        job.bytes.buffer as ArrayBuffer,
      ]);
    }
  }

  #inFlight(): number {
    return this.#nextSeq - this.#nextOut;
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The reader of a passage of `chunk` jobs, and where in the dump it began. */
  #passage: { reader: PageReader; lines: number; bytes: number } | null = null;

  /**
   * A `chunk` job: after every job before it, its bytes go to a page reader on this
   * thread, which holds no more of them than the page it is in needs.
   */
  async #chunk(job: Extract<Job, { kind: "chunk" }>, emit: (a: Article[]) => void) {
    await this.#drain(emit);
    this.#passage ??= {
      reader: new PageReader({ startInRoot: !job.first, endInRoot: true }),
      lines: this.#lineBase,
      bytes: this.#byteBase,
    };
    const { reader } = this.#passage;
    this.#chain ??= pageChain(this.#init);
    let pages = reader.push(job.bytes);
    let error: unknown = reader.error;
    if (error === null && job.last) {
      try {
        pages = [...pages, ...reader.end()];
      } catch (err) {
        error = err;
      }
    }
    emit(pages.map(this.#chain));
    if (error !== null) {
      const e = error instanceof XmlSyntaxError
        ? error.shifted(this.#passage.lines, this.#passage.bytes)
        : error;
      this.#failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    }
    this.#lineBase += countLines([job.bytes]);
    this.#byteBase += job.bytes.length;
    if (job.end) this.#passage = null;
  }

  /** Queues a job, first waiting while too many are outstanding. */
  async submit(job: Job, emit: (a: Article[]) => void): Promise<void> {
    if (job.kind === "chunk") return await this.#chunk(job, emit);
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

  /** Parses the joined straddling page(s) on this thread. */
  #flushCarry(emit: (a: Article[]) => void, last: boolean): void {
    const carry = this.#carry;
    this.#carry = [];
    if (carry.length === 0) return;
    const prefix = this.#carryAtStart ? null : this.#header ?? ROOT_OPEN;
    const chain = this.#chain ??= pageChain(this.#init);
    const [articles, error] = parseFragment(prefix, carry, last, chain);
    emit(articles);
    if (error !== null) {
      throw error instanceof XmlSyntaxError
        ? error.shifted(this.#carryLine, this.#carryByte)
        : error;
    }
  }

  /** Emits the finished results that are next in order. */
  drainReady(emit: (a: Article[]) => void): void {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new Error("worker pool closed");
    for (;;) {
      const r = this.#results.get(this.#nextOut);
      if (r === undefined) return;
      const job = this.#jobs.get(this.#nextOut)!;
      this.#results.delete(this.#nextOut);
      this.#jobs.delete(this.#nextOut);
      this.#nextOut++;
      try {
        this.#emitResult(r, job, emit);
      } catch (err) {
        this.#failure = err instanceof Error ? err : new Error(String(err));
        throw err;
      }
    }
  }

  #emitResult(r: Done, job: Job, emit: (a: Article[]) => void): void {
    if (r.header !== null) this.#header = r.header;
    const first = job.kind === "streams" && job.first;
    if (r.head !== null) {
      if (this.#carry.length === 0) {
        this.#carryLine = this.#lineBase;
        this.#carryByte = this.#byteBase;
        this.#carryAtStart = first;
      }
      this.#carry.push(r.head);
    }
    if (!r.opens) {
      // No page starts in this job: all of it belongs to the straddling page.
      if (job.last) this.#flushCarry(emit, true);
    } else this.#flushCarry(emit, false);
    emit(r.articles);
    if (r.error !== null) {
      const error = fromWire(r.error);
      // The worker counted from its own job's start.
      throw error instanceof XmlSyntaxError ? error.shifted(this.#lineBase, this.#byteBase) : error;
    }
    if (r.tail !== null) {
      this.#carry = [r.tail];
      this.#carryLine = this.#lineBase + r.lines - countLines([r.tail]);
      this.#carryByte = this.#byteBase + r.xmlBytes - r.tail.length;
      this.#carryAtStart = false;
    }
    this.#lineBase += r.lines;
    this.#byteBase += r.xmlBytes;
  }

  /** Waits for every job sent to a worker and emits its articles in order. */
  async #drain(emit: (a: Article[]) => void): Promise<void> {
    while (this.#inFlight() > 0) {
      this.drainReady(emit);
      if (this.#inFlight() === 0) break;
      await this.#wait();
    }
  }

  /** Waits for every job and emits the rest in order. */
  async finish(emit: (a: Article[]) => void): Promise<void> {
    await this.#drain(emit);
    // A tail left after the last job: the dump ended inside a page.
    this.#flushCarry(emit, true);
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
export class PageJobStream extends TransformStream<Job, Article> {
  /**
   * Resolves once every worker has loaded its modules: module loading is asynchronous,
   * and the CLI must wait for this before it revokes read permission.
   */
  readonly ready: Promise<void>;
  constructor(options: PoolOptions) {
    const pool = new OrderedPool(options);
    const guard = async (
      controller: TransformStreamDefaultController<Article>,
      fn: (emit: (a: Article[]) => void) => Promise<void>,
    ) => {
      try {
        await fn((a) => a.forEach((x) => controller.enqueue(x)));
      } catch (err) {
        // Any failure closes the pool, so that no worker keeps the process alive.
        pool.close();
        endWithError(controller, err, options.onError);
      }
    };
    super({
      transform: (job, controller) => guard(controller, (emit) => pool.submit(job, emit)),
      async flush(controller) {
        await guard(controller, (emit) => pool.finish(emit));
        pool.close();
      },
      cancel() {
        pool.close();
      },
    });
    this.ready = pool.ready;
  }
}
