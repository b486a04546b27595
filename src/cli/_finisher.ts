/**
 * The CLI's side of the finisher worker (`_finisher_worker.ts`): spawned with access to
 * exactly the output paths, before the CLI revokes its own, so that finishing a run
 * atomically needs no wider grant.
 *
 * @module
 */

import { IoError } from "../errors.ts";
import { absolute } from "./_fs.ts";
import type { Output } from "./_output.ts";
import type { FinisherReply, FinisherRequest } from "./_finisher_worker.ts";

export class Finisher {
  #worker: Worker | null = null;
  /** Resolves when the worker has loaded (it must before read permission is revoked). */
  readonly ready: Promise<void>;

  constructor(outputs: Output[]) {
    const parts = outputs.flatMap((o) => (o.part === null ? [] : [absolute(o.part)]));
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    if (parts.length === 0) {
      resolve();
      return;
    }
    const finals = outputs.flatMap((o) => (o.part === null ? [] : [absolute(o.path)]));
    const paths = [...parts, ...finals];
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
    this.#worker.onmessage = () => resolve();
    this.#worker.onerror = (e) => {
      e.preventDefault();
      resolve();
    };
  }

  #ask(req: FinisherRequest): Promise<void> {
    const worker = this.#worker;
    if (worker === null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FinisherReply>) => {
        if (e.data.type === "ready") return;
        if (e.data.error === null) resolve();
        else reject(new Error(e.data.error));
      };
      worker.postMessage(req);
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

  /** Removes the `.part` files (a run that failed before writing anything). */
  async discard(outputs: Output[]): Promise<void> {
    for (const o of outputs) {
      if (o.part !== null) {
        await this.#ask({ op: "remove", path: absolute(o.part) }).catch(() => {});
      }
      o.release();
    }
  }

  close(): void {
    this.#worker?.terminate();
  }
}
