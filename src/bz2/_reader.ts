/**
 * The plain synchronous face of the decoder, for code that already holds the compressed
 * bytes (a worker decoding a run of whole streams): no streams, no promises, no workers.
 *
 * @module
 */

import { MAX_BLOCK, MAX_OUT, Rle1Expander } from "./_block.ts";
import { type BlockSink, Engine } from "./_engine.ts";

/** Options of {@link Bz2Reader}. */
export interface Bz2ReaderOptions {
  /** Offset of `bytes[0]` in the whole file: error offsets count from the file's start. */
  baseOffset?: number;
  /**
   * The bytes given are only the start of the input: more come through
   * {@link Bz2Reader.feed}, and {@link Bz2Reader.finish} says when they stop.
   */
  partial?: boolean;
  /**
   * Every piece is decoded into the same buffer: a piece is valid only until the next
   * call of {@link Bz2Reader.next}. Saves a block-sized allocation per block, which a
   * worker holding little else collects late.
   */
  reuseOutput?: boolean;
}

/** Output pieces not yet taken; saturated as soon as it holds one, to bound memory. */
class PieceQueue implements BlockSink {
  pieces: (Uint8Array<ArrayBuffer> | Rle1Expander)[] = [];
  ended = false;
  push(chunk: Uint8Array<ArrayBuffer> | Rle1Expander): void {
    this.pieces.push(chunk);
  }
  room(): Promise<void> {
    return Promise.resolve();
  }
  saturated(): boolean {
    return this.pieces.length > 0;
  }
  end(): void {
    this.ended = true;
  }
  fail(): void {}
}

/**
 * Decodes a run of whole bzip2 streams (one or more, concatenated) on the calling
 * thread, one piece at a time: each {@link next} returns the next block's output (at
 * most 4 MB; a block of long runs comes in several pieces), so memory stays bounded
 * whatever the compression ratio. On damage, every piece before it is returned first;
 * then `next` throws a `Bz2FormatError` whose `byteOffset` counts from the file's start.
 */
export class Bz2Reader {
  #engine: Engine;
  #queue = new PieceQueue();
  #error: { reason: unknown } | null = null;
  #final: boolean;
  /** `reuseOutput`: blocks decode into one buffer, and a long block's pieces into another. */
  #reuse: boolean;
  #piece: Uint8Array<ArrayBuffer> | null = null;
  /** Whether the last {@link next} returned null for want of input (a `partial` reader). */
  #starved = false;

  constructor(bytes: Uint8Array, options: Bz2ReaderOptions = {}) {
    this.#engine = new Engine({ threads: 0 }, this.#queue, options.baseOffset ?? 0);
    this.#final = !options.partial;
    this.#reuse = options.reuseOutput ?? false;
    if (this.#reuse) this.#engine.reusedOutput = new ArrayBuffer(MAX_BLOCK + (MAX_BLOCK >> 3));
    try {
      this.#engine.feed(bytes, this.#final);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** More of a `partial` reader's input. */
  feed(bytes: Uint8Array): void {
    if (this.#final) throw new Error("Bz2Reader: feed after finish");
    this.#starved = false;
    try {
      this.#engine.feed(bytes, false);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** A `partial` reader's input ends here. */
  finish(): void {
    if (this.#final) return;
    this.#final = true;
    this.#starved = false;
    try {
      this.#engine.feed(new Uint8Array(0), true);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** True once {@link next} returned null because a `partial` reader needs more input. */
  get starved(): boolean {
    return this.#starved;
  }

  /**
   * The next piece of output, or null at the end (or, for a `partial` reader, when it
   * needs more input: see {@link starved}); throws at damage (after what came before).
   */
  next(): Uint8Array<ArrayBuffer> | null {
    const q = this.#queue.pieces;
    for (let stalled = false;;) {
      const head = q[0];
      if (head instanceof Rle1Expander) {
        const piece = this.#reuse
          ? (this.#piece ??= new Uint8Array(MAX_OUT))
          : new Uint8Array(MAX_OUT);
        const n = head.fill(piece);
        if (n > 0) return piece.subarray(0, n);
        q.shift();
        continue;
      }
      if (head !== undefined) {
        q.shift();
        return head;
      }
      if (this.#error) throw this.#error.reason;
      if (this.#queue.ended) return null;
      if (stalled) {
        // Only an unfinished input can leave a step without output or an end.
        this.#starved = true;
        return null;
      }
      try {
        this.#engine.step();
      } catch (e) {
        this.#fail(e);
      }
      stalled = !this.#final && q.length === 0 && !this.#queue.ended && !this.#error;
    }
  }

  #fail(e: unknown): void {
    this.#error ??= { reason: e };
    this.#engine.close();
  }
}

/**
 * Decodes a run of whole bzip2 streams at once. The output is held whole: for input of
 * unknown compression ratio, prefer {@link Bz2Reader}, which yields it piece by piece.
 * Throws a `Bz2FormatError` (offsets from the file's start, see `baseOffset`) on damage.
 */
export function decodeStreams(bytes: Uint8Array, baseOffset = 0): Uint8Array<ArrayBuffer>[] {
  const reader = new Bz2Reader(bytes, { baseOffset });
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (let piece; (piece = reader.next()) !== null;) out.push(piece);
  return out;
}
