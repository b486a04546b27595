/**
 * Where the sink's files go (its `OutputTarget`s): the one pre-opened `OUT.part`, or
 * shards the finisher worker creates as `NAME-0000N….part` and moves to their final names
 * as each is complete. Both can flush to disk before a checkpoint names their bytes.
 *
 * @module
 */

import { IoError } from "../errors.ts";
import { type OutputTarget, shardName } from "../sink/mod.ts";
import type { Finisher } from "./_finisher.ts";
import type { Output } from "./_output.ts";

/** A sink target, and how to make what it wrote durable. */
export interface Target {
  target: OutputTarget;
  sync: () => Promise<void>;
}

/** One output file, opened (and on resume cut to its checkpoint) before the run. */
export function fileTarget(output: Output): Target {
  let opened = false;
  return {
    target: {
      create(shard) {
        if (shard !== 0 || opened) {
          return Promise.reject(new IoError(`${output.path}: one file only`, output.path));
        }
        opened = true;
        return Promise.resolve(output.writable);
      },
      // Moved to its final name when the whole run succeeds.
      finish: () => Promise.resolve(),
    },
    sync: output.sync,
  };
}

/** Shards of `path`, each written by the finisher and moved to its name when complete. */
export function shardTarget(finisher: Finisher, path: string): Target {
  let sync: () => Promise<void> = () => Promise.resolve();
  return {
    target: {
      async create(shard, keep) {
        const file = await finisher.file(`${shardName(path, shard)}.part`, keep);
        sync = file.sync;
        return file.writable;
      },
      async finish(shard) {
        sync = () => Promise.resolve();
        await finisher.commitShard(shardName(path, shard));
      },
    },
    sync: () => sync(),
  };
}
