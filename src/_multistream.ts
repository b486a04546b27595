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

/** Chunks of bytes waiting to be cut into jobs; `take(n)` copies the first n into one buffer. */
class ByteQueue {
  #chunks: Uint8Array[] = [];
  length = 0;

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes as a fresh buffer (transferable to a worker). */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.#chunks[0];
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    this.length -= n;
    return out;
  }

  clear(): void {
    this.#chunks = [];
    this.length = 0;
  }
}

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
export class MultistreamSplitStream extends TransformStream<Uint8Array, Job> {
  /** `onError`: as in the pool, report an error and end cleanly after the jobs before it. */
  constructor(
    offsets: number[],
    onError?: (err: unknown) => void,
    minRange = MIN_RANGE_BYTES,
  ) {
    const pending = new ByteQueue();
    let start = 0; // absolute offset of the first pending byte
    let next = 0; // index into offsets
    let first = true;

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
        if (onError === undefined) throw err;
        onError(err);
        controller.terminate();
        pending.clear();
        next = offsets.length;
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

const PAGE_OPEN = new TextEncoder().encode("<page>");
const PAGE_CLOSE = new TextEncoder().encode("</page>");

/** Index of `pat` in `buf` at or after `from`, or -1. */
function indexOf(buf: Uint8Array, pat: Uint8Array, from: number): number {
  const first = pat[0];
  for (
    let i = buf.indexOf(first, from);
    i >= 0 && i + pat.length <= buf.length;
    i = buf.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < pat.length && buf[i + k] === pat[k]) k++;
    if (k === pat.length) return i;
  }
  return -1;
}

/**
 * End (just after `>`) of the last `</page>` that lies in `chunk` or straddles into it
 * from `before` (the previous bytes' last few), as an offset into `chunk`; or -1.
 */
function lastPageEnd(before: Uint8Array, chunk: Uint8Array): number {
  const n = PAGE_CLOSE.length;
  const last = PAGE_CLOSE[n - 1];
  for (let i = chunk.lastIndexOf(last); i >= 0; i = i > 0 ? chunk.lastIndexOf(last, i - 1) : -1) {
    let k = n - 2;
    for (; k >= 0; k--) {
      const at = i - (n - 1 - k);
      const b = at >= 0 ? chunk[at] : before[before.length + at];
      if (b !== PAGE_CLOSE[k]) break;
    }
    if (k < 0) return i + 1;
  }
  return -1;
}

/** Fragments are cut at the first page end after this many bytes of XML. */
export const MIN_FRAGMENT_BYTES = 2 << 20;

/**
 * Cuts decompressed XML into {@link Job}s of whole pages, so that workers parse, clean
 * and convert in parallel and the calling thread only looks for `</page>`. Every job
 * after the first carries the dump's header (up to the first `<page>`), which makes
 * each fragment a complete dump with its siteinfo.
 */
export class XmlSplitStream extends TransformStream<Uint8Array, Job> {
  constructor(minFragment = MIN_FRAGMENT_BYTES) {
    const pending = new ByteQueue();
    /** Offset in the pending bytes just after the last `</page>` seen, or -1. */
    let cut = -1;
    let tail: Uint8Array = new Uint8Array(0);
    let header: Uint8Array | null = null;
    let first = true;

    const emit = (
      controller: TransformStreamDefaultController<Job>,
      bytes: Uint8Array,
      last = false,
    ) => {
      if (first) {
        const p = indexOf(bytes, PAGE_OPEN, 0);
        header = p < 0 ? null : bytes.slice(0, p);
      }
      controller.enqueue({ kind: "xml", bytes, header: first ? null : header, last });
      first = false;
    };

    super({
      transform(chunk, controller) {
        if (chunk.length === 0) return;
        // Each chunk is scanned once (backwards, so usually only its last page's bytes).
        const end = lastPageEnd(tail, chunk);
        if (end >= 0) cut = pending.length + end;
        pending.push(chunk);
        tail = chunk.length >= PAGE_CLOSE.length
          ? chunk.slice(chunk.length - PAGE_CLOSE.length)
          : concatTail(tail, chunk);
        if (cut < minFragment) return;
        // Cut at the first page end past the fragment size, as often as the bytes allow.
        let buf = pending.take(pending.length);
        let lastEnd = cut;
        let at = 0;
        for (;;) {
          const p = indexOf(buf, PAGE_CLOSE, at + Math.max(0, minFragment - PAGE_CLOSE.length));
          if (p < 0 || p + PAGE_CLOSE.length > lastEnd) break;
          const end = p + PAGE_CLOSE.length;
          emit(controller, buf.slice(at, end));
          at = end;
        }
        buf = buf.subarray(at);
        lastEnd -= at;
        if (buf.length > 0) pending.push(buf);
        cut = lastEnd > 0 ? lastEnd : -1;
      },
      flush(controller) {
        // Always a last job, even an empty one: it is what checks that the dump ends.
        emit(controller, pending.take(pending.length), true);
      },
    });
  }
}

function concatTail(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  const both = new Uint8Array(tail.length + chunk.length);
  both.set(tail);
  both.set(chunk, tail.length);
  return both.slice(Math.max(0, both.length - PAGE_CLOSE.length));
}
