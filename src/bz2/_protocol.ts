/**
 * Messages between the stream and its decoding workers.
 *
 * @module
 */

import type { BlockResult } from "./_block.ts";

/** One block to decode: its bits are `data[startBit, endBit)`. */
export interface JobMessage {
  id: number;
  data: Uint8Array<ArrayBuffer>;
  startBit: number;
  endBit: number;
}

/** The decoder's answer for job `id`. */
export interface ReplyMessage {
  id: number;
  result: BlockResult;
}
