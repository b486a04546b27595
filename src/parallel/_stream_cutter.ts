/**
 * Multistream dumps: the index names the byte offset of every bzip2 stream that starts a
 * group of pages. Cutting the compressed input at those offsets gives independent jobs
 * that workers decode, parse, clean and convert on their own.
 *
 * @module
 */

import { Bz2FormatError, endWithError, type OnError } from "../errors.ts";
import { ByteQueue } from "./_byte_queue.ts";
import type { Job } from "./_protocol.ts";

/**
 * Ranges are cut at the first stream start at least this many bytes after their start.
 * Measured with 4 workers on a 213 MB dump: 256 KB peaks at ~715 MB RSS, 1 MB at ~1 GB,
 * at the same speed (each worker holds its jobs' pages and articles at once).
 */
export const MIN_RANGE_BYTES = 1 << 18;

/**
 * Cuts the compressed dump into {@link Job}s of whole streams at the given offsets.
 * Every cut must land on a bzip2 stream header, or the index does not belong to the dump.
 */
export class StreamCutterStream extends TransformStream<Uint8Array, Job> {
  /** `from`: where in the file the input starts (a resumed run skips whole streams). */
  constructor(offsets: number[], onError?: OnError, minRange = MIN_RANGE_BYTES, from = 0) {
    const pending = new ByteQueue();
    let start = from; // absolute offset of the first pending byte
    let next = 0; // index into offsets
    let first = from === 0;

    const emit = (controller: TransformStreamDefaultController<Job>, end: number, last = false) => {
      const bytes = pending.take(end - start);
      if (last && bytes.length === 0) {
        // Input ended exactly at a stream start: an empty last job lets the worker see
        // the dump is unfinished (no `</mediawiki>`), instead of closing it silently.
        controller.enqueue({ kind: "streams", bytes, base: start, first, last });
        return;
      }
      if (!(bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68)) {
        const err = new Bz2FormatError(
          "the multistream index does not match this dump: no bzip2 stream starts here",
          start,
        );
        pending.clear();
        next = offsets.length;
        endWithError(controller, err, onError);
        return;
      }
      controller.enqueue({ kind: "streams", bytes, base: start, first, last });
      first = false;
      start = end;
    };

    super({
      transform(chunk, controller) {
        if (chunk.length === 0) return;
        pending.push(chunk);
        for (;;) {
          while (next < offsets.length && offsets[next] < start + minRange) next++;
          if (next >= offsets.length || offsets[next] > start + pending.length) return;
          emit(controller, offsets[next]);
        }
      },
      flush(controller) {
        emit(controller, start + pending.length, true);
      },
    });
  }
}
