/**
 * The decoding engine behind the stream and the plain reader: finds block magics in the
 * compressed bytes, has blocks decoded (by a worker pool or on this thread), checks CRCs
 * and hands the output, in order, to a {@link BlockSink}.
 *
 * @module
 */

import { Bz2FormatError } from "../errors.ts";
import { BlockDecoder, type BlockResult, MAX_BLOCK, Rle1Expander } from "./_block.ts";
import { combineCrc } from "./_crc.ts";
import { type Marker, scanMagics } from "./_scan.ts";
import { WorkerPool } from "./_pool.ts";

/** Options of `Bzip2DecompressionStream`. */
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

/** Where the engine delivers output, in input order. */
export interface BlockSink {
  push(chunk: Uint8Array<ArrayBuffer> | Rle1Expander): void;
  /** Resolves when the consumer has room for more (only the pooled engine waits on it). */
  room(): Promise<void>;
  /** True when the engine should stop emitting until the consumer has taken some. */
  saturated(): boolean;
  /** No more output. */
  end(): void;
  /** The engine failed: deliver `reason` after the output already pushed. */
  fail(reason: unknown): void;
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

export class Engine {
  readonly pool: WorkerPool | null;
  private inline: BlockDecoder | null;
  /**
   * One output buffer reused by the inline decoder for every block, when the consumer
   * copies each piece before asking for the next (see `Bz2ReaderOptions.reuseOutput`).
   */
  reusedOutput: ArrayBuffer | null = null;
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

  /** `baseOffset` is added to the byte offsets of errors (the input's place in a larger file). */
  constructor(options: Bz2Options, private out: BlockSink, private baseOffset = 0) {
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

  /** Takes compressed bytes without decoding anything (the synchronous reader's input). */
  feed(chunk: Uint8Array, final: boolean): void {
    if (this.closed) throw new Error("bzip2 decoder closed");
    this.append(chunk);
    this.final ||= final;
    this.scan();
  }

  /**
   * Decodes on this thread until the sink is saturated, the input runs out or the last
   * stream ended (then the engine closes). Only for an engine without workers.
   */
  step(): void {
    this.pump();
    if (this.state === DONE) {
      this.close();
      this.out.end();
    }
  }

  /** True once the last stream has ended. */
  get done(): boolean {
    return this.state === DONE;
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
        this.reusedOutput ?? undefined,
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
    // The head may have finished while the caller waited for output room: pump takes it.
    // (Treating that as "nothing running" was the --threads stall on compressible input.)
    if (head && head.state === 2) return;
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
      if (this.state === DONE || this.out.saturated()) return;
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
    return new Bz2FormatError(message, this.baseOffset + Math.floor(bit / 8), block);
  }
}
