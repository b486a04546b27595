/**
 * A worker that may touch exactly the output paths: it renames `OUT.part` to `OUT` when
 * a run succeeds, or removes an empty `.part` when it fails. The main thread gives up
 * every file permission once its files are open; this worker is spawned before that,
 * with write access to those paths only, so finishing atomically needs no wider grant.
 */

/// <reference lib="deno.worker" />

export type FinisherRequest =
  | { op: "rename"; from: string; to: string }
  | { op: "remove"; path: string };

export type FinisherReply = { ok: true } | { ok: false; error: string } | { ready: true };

self.onmessage = (event: MessageEvent<FinisherRequest>) => {
  const req = event.data;
  let reply: FinisherReply;
  try {
    if (req.op === "rename") Deno.renameSync(req.from, req.to);
    else Deno.removeSync(req.path);
    reply = { ok: true };
  } catch (err) {
    reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};

// Loaded: the main thread may now revoke its own permissions.
self.postMessage({ ready: true } satisfies FinisherReply);
