/**
 * The plain synchronous face of the decoder, for code that already holds the compressed
 * bytes (a worker decoding a run of whole streams): no streams, no promises, no workers.
 *
 * @module
 */

import { MAX_OUT, Rle1Expander } from "./_block.ts";
import { type BlockSink, Engine } from "./_engine.ts";

/** Options of {@link Bz2Reader}. */
export interface Bz2ReaderOptions {
  /** Offset of `bytes[0]` in the whole file: error offsets count from the file's start. */
  baseOffset?: number;
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

  constructor(bytes: Uint8Array, options: Bz2ReaderOptions = {}) {
    this.#engine = new Engine({ threads: 0 }, this.#queue, options.baseOffset ?? 0);
    try {
      this.#engine.feed(bytes, true);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** The next piece of output, or null at the end; throws at damage (after what came before). */
  next(): Uint8Array<ArrayBuffer> | null {
    const q = this.#queue.pieces;
    for (;;) {
      const head = q[0];
      if (head instanceof Rle1Expander) {
        const piece = new Uint8Array(MAX_OUT);
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
      try {
        this.#engine.step();
      } catch (e) {
        this.#fail(e);
      }
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
