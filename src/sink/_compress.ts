/**
 * Compression for the line formats, on a worker of its own (`_compress_worker.ts`), and
 * the size bound that shard cutting relies on. The codecs themselves are in `_codecs.ts`.
 *
 * @module
 */

import type { Compression } from "./_names.ts";
import type { CompressReply, CompressRequest } from "./_compress_worker.ts";

/**
 * The most bytes `n` bytes can become (deflate's stored blocks, zstd's raw blocks, with
 * their headers): a shard under budget by this bound is under budget whatever the data.
 */
export function worstCase(n: number, kind: Compression): number {
  if (n === 0 || kind === "none") return n;
  return n + Math.ceil(n / 128) + 128;
}

/** Bytes handed to the worker and not yet compressed, at most (memory stays bounded). */
const IN_FLIGHT = 4 * 2 ** 20;

/**
 * Compression on a worker of its own: members (one at a time) are TransformStreams whose
 * input is posted to the worker and whose output comes back from it, in order. The
 * thread that formats articles then only copies batches.
 */
export class CompressorThread {
  readonly #worker: Worker;
  /** Resolves once the worker has loaded (before the CLI revokes read permission). */
  readonly ready: Promise<void>;
  #out: ((chunk: Uint8Array) => void) | null = null;
  #inFlight = 0;
  #wake: (() => void) | null = null;
  #ended: (() => void) | null = null;
  #failure: Error | null = null;

  constructor() {
    // It only compresses: it gets no permission at all.
    this.#worker = new Worker(new URL("./_compress_worker.ts", import.meta.url).href, {
      type: "module",
      deno: { permissions: "none" },
    });
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.ready = promise;
    this.#worker.onerror = (e) => {
      e.preventDefault();
      this.#fail(new Error(`compression worker: ${e.message}`));
      reject(this.#failure);
    };
    this.#worker.onmessage = (e: MessageEvent<CompressReply>) => {
      const m = e.data;
      if ("type" in m) resolve();
      else if ("out" in m) this.#out?.(m.out);
      else if ("ack" in m) {
        this.#inFlight -= m.ack;
        this.#wake?.();
      } else if ("ended" in m) this.#ended?.();
      else this.#fail(new Error(`compression: ${m.error}`));
    };
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    this.#wake?.();
    this.#ended?.();
  }

  #post(req: CompressRequest, transfer: Transferable[] = []): void {
    this.#worker.postMessage(req, transfer);
  }

  /** One gzip member or zstd frame, compressed on the worker. */
  member(kind: "gzip" | "zstd"): TransformStream<Uint8Array, Uint8Array> {
    return new TransformStream<Uint8Array, Uint8Array>({
      start: (controller) => {
        this.#out = (chunk) => controller.enqueue(chunk);
        this.#post({ start: kind });
      },
      transform: async (chunk) => {
        const copy = chunk.slice();
        this.#inFlight += copy.length;
        this.#post({ chunk: copy }, [copy.buffer]);
        while (this.#inFlight > IN_FLIGHT && this.#failure === null) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
        if (this.#failure !== null) throw this.#failure;
      },
      flush: async () => {
        const ended = new Promise<void>((resolve) => (this.#ended = resolve));
        this.#post({ end: true });
        await ended;
        this.#ended = null;
        this.#out = null;
        if (this.#failure !== null) throw this.#failure;
      },
    });
  }

  close(): void {
    this.#worker.terminate();
  }
}
