/**
 * A worker that compresses the main output's batches, so that gzip or zstd runs beside
 * the page stages instead of on their thread. Messages are handled strictly in order:
 * `{ start: kind }` opens a member, `{ chunk }` compresses a batch (answered with
 * `{ ack: bytes }`), `{ end: true }` completes the member (answered with `{ ended: true }`
 * after every compressed chunk `{ out }` of it).
 */

/// <reference lib="deno.worker" />

import type { ReadyMessage } from "../types.ts";
import { compressStream } from "./_codecs.ts";

export type CompressRequest =
  | { start: "gzip" | "zstd" }
  | { chunk: Uint8Array }
  | { end: true };

export type CompressReply =
  | ReadyMessage
  | { out: Uint8Array }
  | { ack: number }
  | { ended: true }
  | { error: string };

let member: { writer: WritableStreamDefaultWriter<Uint8Array>; drained: Promise<void> } | null =
  null;
let queue = Promise.resolve();

function post(reply: CompressReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

async function handle(req: CompressRequest): Promise<void> {
  if ("start" in req) {
    const cs = compressStream(req.start);
    const drained = cs.readable.pipeTo(
      new WritableStream<Uint8Array>({
        write(c) {
          // A copy of its own: the compressor's chunk may share a buffer.
          const out = c.slice();
          post({ out }, [out.buffer]);
        },
      }),
    );
    member = { writer: cs.writable.getWriter(), drained };
  } else if ("chunk" in req) {
    await member!.writer.write(req.chunk);
    post({ ack: req.chunk.byteLength });
  } else {
    await member!.writer.close();
    await member!.drained;
    member = null;
    post({ ended: true });
  }
}

self.onmessage = (event: MessageEvent<CompressRequest>) => {
  queue = queue.then(() => handle(event.data)).catch((err) => {
    post({ error: err instanceof Error ? err.message : String(err) });
  });
};

post({ type: "ready" });
