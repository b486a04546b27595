/**
 * Cuts decompressed XML into jobs of whole pages (at `</page>`), so that page workers
 * parse, clean and convert in parallel while this thread only looks for page ends.
 *
 * @module
 */

import { ByteQueue } from "./_byte_queue.ts";
import { indexOf, PAGE_CLOSE, PAGE_OPEN } from "./_bytes.ts";
import type { Job } from "./_protocol.ts";

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
 * Most bytes held after the last page end: past it (one huge page, or a run of white
 * space) the bytes pass to the pool as `chunk` jobs until the next page end.
 */
export const MAX_PENDING_BYTES = 32 << 20;

/**
 * Cuts decompressed XML into {@link Job}s of whole pages, so that workers parse, clean
 * and convert in parallel and the calling thread only looks for `</page>`. Every job
 * after the first carries the dump's header (up to the first `<page>`), which makes
 * each fragment a complete dump with its siteinfo.
 */
export class PageCutterStream extends TransformStream<Uint8Array, Job> {
  constructor(minFragment = MIN_FRAGMENT_BYTES, maxPending = MAX_PENDING_BYTES) {
    const pending = new ByteQueue();
    /** Passing bytes through as `chunk` jobs until a page end. */
    let passing = false;
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

    /** In passing mode: sends `chunk` up to its first page end (if any); returns the rest. */
    const pass = (controller: TransformStreamDefaultController<Job>, chunk: Uint8Array) => {
      const joined = concat(tail, chunk);
      const p = indexOf(joined, PAGE_CLOSE, 0);
      if (p < 0) {
        controller.enqueue({ kind: "chunk", bytes: chunk, first: false, end: false, last: false });
        tail = joined.slice(Math.max(0, joined.length - PAGE_CLOSE.length));
        return null;
      }
      const end = p + PAGE_CLOSE.length - tail.length;
      controller.enqueue({
        kind: "chunk",
        bytes: chunk.slice(0, end),
        first: false,
        end: true,
        last: false,
      });
      passing = false;
      tail = new Uint8Array(0);
      return chunk.subarray(end);
    };

    /** Cuts at the first page end past the fragment size, as often as the bytes allow. */
    const cutFragments = (controller: TransformStreamDefaultController<Job>) => {
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
    };

    /** Past the bound with no page end, the bytes after the last one pass as `chunk` jobs. */
    const hold = (controller: TransformStreamDefaultController<Job>) => {
      const done = Math.max(cut, 0);
      if (pending.length - done <= maxPending) return;
      const buf = pending.take(pending.length);
      if (done > 0) emit(controller, buf.slice(0, done));
      const rest = buf.subarray(done);
      controller.enqueue({ kind: "chunk", bytes: rest, first, end: false, last: false });
      first = false;
      cut = -1;
      passing = true;
      tail = rest.slice(Math.max(0, rest.length - PAGE_CLOSE.length));
    };

    super({
      transform(input, controller) {
        let chunk = input;
        if (chunk.length === 0) return;
        if (passing) {
          const rest = pass(controller, chunk);
          if (rest === null || rest.length === 0) return;
          chunk = rest;
        }
        // Each chunk is scanned once (backwards, so usually only its last page's bytes).
        const end = lastPageEnd(tail, chunk);
        if (end >= 0) cut = pending.length + end;
        pending.push(chunk);
        tail = chunk.length >= PAGE_CLOSE.length
          ? chunk.slice(chunk.length - PAGE_CLOSE.length)
          : concatTail(tail, chunk);
        if (cut >= minFragment) cutFragments(controller);
        hold(controller);
      },
      flush(controller) {
        // Always a last job, even an empty one: it is what checks that the dump ends.
        if (passing) {
          controller.enqueue({
            kind: "chunk",
            bytes: new Uint8Array(0),
            first: false,
            end: true,
            last: true,
          });
        } else emit(controller, pending.take(pending.length), true);
      },
    });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

function concatTail(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  const both = concat(tail, chunk);
  return both.slice(Math.max(0, both.length - PAGE_CLOSE.length));
}
