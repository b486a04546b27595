/**
 * An in-memory {@link OutputTarget} for the sink's tests: keeps each shard's bytes, knows
 * which were finished, and can be cut back to a checkpoint as a crash would leave it.
 * @module
 */

import type { OutputTarget, SinkCheckpoint } from "../../src/sink/mod.ts";
import { concat } from "../_assert.ts";

export class MemoryTarget implements OutputTarget {
  readonly files = new Map<number, Uint8Array[]>();
  readonly finished = new Set<number>();
  readonly closed = new Set<number>();
  readonly aborted = new Set<number>();
  /** Shard numbers in the order `create` was called, with the `keep` asked for. */
  readonly opened: [number, number][] = [];

  create(shard: number, keep: number): Promise<WritableStream<Uint8Array>> {
    if (this.finished.has(shard)) throw new Error(`shard ${shard} created again after finish`);
    this.opened.push([shard, keep]);
    const old = this.bytes(shard);
    if (old.length < keep) throw new Error(`shard ${shard} has ${old.length} bytes, keep ${keep}`);
    const chunks = [old.slice(0, keep)];
    this.files.set(shard, chunks);
    this.closed.delete(shard);
    return Promise.resolve(
      new WritableStream<Uint8Array>({
        write: (c) => void chunks.push(c.slice()),
        close: () => void this.closed.add(shard),
        abort: () => void this.aborted.add(shard),
      }),
    );
  }

  finish(shard: number): Promise<void> {
    if (!this.closed.has(shard)) throw new Error(`shard ${shard} finished before it was closed`);
    this.finished.add(shard);
    return Promise.resolve();
  }

  bytes(shard: number): Uint8Array {
    return concat(this.files.get(shard) ?? []);
  }

  /** Every shard's bytes, in shard order. */
  all(): Uint8Array[] {
    return [...this.files.keys()].sort((a, b) => a - b).map((n) => this.bytes(n));
  }

  /**
   * What a crash right after `cp` was taken may leave: finished shards as they are, the
   * open one with its `offset` bytes plus `torn` bytes of garbage, later shards absent.
   */
  crashedAt(cp: SinkCheckpoint, torn: Uint8Array): MemoryTarget {
    const t = new MemoryTarget();
    for (const [n] of this.files) {
      if (n < cp.shards) {
        t.files.set(n, [this.bytes(n)]);
        t.finished.add(n);
      } else if (n === cp.shards) {
        t.files.set(n, [this.bytes(n).slice(0, cp.offset), torn]);
      }
    }
    return t;
  }
}
