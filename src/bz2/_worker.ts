/**
 * Worker that decodes bzip2 blocks for {@link Bzip2DecompressionStream}. Each
 * message is one block's compressed bits; the reply carries its output buffer
 * (transferred, not copied).
 *
 * @module
 */

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import type { ReadyMessage } from "../types.ts";
import { BlockDecoder } from "./_block.ts";
import type { JobMessage, ReplyMessage } from "./_protocol.ts";

const decoder = new BlockDecoder();

self.onmessage = (e: MessageEvent<JobMessage>) => {
  const { id, data, startBit, endBit, out } = e.data;
  const result = decoder.decode(data, startBit, endBit, out);
  // The input goes back too, for reuse: garbage left in a worker is collected late.
  const reply: ReplyMessage = { id, result, input: data.buffer };
  if (result.kind === "ok") {
    const moved = [result.out.buffer, data.buffer];
    if (result.runs) moved.push(result.runs.buffer);
    self.postMessage(reply, moved);
  } else self.postMessage(reply, [data.buffer]);
};

// Loaded: the stream may now let its caller drop read permission.
self.postMessage({ type: "ready" } satisfies ReadyMessage);
