/**
 * The CLI's side of the finisher worker (`_finisher_worker.ts`): spawned with access to
 * exactly the output paths (for sharded output, OUT's directory, as shard names are not
 * known in advance), before the CLI revokes its own, so that finishing a run atomically
 * and creating shards need no wider grant.
 *
 * @module
 */

import { IoError } from "../errors.ts";
import { absolute } from "./_fs.ts";
import type { Output } from "./_output.ts";
import type { FinisherReply, FinisherRequest } from "./_finisher_worker.ts";

export class Finisher {
  #worker: Worker | null = null;
  /** Replies come in the order of the requests: one waiting promise each. */
  #waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  #nextId = 1;
  /** Resolves when the worker has loaded (it must before read permission is revoked). */
  readonly ready: Promise<void>;

  /** `dirs`: directories the worker may create files in (sharded output). */
  constructor(outputs: Output[], dirs: string[] = []) {
    const parts = outputs.flatMap((o) => (o.part === null ? [] : [absolute(o.part)]));
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    if (parts.length === 0 && dirs.length === 0) {
      resolve();
      return;
    }
    const finals = outputs.flatMap((o) => (o.part === null ? [] : [absolute(o.path)]));
    const paths = [...parts, ...finals, ...dirs.map(absolute)];
    this.#worker = new Worker(new URL("./_finisher_worker.ts", import.meta.url).href, {
      type: "module",
      deno: {
        permissions: {
          read: paths,
          write: paths,
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
        },
      },
    });
    this.#worker.onmessage = (e: MessageEvent<FinisherReply>) => {
      if (e.data.type === "ready") return resolve();
      const w = this.#waiting.shift();
      if (e.data.error === null) w?.resolve();
      else w?.reject(new Error(e.data.error));
    };
    this.#worker.onerror = (e) => {
      e.preventDefault();
      resolve();
      for (const w of this.#waiting.splice(0)) w.reject(new Error(e.message));
    };
  }

  #ask(req: FinisherRequest, transfer: Transferable[] = []): Promise<void> {
    const worker = this.#worker;
    if (worker === null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      worker.postMessage(req, transfer);
    });
  }

  /** Moves every `.part` to its final name. */
  async commit(outputs: Output[]): Promise<void> {
    for (const o of outputs) {
      if (o.part === null) continue;
      try {
        await this.#ask({
          op: "commit",
          from: absolute(o.part),
          to: absolute(o.path),
          replaces: o.replaces,
        });
      } catch (err) {
        throw new IoError(
          `${o.path}: not written: ${(err as Error).message}; the output is in ${o.part}`,
          o.path,
        );
      } finally {
        o.release();
      }
    }
  }

  /** Moves one shard's `.part` to its final name, never over an existing file. */
  async commitShard(path: string): Promise<void> {
    try {
      await this.#ask({
        op: "commit",
        from: absolute(`${path}.part`),
        to: absolute(path),
        replaces: null,
      });
    } catch (err) {
      throw new IoError(`${path}: not written: ${(err as Error).message}`, path);
    }
  }

  /** Removes the `.part` files (a run that failed before writing anything). */
  async discard(outputs: Output[]): Promise<void> {
    for (const o of outputs) {
      if (o.part !== null) {
        await this.#ask({ op: "remove", path: absolute(o.part) }).catch(() => {});
      }
      o.release();
    }
  }

  /** Removes one file the run made (a checkpoint that is no longer needed). */
  remove(path: string): Promise<void> {
    return this.#ask({ op: "remove", path: absolute(path) }).catch(() => {});
  }

  /**
   * A file the worker creates and writes (a shard's `.part`): created exclusively, or with
   * `keep` > 0 reopened and cut to `keep` bytes. `sync` flushes it to disk.
   */
  async file(
    path: string,
    keep: number,
  ): Promise<{ writable: WritableStream<Uint8Array>; sync: () => Promise<void> }> {
    const id = this.#nextId++;
    try {
      await this.#ask({ op: "open", id, path: absolute(path), keep });
    } catch (err) {
      throw new IoError(`${path}: cannot write: ${(err as Error).message}`, path);
    }
    let closed = false;
    const close = () => {
      if (closed) return Promise.resolve();
      closed = true;
      return this.#ask({ op: "close", id });
    };
    const writable = new WritableStream<Uint8Array>({
      write: async (chunk) => {
        // A copy the worker can own: the sink may reuse its buffer.
        const bytes = chunk.slice();
        try {
          await this.#ask({ op: "write", id, bytes }, [bytes.buffer]);
        } catch (err) {
          throw new IoError(`${path}: cannot write: ${(err as Error).message}`, path);
        }
      },
      close,
      abort: close,
    });
    return { writable, sync: () => closed ? Promise.resolve() : this.#ask({ op: "sync", id }) };
  }

  close(): void {
    this.#worker?.terminate();
  }
}
