/**
 * The finisher worker: the one thread still allowed to touch the output paths after the
 * CLI gives up its permissions. It moves each `OUT.part` to `OUT` when a run succeeds
 * (never over a file that appeared meanwhile), removes a `.part` when a run fails, and,
 * for sharded output, creates and writes each shard's `.part` as the sink asks.
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
  | { op: "remove"; path: string }
  /** Creates `path` exclusively, or with `keep` > 0 reopens it cut to `keep` bytes (resume). */
  | { op: "open"; id: number; path: string; keep: number }
  | { op: "write"; id: number; bytes: Uint8Array }
  /** Flushes what `id` holds to the disk (before a checkpoint names it). */
  | { op: "sync"; id: number }
  | { op: "close"; id: number };

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

const files = new Map<number, Deno.FsFile>();

function open(id: number, path: string, keep: number): void {
  let file: Deno.FsFile;
  if (keep === 0) {
    // Never through a link, never into an existing file (the input included).
    file = Deno.openSync(path, { write: true, createNew: true, mode: 0o644 });
  } else {
    const info = Deno.lstatSync(path);
    if (!info.isFile) throw new Error(`${path} is not a regular file`);
    if (info.size < keep) throw new Error(`${path} is shorter than its checkpoint says`);
    file = Deno.openSync(path, { read: true, write: true });
    file.truncateSync(keep);
    file.seekSync(keep, Deno.SeekMode.Start);
  }
  if (!file.tryLockSync(true)) {
    file.close();
    throw new Error(`${path} is locked by another run`);
  }
  files.set(id, file);
}

function write(id: number, bytes: Uint8Array): void {
  const file = files.get(id)!;
  let off = 0;
  while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
}

self.onmessage = (event: MessageEvent<FinisherRequest>) => {
  const req = event.data;
  let error: string | null = null;
  try {
    switch (req.op) {
      case "commit":
        commit(req.from, req.to, req.replaces);
        break;
      case "remove":
        Deno.removeSync(req.path);
        break;
      case "open":
        open(req.id, req.path, req.keep);
        break;
      case "write":
        write(req.id, req.bytes);
        break;
      case "sync":
        files.get(req.id)?.syncDataSync();
        break;
      case "close":
        files.get(req.id)?.close();
        files.delete(req.id);
        break;
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    error = msg.split("\n")[0].replace(/ \(os error \d+\).*$/, "");
  }
  self.postMessage({ type: "done", error } satisfies FinisherReply);
};

// Loaded: the main thread may now revoke its own permissions.
self.postMessage({ type: "ready" } satisfies FinisherReply);
