/**
 * The decoding worker of the two-thread layout: it decodes the bzip2 input block by block
 * and hands the XML over cut at page ends. Whenever the page stages on the other thread
 * are behind (messages of its own still queued there), it also reads the next fragment's
 * pages itself, so that neither thread idles while the other has work queued: the share
 * of the work follows the content instead of a fixed split. It holds no cleanup or
 * conversion tables.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { Bz2Reader } from "../bz2/mod.ts";
import { newlines, PageReader, type Span, spanOf } from "../xml/mod.ts";
import type { PageRecord, ReadyMessage } from "../types.ts";
import { indexOf, lastIndexOf, PAGE_CLOSE, PAGE_OPEN } from "./_bytes.ts";
import {
  type DecodeReply,
  type DecodeRequest,
  MAX_UNTAKEN,
  READ_WHEN_UNTAKEN,
  type ScanMode,
  toWire,
} from "./_protocol.ts";

/**
 * Most bytes held after the last page end before they go over as they are (a longer
 * page is read on the other thread; this one reads again from the next page end).
 */
const MAX_CARRY = 4 << 20;

/**
 * Fragments sent are cut at page ends to about this size (a bzip2 block decodes to about
 * 900 KB). The other thread takes a fragment's pages all at once, so they wait their turn
 * in its young generation: fragments of a whole block kept about 8 MB alive through each
 * scavenge, and 740 MB of a 210 MB dump was promoted, against 97 MB with 256 KB (scavenge
 * pauses 1.34 s against 0.23 s on that thread).
 */
const FRAGMENT_BYTES = 256 << 10;
let fragmentBytes = FRAGMENT_BYTES;

let reader: Bz2Reader | null = null;
let scan: ScanMode = "auto";
const input: Uint8Array[] = [];
let inputEnded = false;
let finished = false;
/** Messages sent, and (shared, kept by the other thread) how many it has finished with. */
let sent = 0;
let taken = new Int32Array(1);
/**
 * Messages the other thread has not finished with. Read from shared memory: its "took"
 * messages arrive only between this worker's own tasks, so a count kept from them lags
 * by as many messages as the other thread finished meanwhile.
 */
const untaken = () => sent - Atomics.load(taken, 0);
/** XML decoded after the last page end. */
let carry: Uint8Array = new Uint8Array(0);
/**
 * Reads the fragments this thread takes, skipping those sent as XML, so that positions
 * count from the dump's start. Null until the dump's header has been seen, and from a
 * message that does not end at a page end until the next that does: so when it is set,
 * the next fragment starts just after a page end.
 */
let pageReader: PageReader | null = null;
/** The dump's header (up to its first `<page>`), which starts every new `pageReader`. */
let header: Uint8Array | null = null;
let headerLines = 0;
/** XML bytes and lines sent so far: where the next message starts in the dump. */
let sentBytes = 0;
let sentLines = 0;
/** Set once a fragment read here met damage: nothing more is read here. */
let damaged = false;
let scheduled = false;

const wake = new MessageChannel();
wake.port1.onmessage = () => {
  scheduled = false;
  pump();
};

