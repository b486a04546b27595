/**
 * Parallel bzip2 decompression as a `{ readable, writable }` pair, a drop-in
 * for `DecompressionStream`:
 *
 * ```ts
 * const xml = file.readable.pipeThrough(new Bzip2DecompressionStream({ threads: 2 }));
 * ```
 *
 * How it works: the calling thread scans the compressed input for block and
 * end-of-stream magics (48-bit patterns at any bit position) and hands each
 * span between two magics to a pool of workers. Results are emitted strictly
 * in input order and only after their block CRC matched. A magic can also
 * occur by chance inside compressed data; such a false start is noticed
 * because the real block before it does not end there, and that block is
 * decoded again over a longer span. Streams are checked with their combined
 * CRC; concatenated streams (multistream dumps) are decoded in sequence.
 *
 * Behaviour worth knowing:
 * - Empty input is an error (`empty input: no bzip2 stream`), as for `bzip2 -dc`.
 * - Bytes after the last stream that do not start another stream are an error
 *   (`trailing garbage after the last bzip2 stream`; `bzip2` only warns).
 * - Randomised blocks (written by bzip2 0.9.0 and older, before 1998) are
 *   rejected with a clear error.
 * - A block is assumed to take at most {@link MAX_BLOCK_BYTES} compressed
 *   bytes, which every real encoder respects; this bounds memory on garbage.
 * - Memory is bounded by `maxInFlight` blocks plus a few queued for the reader
 *   (about 130 MB peak RSS with 2 workers on a 200 MB dump, whatever its size).
 * - Workers are spawned in the constructor and terminated when the stream ends,
 *   errors, or is cancelled (from either side); then nothing keeps the process alive.
 *
 * @module
 */

import { Bz2FormatError } from "../errors.ts";
import { BlockDecoder, type BlockResult, MAX_BLOCK, MAX_OUT, Rle1Expander } from "./_block.ts";
import { combineCrc } from "./_crc.ts";
import type { JobMessage, ReplyMessage } from "./_protocol.ts";
import { type Marker, scanMagics } from "./_scan.ts";

export { Bz2FormatError };

/** Options of {@link Bzip2DecompressionStream}. */
export interface Bz2Options {
  /**
   * Decoding workers. 0 decodes on the calling thread (no workers at all).
   * Default: `navigator.hardwareConcurrency`.
   */
  threads?: number;
  /**
   * Blocks being decoded or queued for decoding at once (each holds up to
   * ~1 MB of output for text). Default: 2 per worker, so that no worker idles.
   */
  maxInFlight?: number;
}

/**
 * Upper bound on one block's compressed size: 900,000 symbols of at most 20 bits,
 * plus tables and selectors, rounded up.
 */
export const MAX_BLOCK_BYTES = 2_500_000;

/** Output buffer per block: a text block's output is about its size; run-heavy blocks reallocate. */
const OUT_SIZE = MAX_BLOCK + (MAX_BLOCK >> 3);

/**
 * bzip2-compressed bytes in, decompressed bytes out: a `{ readable, writable }`
 * pair like `DecompressionStream`, for `pipeThrough`.
 *
 * On a format error, everything decoded before it is still delivered, then the
 * readable side errors with a {@link Bz2FormatError} (and the writable side
 * rejects, which cancels a pipe's source). Workers end when the output ends,
 * errors or is cancelled; a stream that is constructed must be used or cancelled.
 */
export class Bzip2DecompressionStream {
  readonly readable: ReadableStream<Uint8Array<ArrayBuffer>>;
  readonly writable: WritableStream<Uint8Array>;
  /**
   * Resolves once every worker has loaded its module. Loading is asynchronous: a caller
   * that revokes read permission must wait for this first, or a worker may fail to load.
   */
  readonly ready: Promise<void>;

  /** Spawns the workers now: a worker created later may no longer be able to read its module. */
  constructor(options: Bz2Options = {}) {
    const out = new OutputQueue();
    const engine = new Engine(options, out);
    this.ready = engine.pool?.ready ?? Promise.resolve();
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => engine.guard(() => engine.push(chunk)),
      close: () => engine.guard(() => engine.finish()),
      abort: (reason) => {
        engine.close();
        out.fail(reason);
      },
    });
    this.readable = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (c) => out.pull(c),
      cancel: (reason) => {
        engine.close();
        out.cancel(reason);
      },
    }, { highWaterMark: 0 });
  }
}

