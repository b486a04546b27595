/**
 * The workers that decode bzip2 blocks for the stream: each job goes to the least busy
 * one, input buffers come back for reuse.
 *
 * @module
 */

import type { ReadyMessage } from "../types.ts";
import type { BlockResult } from "./_block.ts";
import type { JobMessage, ReplyMessage } from "./_protocol.ts";

/** Workers that decode blocks; each job goes to the least busy one. */
export class WorkerPool {
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

  /** Resolves once every worker has loaded its module (see `Bzip2DecompressionStream.ready`). */
  readonly ready: Promise<void>;

  constructor(n: number) {
    let loading = n;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    if (n === 0) resolve();
    for (let w = 0; w < n; w++) {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url).href, { type: "module" });
      worker.onmessage = (e: MessageEvent<ReplyMessage | ReadyMessage>) => {
        if ("type" in e.data) {
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
