/**
 * Messages between the stream and its decoding workers.
 *
 * @module
 */

import type { BlockResult } from "./_block.ts";

/** One block to decode: its bits are `data[startBit, endBit)` (`data` may be a view of a larger buffer). */
export interface JobMessage {
  id: number;
  data: Uint8Array<ArrayBuffer>;
  startBit: number;
  endBit: number;
  /** Where to write the output if it fits (allocated by the calling thread, see mod.ts). */
  out: ArrayBuffer;
}

/** The decoder's answer for job `id`. */
export interface ReplyMessage {
  id: number;
  result: BlockResult;
  /** The job's input buffer, handed back for reuse. */
  input: ArrayBuffer;
}