/** Decoded blocks waiting for the reader; an error is delivered only after them. */
class OutputQueue {
  /** Output pieces; an expander yields a long block's output as it is read. */
  private chunks: (Uint8Array<ArrayBuffer> | Rle1Expander)[] = [];
  private done = false;
  private error: { reason: unknown } | null = null;
  private cancelled: { reason: unknown } | null = null;
  private wake: (() => void) | null = null;
  private roomWake: (() => void) | null = null;
  /** Chunks the writer may queue before it waits for the reader. */
  private limit = 4;

  push(chunk: Uint8Array<ArrayBuffer> | Rle1Expander): void {
    this.chunks.push(chunk);
    this.signal();
  }

  end(): void {
    this.done = true;
    this.signal();
  }

  fail(reason: unknown): void {
    this.error ??= { reason };
    this.signal();
  }

  cancel(reason: unknown): void {
    this.cancelled = { reason };
    this.chunks = [];
    this.signal();
  }

  /** Resolves when the reader has taken enough; rejects once the reader cancelled. */
  async room(): Promise<void> {
    while (this.chunks.length > this.limit && !this.cancelled) {
      await new Promise<void>((r) => (this.roomWake = r));
    }
    if (this.cancelled) throw this.cancelled.reason ?? new Error("bzip2 output cancelled");
  }

  async pull(c: ReadableStreamDefaultController<Uint8Array<ArrayBuffer>>): Promise<void> {
    // Each call delivers one piece (or the end), waiting for one if need be.
    for (;;) {
      while (this.chunks.length === 0 && !this.done && !this.error && !this.cancelled) {
        await new Promise<void>((r) => (this.wake = r));
      }
      if (this.chunks.length === 0) break;
      const head = this.chunks[0];
      if (head instanceof Rle1Expander) {
        const piece = new Uint8Array(MAX_OUT);
        const n = head.fill(piece);
        if (n > 0) {
          c.enqueue(piece.subarray(0, n));
          return;
        }
        this.chunks.shift();
        this.signalRoom();
        continue;
      }
      this.chunks.shift();
      c.enqueue(head);
      if (this.chunks.length <= this.limit) this.signalRoom();
      return;
    }
    if (this.error) c.error(this.error.reason);
    else if (this.done) c.close();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
    this.signalRoom();
  }

  private signalRoom(): void {
    const w = this.roomWake;
    this.roomWake = null;
    w?.();
  }
}

/** A magic found in the input, and for block magics the decoding of the span that follows. */
interface Item extends Marker {
  /** 0: not started, 1: decoding, 2: result ready. */
  state: 0 | 1 | 2;
  /** Absolute bit where the dispatched span ended. */
  end: number;
  result: BlockResult | null;
  /** Byte offset of `data` passed to the decoder, to make `result.endBit` absolute. */
  dataByte: number;
  /** Set when the item turned out to be a false magic; its result is ignored. */
  dropped: boolean;
  settled: Promise<void> | null;
}

const HEADER = 0;
const MARKER = 1;
const DONE = 2;

/** Inline decoders of finished streams, kept for reuse on this thread. */
const spareDecoders: BlockDecoder[] = [];

class Engine {
  readonly pool: WorkerPool | null;
  private inline: BlockDecoder | null;
  private maxInFlight: number;
  private closed = false;

  // Compressed bytes [base, base + len) are held in buf.
  private buf = new Uint8Array(1 << 20);
  private base = 0;
  private len = 0;
  private scanPos = 0;
  private final = false;

  private items: Item[] = [];
  private running = 0;
  private poolError: unknown = null;

  private state = HEADER;
  private hdrByte = 0;
  /** Absolute bit where the next block or end-of-stream magic must start. */
  private expect = 0;
  private level = 9;
  private streams = 0;
  private blocks = 0;
  private combined = 0;

