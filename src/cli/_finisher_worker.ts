/**
 * The finisher worker: the one thread still allowed to touch the output paths after the
 * CLI gives up its permissions. It moves each `OUT.part` to `OUT` when a run succeeds
 * (never over a file that appeared meanwhile) or removes a `.part` when a run fails.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { ReadyMessage } from "../types.ts";

export type FinisherRequest =
  | {
    op: "commit";
    from: string;
    to: string;
    /** Identities `to` had at the start (`--force` over it), or null if it was absent. */
    replaces: string[] | null;
  }
  | { op: "remove"; path: string };

export type FinisherReply = ReadyMessage | { type: "done"; error: string | null };

function inode(path: string): string | null {
  try {
    const info = Deno.statSync(path);
    return `inode:${info.dev}:${info.ino}`;
  } catch {
    return null;
  }
}

/** Moves `from` to `to` only if `to` is still what it was when the run started. */
function commit(from: string, to: string, replaces: string[] | null): void {
  if (replaces !== null) {
    const now = inode(to);
    if (now !== null && !replaces.includes(now)) throw new Error("it was replaced during the run");
    Deno.renameSync(from, to);
    return;
  }
  try {
    // A hard link fails if `to` exists: a rename that cannot replace.
    Deno.linkSync(from, to);
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) throw new Error("it appeared during the run");
    // A file system without hard links: check, then rename.
    if (inode(to) !== null) throw new Error("it appeared during the run");
    Deno.renameSync(from, to);
    return;
  }
  Deno.removeSync(from);
}

self.onmessage = (event: MessageEvent<FinisherRequest>) => {
  const req = event.data;
  let error: string | null = null;
  try {
    if (req.op === "commit") commit(req.from, req.to, req.replaces);
    else Deno.removeSync(req.path);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    error = msg.split("\n")[0].replace(/ \(os error \d+\).*$/, "");
  }
  self.postMessage({ type: "done", error } satisfies FinisherReply);
};

// Loaded: the main thread may now revoke its own permissions.
self.postMessage({ type: "ready" } satisfies FinisherReply);
