/**
 * Multistream dumps: the index names the byte offset of every bzip2 stream that
 * starts a group of pages. Cutting the compressed input at those offsets gives
 * independent jobs that workers decode, parse, clean and convert on their own.
 *
 * @module
 */

import { Bz2FormatError, IoError } from "./errors.ts";
import type { Job } from "./_pool.ts";

/**
 * Reads `offset:id:title` lines and returns the distinct stream offsets, ascending.
 * Lines that do not start with a number are an error naming the line.
 */
export class IndexOffsetsStream extends TransformStream<string, number[]> {
  constructor(path: string) {
    let rest = "";
    let line = 0;
    let last = -1;
    const offsets: number[] = [];
    const take = (s: string) => {
      line++;
      if (s.length === 0) return;
      const colon = s.indexOf(":");
      const n = colon > 0 ? Number(s.slice(0, colon)) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new IoError(`${path}: line ${line} is not "offset:id:title"`, path);
      }
      if (n !== last) {
        if (n < last) throw new IoError(`${path}: line ${line}: offsets go backwards`, path);
        offsets.push(n);
        last = n;
      }
    };
    super({
      transform(chunk) {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop()!;
        for (const l of lines) take(l.endsWith("\r") ? l.slice(0, -1) : l);
      },
      flush(controller) {
        take(rest);
        controller.enqueue(offsets);
      },
    });
  }
}

/** Ranges are cut at the first stream start at least this many bytes after their start. */
export const MIN_RANGE_BYTES = 1 << 20;

/**
 * Cuts the compressed dump into {@link Job}s of whole streams at the given offsets.
 * Every cut must land on a bzip2 stream header, or the index does not belong to the dump.
 */
export class MultistreamSplitStream extends TransformStream<Uint8Array, Job> {
  /** `onError`: as in the pool, report an error and end cleanly after the jobs before it. */
  constructor(
    offsets: number[],
    onError?: (err: unknown) => void,
    minRange = MIN_RANGE_BYTES,
  ) {
    let pending: Uint8Array[] = [];
    let pendingLen = 0;
    let start = 0; // absolute offset of pending[0][0]
    let next = 0; // index into offsets
    let first = true;

    const take = (n: number): Uint8Array => {
      const out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = pending[0];
        const k = Math.min(c.length, n - at);
        out.set(c.subarray(0, k), at);
        at += k;
        if (k === c.length) pending.shift();
        else pending[0] = c.subarray(k);
      }
      pendingLen -= n;
      return out;
    };

    const emit = (controller: TransformStreamDefaultController<Job>, end: number) => {
      const bytes = take(end - start);
      if (!(bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68)) {
        const err = new Bz2FormatError(
          "the multistream index does not match this dump: no bzip2 stream starts here",
          start,
        );
        if (onError === undefined) throw err;
        onError(err);
        controller.terminate();
        pending = [];
        pendingLen = 0;
        next = offsets.length;
        return;
      }
      controller.enqueue({ kind: "streams", bytes, base: start, first });
      first = false;
      start = end;
    };

    super({
      transform(chunk, controller) {
        if (chunk.length === 0) return;
        pending.push(chunk);
        pendingLen += chunk.length;
        for (;;) {
          while (next < offsets.length && offsets[next] < start + minRange) next++;
          if (next >= offsets.length || offsets[next] > start + pendingLen) return;
          emit(controller, offsets[next]);
        }
      },
      flush(controller) {
        if (pendingLen > 0) emit(controller, start + pendingLen);
        pending = [];
      },
    });
  }
}
