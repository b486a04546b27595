/**
 * A queue of byte chunks that hands out its first n bytes as one fresh buffer: what the
 * cutters use to build jobs (a fresh buffer can be transferred to a worker).
 *
 * @module
 */

/** Chunks of bytes waiting to be cut into jobs; `take(n)` copies the first n into one buffer. */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  length = 0;

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes as a fresh buffer (transferable to a worker). */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.#chunks[0];
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    this.length -= n;
    return out;
  }

  clear(): void {
    this.#chunks = [];
    this.length = 0;
  }
}