  constructor(options: Bz2Options, private out: OutputQueue) {
    const threads = Math.max(0, Math.floor(options.threads ?? navigator.hardwareConcurrency ?? 1));
    this.pool = threads > 0 ? new WorkerPool(threads) : null;
    this.inline = threads > 0 ? null : (spareDecoders.pop() ?? new BlockDecoder());
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2 * Math.max(1, threads));
  }

  async guard(f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      this.close();
      this.out.fail(e);
      throw e;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pool?.terminate();
    // Its tables (~4 MB) serve the next stream on this thread: a worker decoding one run
    // of streams after another would otherwise allocate them per run.
    if (this.inline !== null && spareDecoders.length < 2) spareDecoders.push(this.inline);
    this.inline = null;
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.closed) throw new Error("bzip2 decoder closed");
    this.append(chunk);
    this.scan();
    this.pump();
    // Backpressure: take no more input while blocks wait for a free slot
    // or the reader is behind.
    await this.out.room();
    while (this.state !== DONE && this.hasUndispatched()) {
      await this.waitHead();
      this.pump();
      await this.out.room();
    }
  }

  async finish(): Promise<void> {
    if (this.closed) throw new Error("bzip2 decoder closed");
    this.final = true;
    this.scan();
    this.pump();
    while (this.state !== DONE) {
      await this.out.room();
      await this.waitHead();
      this.pump();
    }
    this.close();
    this.out.end();
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Drop bytes nothing can need again: before the earliest position still to be decoded.
    const keepFrom = Math.min(
      this.state === HEADER ? this.hdrByte : Math.floor(this.expect / 8),
      Math.max(0, this.scanPos - 1),
    );
    const drop = keepFrom - this.base;
    if (drop > 0 && drop >= this.len / 2) {
      this.buf.copyWithin(0, drop, this.len);
      this.len -= drop;
      this.base += drop;
    }
    if (this.len + chunk.length > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + chunk.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  private scan(): void {
    // A word at byte i needs bytes up to i + 6 to confirm a magic; the tail waits for more input.
    const to = this.final ? this.len : this.len - 6;
    const from = this.scanPos - this.base;
    if (to <= from) return;
    const found: Marker[] = [];
    scanMagics(this.buf.subarray(0, this.len), from, to, this.base * 8, found);
    this.scanPos = this.base + to;
    for (const m of found) {
      this.items.push({
        bit: m.bit,
        eos: m.eos,
        state: 0,
        end: -1,
        result: null,
        dataByte: 0,
        dropped: false,
        settled: null,
      });
    }
  }

  /** End of the span after block item `i`, or -1 while unknown. */
  private spanEnd(i: number): number {
    const next = this.items[i + 1];
    if (next) return next.bit;
    const total = (this.base + this.len) * 8;
    if (this.final || total - this.items[i].bit > MAX_BLOCK_BYTES * 8) return total;
    return -1;
  }

  private hasUndispatched(): boolean {
    for (let i = 0; i < this.items.length; i++) {
      const it = this.items[i];
      if (!it.eos && it.state === 0 && this.spanEnd(i) >= 0) return true;
    }
    return false;
  }

  private dispatch(i: number): void {
    const it = this.items[i];
    const end = this.spanEnd(i);
    const from = Math.floor(it.bit / 8);
    const to = Math.ceil(end / 8);
    it.end = end;
    it.dataByte = from;
    it.result = null;
    const startBit = it.bit - from * 8;
    const endBit = end - from * 8;
    if (this.inline) {
      it.result = this.inline.decode(
        this.buf.subarray(from - this.base, to - this.base),
        startBit,
        endBit,
      );
      it.state = 2;
      return;
    }
    it.state = 1;
    this.running++;
    const data = this.pool!.buffer(to - from);
    data.set(this.buf.subarray(from - this.base, to - this.base));
    // Never rejects: a worker failure is recorded and rethrown by waitHead.
    // Output buffers are allocated here rather than in the workers: a buffer allocated
    // by one thread and freed by another keeps the allocator's per-thread arenas large.
    const out = new ArrayBuffer(OUT_SIZE);
    it.settled = this.pool!.run({ id: 0, data, startBit, endBit, out }, [out]).then(
      (r) => {
        this.running--;
        it.result = r;
        it.state = 2;
      },
      (e) => {
        this.running--;
        this.poolError ??= e;
      },
    );
  }

  /** Starts decoding blocks, in order, while there are free slots. */
  private fill(): void {
    if (!this.pool) return;
    for (let i = 0; i < this.items.length && this.running < this.maxInFlight; i++) {
      const it = this.items[i];
      if (!it.eos && it.state === 0 && this.spanEnd(i) >= 0) this.dispatch(i);
    }
  }

  private async waitHead(): Promise<void> {
    await this.waitAny();
    if (this.poolError) throw this.poolError;
  }

  private async waitAny(): Promise<void> {
    const head = this.items[0];
    if (head && head.state === 1) await head.settled;
    else if (this.running > 0) {
      // Head is waiting for input or is a dropped item; any completion frees a slot.
      await Promise.race(this.items.filter((x) => x.state === 1).map((x) => x.settled));
    } else if (!this.final) {
      return;
    } else {
      throw new Error("bzip2 decoder stalled (internal error)");
    }
  }

  /** Emits everything that is decided, in order; returns when it must wait for input or a worker. */
  private pump(): void {
    // A closed engine has given its decoder away (see close).
    if (this.closed) throw new Error("bzip2 decoder closed");
    for (;;) {
      this.fill();
      if (this.state === DONE) return;
      if (this.state === HEADER) {
        if (!this.header()) return;
        continue;
      }
      // Markers before the expected position were false magics inside the last block.
      while (this.items.length > 0 && this.items[0].bit < this.expect) {
        this.items.shift()!.dropped = true;
      }
      const total = (this.base + this.len) * 8;
      const head = this.items[0];
      if (!head || head.bit > this.expect) {
        if (!head && !this.final) return;
        if (total - this.expect < 48) {
          throw this.err(
            "truncated input: stream ended before the end-of-stream marker",
            this.expect,
            this.blocks + 1,
          );
        }
        throw this.err(
          `bad block magic before block ${this.blocks + 1}`,
          this.expect,
          this.blocks + 1,
        );
      }
      if (head.eos) {
        if (total < head.bit + 80) {
          if (!this.final) return;
          throw this.err("truncated input: stream ended before the stream CRC", head.bit);
        }
        const stored = this.readBits32(head.bit + 48);
        if (stored !== this.combined) {
          throw this.err(`stream CRC mismatch in stream ${this.streams}`, head.bit);
        }
        this.items.shift();
        this.hdrByte = Math.ceil((head.bit + 80) / 8);
        this.state = HEADER;
        continue;
      }
      if (head.state === 0) {
        if (this.spanEnd(0) < 0) return;
        this.dispatch(0);
      }
      if (head.state !== 2) return;
      this.block(head);
    }
  }

  /** Checks the 4-byte stream header at hdrByte; false if it must wait for input. */
  private header(): boolean {
    const at = this.hdrByte;
    const avail = this.base + this.len - at;
    const b = (k: number) => this.buf[at - this.base + k];
    const prefixOk = (n: number) => {
      for (let k = 0; k < n && k < 3; k++) if (b(k) !== "BZh".charCodeAt(k)) return false;
      return n < 4 || (b(3) >= 0x31 && b(3) <= 0x39);
    };
    if (avail < 4) {
      if (!this.final) return false;
      if (avail === 0) {
        if (this.streams === 0) throw this.err("empty input: no bzip2 stream", 0);
        this.state = DONE;
        return true;
      }
      if (!prefixOk(avail)) throw this.badHeader(at);
      throw this.err("truncated input: stream ended inside the stream header", at * 8);
    }
    if (!prefixOk(4)) throw this.badHeader(at);
    this.level = b(3) - 0x30;
    this.streams++;
    this.combined = 0;
    this.expect = (at + 4) * 8;
    this.state = MARKER;
    return true;
  }

  private badHeader(at: number): Bz2FormatError {
    return this.streams === 0
      ? this.err("bad bzip2 magic", at * 8)
      : this.err("trailing garbage after the last bzip2 stream", at * 8);
  }

  /** Handles the decoded head block: verify, emit, advance. */
  private block(head: Item): void {
    const r = head.result!;
    const n = this.blocks + 1;
    if (r.kind === "more") {
      const total = (this.base + this.len) * 8;
      if (head.end >= total) {
        if (this.final) {
          throw this.err(`truncated input: stream ended inside block ${n}`, head.bit, n);
        }
        throw this.err(`bad block ${n}: no end found`, head.bit, n);
      }
      if (head.end - head.bit > MAX_BLOCK_BYTES * 8) {
        throw this.err(`corrupt block ${n}: no valid end`, head.bit, n);
      }
      // The span ended at a false magic: drop it and decode over the longer span.
      const next = this.items[1];
      if (next) {
        next.dropped = true;
        this.items.splice(1, 1);
      }
      head.state = 0;
      head.result = null;
      return;
    }
    if (r.kind === "error") throw this.err(`${r.message} in block ${n}`, head.bit, n);
    if (r.crc !== r.storedCrc) throw this.err(`CRC mismatch in block ${n}`, head.bit, n);
    if (r.nblock > this.level * 100000) {
      throw this.err(`block ${n} is larger than the stream's block size`, head.bit, n);
    }
    const end = head.dataByte * 8 + r.endBit;
    this.items.shift();
    this.blocks = n;
    this.combined = combineCrc(this.combined, r.crc);
    this.expect = end;
    if (r.runs) this.out.push(new Rle1Expander(r.runs));
    else if (r.out.length > 0) this.out.push(r.out);
  }

  private readBits32(bit: number): number {
    const k = Math.floor(bit / 8) - this.base;
    const s = bit % 8;
    const buf = this.buf;
    const w = ((buf[k] << 24) | (buf[k + 1] << 16) | (buf[k + 2] << 8) | buf[k + 3]) >>> 0;
    if (s === 0) return w;
    return ((w << s) | (buf[k + 4] >>> (8 - s))) >>> 0;
  }

  private err(message: string, bit: number, block?: number): Bz2FormatError {
    return new Bz2FormatError(message, Math.floor(bit / 8), block);
  }
}

/** Workers that decode blocks; each job goes to the least busy one. */
class WorkerPool {
  private workers: Worker[] = [];
  private load: number[] = [];
  private waiting = new Map<
    number,
    { resolve: (r: BlockResult) => void; reject: (e: unknown) => void; worker: number }
  >();
  private nextId = 1;
  private failure: unknown = null;
  /** Input buffers returned by workers. */
  private spare: ArrayBuffer[] = [];

  /** A view of `n` bytes for a job's input, reusing a returned buffer when one is large enough. */
  buffer(n: number): Uint8Array<ArrayBuffer> {
    for (let i = 0; i < this.spare.length; i++) {
      if (this.spare[i].byteLength >= n) {
        const b = this.spare[i];
        this.spare[i] = this.spare[this.spare.length - 1];
        this.spare.pop();
        return new Uint8Array(b, 0, n);
      }
    }
    // Room to spare, so that later (slightly larger) blocks fit too.
    return new Uint8Array(new ArrayBuffer(Math.max(n + (n >> 2), 1 << 16)), 0, n);
  }

  /** Resolves once every worker has loaded its module (see {@link Bzip2DecompressionStream.ready}). */
  readonly ready: Promise<void>;

  constructor(n: number) {
    let loading = n;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    if (n === 0) resolve();
    for (let w = 0; w < n; w++) {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url).href, { type: "module" });
      worker.onmessage = (e: MessageEvent<ReplyMessage | "ready">) => {
        if (e.data === "ready") {
          if (--loading === 0) resolve();
          return;
        }
        const job = this.waiting.get(e.data.id);
        if (!job) return;
        this.waiting.delete(e.data.id);
        this.load[job.worker]--;
        if (this.spare.length < 2 * n + 2) this.spare.push(e.data.input);
        job.resolve(e.data.result);
      };
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.fail(new Error(`bzip2 worker failed: ${e.message}`));
        resolve();
      };
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  run(job: JobMessage, transfer: ArrayBuffer[]): Promise<BlockResult> {
    if (this.failure) return Promise.reject(this.failure);
    let w = 0;
    for (let k = 1; k < this.workers.length; k++) if (this.load[k] < this.load[w]) w = k;
    const id = this.nextId++;
    this.load[w]++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: w });
      this.workers[w].postMessage({ ...job, id }, [job.data.buffer, ...transfer]);
    });
  }

  private fail(e: unknown): void {
    this.failure = e;
    for (const job of this.waiting.values()) job.reject(e);
    this.waiting.clear();
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.fail(new Error("bzip2 decoder closed"));
  }
}
