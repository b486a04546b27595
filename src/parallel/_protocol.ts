/**
 * What the page pool and its workers say to each other: the one init message, jobs,
 * replies, and errors rebuilt as the same class on the other side.
 *
 * @module
 */

import { Bz2FormatError, NotADumpError, WikizhError, XmlSyntaxError } from "../errors.ts";
import type { Article, PageRecord, ReadyMessage } from "../types.ts";
import type { CleanupOptions } from "../wikitext/mod.ts";
import type { ConversionOptions } from "../zhconv/mod.ts";
import type { Span } from "../xml/mod.ts";

/** Options of the page stages (cleanup, then conversion), given once to every thread. */
export interface StageOptions {
  cleanup: CleanupOptions;
  conversion: ConversionOptions;
  /**
   * A resumed run: pages up to this id were written before, so they are passed on
   * unprocessed (the sink drops them; dumps list pages by increasing id).
   */
  skipThrough?: number;
}

/**
 * A job: a fragment of XML holding whole pages, or a run of whole bzip2 streams to
 * decode first. Either way the worker parses, cleans and converts it by itself.
 */
export type Job =
  | {
    kind: "xml";
    bytes: Uint8Array;
    /** The dump's header (up to the first `<page>`) to put before `bytes`; null for the first. */
    header: Uint8Array | null;
    /** Whether this fragment ends the input (else the worker closes the root element). */
    last: boolean;
  }
  | {
    kind: "streams";
    bytes: Uint8Array;
    /** Offset of `bytes` in the input file, for error positions. */
    base: number;
    /** Whether the range holds the dump's first stream (the `<mediawiki>` header). */
    first: boolean;
    /** Whether this range ends the input (else the worker closes the root element). */
    last: boolean;
  }
  | {
    /**
     * XML that no fragment can hold (a run of bytes with no page end past the cutter's
     * bound: one huge page, or a whitespace bomb): the pool parses it on its own thread as
     * it comes, so it is never held whole. Never sent to a worker.
     */
    kind: "chunk";
    bytes: Uint8Array;
    /** Whether these bytes start the dump (no fragment came before). */
    first: boolean;
    /** Whether the passage ends with these bytes (just after a `</page>`, or the input's end). */
    end: boolean;
    /** Whether these bytes end the input. */
    last: boolean;
  };

/** Jobs a worker takes. */
export type WorkerJob = Exclude<Job, { kind: "chunk" }>;

export type WorkerRequest =
  | { type: "init"; init: StageOptions }
  | { type: "job"; seq: number; job: WorkerJob };

/** An error crossing the worker boundary. */
export interface WireError {
  name: string;
  message: string;
  byteOffset?: number;
  block?: number;
  line?: number;
  column?: number;
}

/**
 * A job's articles, and the error that stopped it, if any: a truncated last range
 * still yields the articles before the break, and the error is raised after them.
 *
 * A range of bzip2 streams need not start or end at a page boundary (streams cut at any
 * byte, pbzip2-style): `head` is what its XML holds before its first `<page>` and `tail`
 * what follows its last `</page>`, when either is more than white space. The pool joins a
 * tail with the next job's head and parses that page on its own thread.
 */
export type WorkerReply =
  | ReadyMessage
  | {
    type: "done";
    seq: number;
    articles: Article[];
    error: WireError | null;
    /** Lines and bytes of the job's own XML, so that error positions count from the dump's start. */
    lines: number;
    xmlBytes: number;
    /** Bytes of XML before the job's first page start (`streams` jobs; null: none or blank). */
    head: Uint8Array | null;
    /** Bytes of XML after its last page end (`streams` jobs, not the last; null: blank). */
    tail: Uint8Array | null;
    /** Whether the job's XML holds a `<page>` start (else all of it is `head`). */
    opens: boolean;
    /** The dump's header (first job only), needed to parse joined pages. */
    header: Uint8Array | null;
  };

/**
 * Two-thread layout (see `_decode_worker.ts`): the decoding worker may have this many of
 * its messages (fragments of about 256 KB) untaken by the page stages before it stops
 * decoding: about 2 MB decoded ahead.
 */
export const MAX_UNTAKEN = 8;

/** …and reads the pages itself once this many are untaken (the page stages are behind). */
export const READ_WHEN_UNTAKEN = 2;

/**
 * Who reads pages in the two-thread layout: the decoding worker by the backlog (the
 * default), or always, never or every other fragment (tests: positions must carry over
 * between the two threads' readers).
 */
export type ScanMode = "auto" | "always" | "never" | "alternate";

/** What the page stages tell the decoding worker. */
export type DecodeRequest =
  | {
    type: "init";
    scan: ScanMode;
    /** Size of the fragments cut at page ends (null: the default, 256 KB; tests set less). */
    fragmentBytes: number | null;
    /** XML to put before the decoded bytes (a resumed run's stand-in root), or null. */
    prefix: Uint8Array | null;
    /** One Int32: how many `xml` and `pages` messages the page stages have finished with. */
    taken: SharedArrayBuffer;
  }
  | { type: "input"; bytes: Uint8Array }
  | { type: "end" }
  /** One of the worker's `xml` or `pages` messages is done with (counted in `taken`). */
  | { type: "took"; buffer?: ArrayBuffer };

/** What the decoding worker sends, in input order. */
export type DecodeReply =
  | ReadyMessage
  /** XML to read on the page stages' thread. */
  | { type: "xml"; bytes: Uint8Array }
  /** Pages the worker read from a fragment of whole pages, and the error that ended them. */
  | {
    type: "pages";
    pages: PageRecord[];
    error: WireError | null;
    /** How far the fragment moves a reader (the other thread's skips it). */
    span: Span;
  }
  /** Input chunks of this many bytes were taken in (more may come); their buffers, for reuse. */
  | { type: "fed"; bytes: number; buffers: ArrayBuffer[] }
  /** Damage in the compressed input, after everything decoded before it. */
  | { type: "error"; error: WireError }
  | { type: "end" };

export function toWire(err: unknown): WireError {
  if (err instanceof Bz2FormatError) {
    return { name: err.name, message: err.message, byteOffset: err.byteOffset, block: err.block };
  }
  if (err instanceof XmlSyntaxError) {
    const { name, message, line, column, byteOffset } = err;
    return { name, message, line, column, byteOffset };
  }
  if (err instanceof WikizhError) return { name: "WikizhError", message: err.message };
  const e = err instanceof Error ? err : new Error(String(err));
  // Not a user-facing error: the CLI reports it as an internal error.
  return { name: "Error", message: e.message };
}

export function fromWire(w: WireError): Error {
  if (w.name === "Bz2FormatError") {
    return new Bz2FormatError(w.message, w.byteOffset ?? -1, w.block);
  }
  if (w.name === "XmlSyntaxError" || w.name === "NotADumpError") {
    const Cls = w.name === "NotADumpError" ? NotADumpError : XmlSyntaxError;
    return new Cls(w.message, w.line ?? 0, w.column ?? 0, w.byteOffset ?? -1);
  }
  if (w.name === "WikizhError") return new WikizhError(w.message);
  return new Error(`worker: ${w.message}`);
}
