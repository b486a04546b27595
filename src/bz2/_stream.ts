/**
 * `Bzip2DecompressionStream`: the engine behind a `{ readable, writable }` pair, with an
 * output queue that applies backpressure to the writer.
 *
 * @module
 */

import { Rle1Expander } from "./_block.ts";
import { type BlockSink, type Bz2Options, Engine } from "./_engine.ts";

/**
 * Size of the pieces a long run is expanded into. Each piece is a fresh buffer the reader
 * owns; at 4 MB the freed ones piled up (RSS +170–270 MB on 2 GB of spaces), at 256 KB
 * malloc reuses them (+100–130 MB).
 */
const EXPAND_PIECE = 256 << 10;

/**
 * Most bytes of a decoded block handed on at once (views of it, no copy). The XML stage
 * turns a chunk into all of its pages at once, and they wait in the young generation for
 * the page stages: whole 900 KB blocks kept about 8 MB alive through each scavenge (770 MB
 * of a 210 MB dump promoted, against about 100 MB in 256 KB pieces).
 */
const OUTPUT_PIECE = 256 << 10;

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
class OutputQueue implements BlockSink {
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

  /** The stream waits in {@link room} instead (the writer side is async). */
  saturated(): boolean {
    return false;
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
        const piece = new Uint8Array(EXPAND_PIECE);
        const n = head.fill(piece);
        if (n > 0) {
          c.enqueue(piece.subarray(0, n));
          return;
        }
        this.chunks.shift();
        this.signalRoom();
        continue;
      }
      if (head.length > OUTPUT_PIECE) {
        c.enqueue(head.subarray(0, OUTPUT_PIECE));
        this.chunks[0] = head.subarray(OUTPUT_PIECE);
        return;
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
