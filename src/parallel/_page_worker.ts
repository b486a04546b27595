/**
 * A page worker: parses, cleans and converts a fragment of whole pages, or decodes a run
 * of whole bzip2 streams first, so that no page text crosses threads twice. Decoded XML
 * goes to the page reader piece by piece: memory stays bounded whatever the streams hold.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { Bz2Reader } from "../bz2/mod.ts";
import { PageReader } from "../xml/mod.ts";
import { XmlSyntaxError } from "../errors.ts";
import type { Article, PageRecord, ReadyMessage } from "../types.ts";
import { countLines, pageChain, parseFragment, pushInPieces } from "./_chain.ts";
import { indexOf, isBlank, lastIndexOf, PAGE_CLOSE, PAGE_OPEN } from "./_bytes.ts";
import {
  type StageOptions,
  toWire,
  type WorkerJob,
  type WorkerReply,
  type WorkerRequest,
} from "./_protocol.ts";

let chain: ((page: PageRecord) => Article) | null = null;

type Done = Extract<WorkerReply, { type: "done" }>;

function emptyReply(seq: number): Done {
  return {
    type: "done",
    seq,
    articles: [],
    error: null,
    lines: 0,
    xmlBytes: 0,
    head: null,
    tail: null,
    opens: true,
    header: null,
  };
}

/** Most bytes kept of a page that straddles two jobs (its head or its tail). */
const MAX_STRADDLE = 80 << 20;

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Decodes and parses a run of whole bzip2 streams. Streams may be cut at any byte
 * (pbzip2): what lies before the first `<page>` (the end of a page begun in the job before)
 * is returned as `head`, and an unfinished last page as `tail`; the pool joins those.
 */
function runStreams(done: Done, job: Extract<WorkerJob, { kind: "streams" }>): void {
  const bz = new Bz2Reader(job.bytes, { baseOffset: job.base });
  const reader = new PageReader({ startInRoot: !job.first, endInRoot: !job.last });
  const articles = done.articles;
  // Each page goes through the page stages as soon as its piece is read (pushInPieces).
  const take = (pages: PageRecord[]) => {
    for (const p of pages) articles.push(chain!(p));
    if (reader.error !== null) throw reader.error;
  };
  const feed = (b: Uint8Array) => pushInPieces(reader, b, take);
  // Until the first `<page>`: the bytes so far (the header, or the end of a straddling page).
  let pending: Uint8Array | null = new Uint8Array(0);
  let before = { lines: 0, bytes: 0 };
  // Bytes from the last `<page>` start on, in case that page does not end in this job.
  let open: Uint8Array[] = [];
  let openBytes = 0;
  let lastTail = new Uint8Array(0); // the last few bytes fed, for a tag cut between pieces
  const track = (b: Uint8Array) => {
    const q = lastIndexOf(b, PAGE_OPEN);
    // A tag cut between two pieces lies in the last bytes before `b` and its first few.
    const joint = q >= 0 ? null : concat([lastTail, b.subarray(0, PAGE_OPEN.length - 1)]);
    const j = joint === null ? -1 : lastIndexOf(joint, PAGE_OPEN);
    if (q >= 0) {
      open = [b.slice(q)];
      openBytes = b.length - q;
    } else if (j >= 0) {
      open = [joint!.slice(j, lastTail.length), b];
      openBytes = lastTail.length - j + b.length;
    } else if (openBytes >= 0) {
      open.push(b);
      openBytes += b.length;
      // A page this large cannot be joined across jobs; it is reported if it straddles.
      if (openBytes > MAX_STRADDLE) openBytes = -1;
    }
    const keep = PAGE_OPEN.length - 1;
    lastTail = b.length >= keep ? b.slice(b.length - keep) : concat([lastTail, b]).slice(-keep);
  };
  try {
    for (let piece = bz.next(); piece !== null; piece = bz.next()) {
      done.xmlBytes += piece.length;
      done.lines += countLines([piece]);
      if (pending === null) {
        feed(piece);
        track(piece);
        continue;
      }
      const from = Math.max(0, pending.length - PAGE_OPEN.length);
      pending = concat([pending, piece]);
      const p = indexOf(pending, PAGE_OPEN, from);
      if (p < 0) {
        if (pending.length > MAX_STRADDLE) {
          throw new XmlSyntaxError("no page starts in 80 MB of a bzip2 stream", 0, 0);
        }
        continue;
      }
      const head = pending.subarray(0, p);
      if (job.first) {
        done.header = head.slice();
        feed(pending);
      } else {
        if (!isBlank(head, 0, head.length)) done.head = head.slice();
        before = { lines: countLines([head]), bytes: head.length };
        feed(pending.subarray(p));
      }
      track(pending.subarray(p));
      pending = null;
    }
    if (pending !== null) {
      // No page starts in this job: all of it belongs to a page the pool joins.
      done.opens = false;
      done.head = pending;
      return;
    }
    if (job.last) { for (const p of reader.end()) articles.push(chain!(p)); }
    else {
      const page = concat(open);
      const close = lastIndexOf(page, PAGE_CLOSE);
      if (openBytes < 0 && close < 0) {
        throw new XmlSyntaxError("a page of over 80 MB straddles two bzip2 streams", 0, 0);
      }
      if (close < 0) done.tail = page; // unfinished: the pool joins it with the next head
      else {
        const end = close + PAGE_CLOSE.length;
        if (!isBlank(page, end, page.length)) done.tail = page.slice(end);
        for (const p of reader.end()) articles.push(chain!(p));
      }
    }
  } catch (err) {
    // Positions count from the job's start; the pool adds the jobs before it.
    done.error = toWire(
      err instanceof XmlSyntaxError ? err.shifted(before.lines, before.bytes) : err,
    );
  }
}

function runXml(done: Done, job: Extract<WorkerJob, { kind: "xml" }>): void {
  done.lines = countLines([job.bytes]);
  done.xmlBytes = job.bytes.length;
  const [articles, error] = parseFragment(job.header, [job.bytes], job.last, chain!);
  done.articles = articles;
  if (error !== null) done.error = toWire(error);
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    chain = pageChain(msg.init satisfies StageOptions);
    return;
  }
  const done = emptyReply(msg.seq);
  try {
    if (msg.job.kind === "xml") runXml(done, msg.job);
    else runStreams(done, msg.job);
  } catch (err) {
    done.error = toWire(err);
  }
  self.postMessage(done);
};

// Every module above has loaded: the CLI may now give up its read permission.
self.postMessage({ type: "ready" } satisfies ReadyMessage);