function post(reply: DecodeReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

/** Runs {@link pump} again after the messages already queued (acknowledgements among them). */
function schedule(): void {
  if (scheduled || finished) return;
  scheduled = true;
  wake.port2.postMessage(0);
}

self.onmessage = (e: MessageEvent<DecodeRequest>) => {
  const m = e.data;
  if (m.type === "init") {
    scan = m.scan;
    fragmentBytes = m.fragmentBytes ?? FRAGMENT_BYTES;
    taken = new Int32Array(m.taken) as unknown as Int32Array<ArrayBuffer>;
    reader = new Bz2Reader(new Uint8Array(0), { partial: true, reuseOutput: true });
    if (m.prefix !== null) carry = m.prefix;
    return;
  }
  if (m.type === "input") input.push(m.bytes);
  else if (m.type === "end") inputEnded = true;
  // "took" hands a buffer back and wakes the pump (the count is in `taken`).
  else if (m.buffer !== undefined) keep(m.buffer);
  schedule();
};

/** Decodes one more piece and sends what it completes; schedules itself while it can go on. */
function pump(): void {
  if (finished || reader === null || untaken() >= MAX_UNTAKEN) return;
  let piece: Uint8Array | null;
  try {
    piece = reader.next();
    while (piece === null && reader.starved) {
      if (input.length === 0 && !inputEnded) return; // wait for input
      // Everything queued goes in at once: a task per chunk would idle between them.
      let bytes = 0;
      const buffers: ArrayBuffer[] = [];
      for (const chunk of input) {
        reader.feed(chunk);
        bytes += chunk.length;
        buffers.push(chunk.buffer as ArrayBuffer);
      }
      input.length = 0;
      // The input buffers go back to the other thread, which fills them again.
      if (bytes > 0) post({ type: "fed", bytes, buffers }, buffers);
      if (inputEnded) reader.finish();
      piece = reader.next();
    }
  } catch (err) {
    // Everything decoded before the damage goes first, then the error.
    flush();
    post({ type: "error", error: toWire(err) });
    finished = true;
    return;
  }
  if (piece === null) {
    flush();
    post({ type: "end" });
    finished = true;
    return;
  }
  cut(piece);
  schedule();
}

function cut(piece: Uint8Array): void {
  if (piece.length === 0) return;
  const joined = join(carry, piece);
  // Only the dump's own header starts the reader (not a page begun after a long carry).
  if (sent === 0 && header === null) {
    const p = indexOf(joined, PAGE_OPEN, 0);
    if (p >= 0) {
      header = joined.slice(0, p);
      headerLines = newlines(header);
    }
  }
  const close = lastIndexOf(joined, PAGE_CLOSE);
  if (close < 0) {
    carry = joined;
    if (carry.length > MAX_CARRY) {
      // One huge page (or a run of white space): it goes over in pieces, read there.
      send(carry, false);
      carry = new Uint8Array(0);
    }
    return;
  }
  const end = close + PAGE_CLOSE.length;
  carry = joined.slice(end);
  // Cut into fragments of about fragmentBytes at page ends; all but the first are copied
  // out before the first one's buffer moves over.
  const cuts = [0];
  for (let from = 0; end - from > fragmentBytes;) {
    const c = indexOf(joined, PAGE_CLOSE, from + fragmentBytes);
    if (c < 0 || c + PAGE_CLOSE.length >= end) break;
    from = c + PAGE_CLOSE.length;
    cuts.push(from);
  }
  cuts.push(end);
  const rest: Uint8Array[] = [];
  for (let k = 1; k + 1 < cuts.length; k++) rest.push(copy(joined.subarray(cuts[k], cuts[k + 1])));
  send(joined.subarray(0, cuts[1]), true);
  for (const fragment of rest) send(fragment, true);
}

/** The rest, which ends the input (or precedes damage): always read on the other thread. */
function flush(): void {
  if (carry.length > 0) send(carry, false);
  carry = new Uint8Array(0);
}

/**
 * A reader for the fragments from here on (just after a page end): the dump's header
 * first, so that it knows the namespaces, with positions counted from the dump's start.
 */
function newReader(): PageReader | null {
  if (header === null || damaged) return null;
  const r = new PageReader({
    baseOffset: sentBytes - header.length,
    baseLine: sentLines - headerLines,
    endInRoot: true,
  });
  try {
    r.push(header);
    return r.error === null ? r : null;
  } catch {
    return null; // the other thread reads the header too, and reports its damage
  }
}

/** Sends XML over, or its pages when this thread should take the reading. */
function send(bytes: Uint8Array, endsPage: boolean): void {
  const read = scan === "always" || (scan === "alternate" && sent % 2 === 0) ||
    (scan === "auto" && untaken() >= READ_WHEN_UNTAKEN);
  const r = pageReader;
  let span: Span;
  if (r !== null && endsPage && read) {
    let pages: PageRecord[] = [];
    let error: unknown = null;
    const before = r.linesThroughEnd();
    try {
      pages = r.push(bytes);
      error = r.error;
    } catch (err) {
      error = err;
    }
    // The reader counted the fragment's newlines, unless damage stopped it short.
    span = spanOf(bytes, error === null ? r.linesThroughEnd() - before : undefined);
    post({
      type: "pages",
      pages,
      error: error === null ? null : toWire(error),
      span,
    });
    if (error !== null) {
      pageReader = null;
      damaged = true;
    }
    // Read here, the fragment's buffer is free again (`carry` was copied out of it).
    keep(bytes.buffer as ArrayBuffer);
  } else {
    // Taken first: a transferred buffer leaves `bytes` empty.
    span = spanOf(bytes);
    // Sent as XML: this reader skips it, or (a page cut in two) starts again after it.
    if (r !== null && endsPage) r.skip(span);
    else pageReader = null;
    // `bytes` is a view of a buffer nothing else here holds (see cut): it moves over.
    post({ type: "xml", bytes }, [bytes.buffer as ArrayBuffer]);
  }
  sent++;
  sentBytes += span.bytes;
  sentLines += span.lines;
  if (pageReader === null && endsPage) pageReader = newReader();
}

/**
 * Buffers for the XML sent over, which the other thread hands back once it has read them.
 * A buffer allocated on one thread and freed on another grows the allocator's per-thread
 * arenas (tens of MB more peak RSS, measured), and one left here is collected late.
 */
const spare: ArrayBuffer[] = [];
/** Larger buffers (a huge page, a run of white space) are not kept for reuse. */
const MAX_SPARE = 8 << 20;

function keep(buf: ArrayBuffer): void {
  if (buf.byteLength <= MAX_SPARE && spare.length < MAX_UNTAKEN + 2) spare.push(buf);
}

const NOTHING = new Uint8Array(0);

/** A copy of `a` in a buffer of the pool. */
function copy(a: Uint8Array): Uint8Array {
  return join(a, NOTHING);
}

/** `a` then `b`, in a buffer of the pool (the decoder's own output stays on this thread). */
function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = a.length + b.length;
  let buf = spare.pop();
  // One too small is dropped here, on the thread that made it.
  while (buf !== undefined && buf.byteLength < n) buf = spare.pop();
  buf ??= new ArrayBuffer(Math.max(n + (n >> 2), 1 << 20));
  const both = new Uint8Array(buf, 0, n);
  both.set(a);
  both.set(b, a.length);
  return both;
}

// Loaded: the CLI may now drop read permission.
post({ type: "ready" } satisfies ReadyMessage);
