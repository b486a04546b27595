/**
 * A page worker: parses, cleans and converts a fragment of whole pages, or decodes a run
 * of whole bzip2 streams first, so that no page text crosses threads twice.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { Bzip2DecompressionStream } from "../bz2/mod.ts";
import { Bz2FormatError } from "../errors.ts";
import type { Article, PageRecord, ReadyMessage } from "../types.ts";
import { countLines, pageChain, parseFragment, ROOT_OPEN } from "./_chain.ts";
import { indexOf, isBlank, lastIndexOf, PAGE_CLOSE, PAGE_OPEN } from "./_bytes.ts";
import {
  type Job,
  type StageOptions,
  toWire,
  type WorkerReply,
  type WorkerRequest,
} from "./_protocol.ts";

let chain: ((page: PageRecord) => Article) | null = null;

/** Decodes a run of whole bzip2 streams; on damage, returns what was decoded and the error. */
async function decode(bytes: Uint8Array, base: number): Promise<[Uint8Array, unknown]> {
  const chunks: Uint8Array[] = [];
  let error: unknown = null;
  try {
    const input = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    });
    for await (const c of input.pipeThrough(new Bzip2DecompressionStream({ threads: 0 }))) {
      chunks.push(c);
    }
  } catch (err) {
    error = err instanceof Bz2FormatError ? err.shifted(base) : err;
  }
  return [concat(chunks), error];
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) {
    out.set(c, n);
    n += c.length;
  }
  return out;
}

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

async function run(seq: number, job: Job): Promise<Done> {
  const done = emptyReply(seq);

  const finish = async (prefix: Uint8Array | null, xml: Uint8Array, last: boolean) => {
    const [pages, error] = await parseFragment(prefix, [xml], last);
    done.articles = pages.map(chain!);
    if (error !== null && done.error === null) done.error = toWire(error);
  };
  if (job.kind === "xml") {
    done.lines = countLines([job.bytes]);
    done.xmlBytes = job.bytes.length;
    await finish(job.header, job.bytes, job.last);
    return done;
  }
  const [xml, decodeError] = job.bytes.length > 0
    ? await decode(job.bytes, job.base)
    : [new Uint8Array(0), null];
  done.lines = countLines([xml]);
  done.xmlBytes = xml.length;
  // Streams may be cut at any byte (pbzip2): what lies before the first page start and
  // after the last page end belongs to pages that straddle jobs; the pool joins those.
  const open = indexOf(xml, PAGE_OPEN, 0);
  if (open < 0) {
    done.opens = false;
    done.head = xml;
  } else {
    if (job.first) done.header = xml.slice(0, open);
    else if (!isBlank(xml, 0, open)) done.head = xml.slice(0, open);
    // A range cut short by damage ends here: the pages before the cut stand.
    const last = job.last || decodeError !== null;
    let end = xml.length;
    if (!last) {
      const close = lastIndexOf(xml, PAGE_CLOSE);
      end = close > open ? close + PAGE_CLOSE.length : open;
      if (!isBlank(xml, end, xml.length)) done.tail = xml.slice(end);
    }
    if (end > open || last) {
      await finish(job.first ? null : ROOT_OPEN, xml.subarray(job.first ? 0 : open, end), last);
    }
  }
  // A decoding error explains any syntax error after it.
  if (decodeError !== null) done.error = toWire(decodeError);
  return done;
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    chain = pageChain(msg.init satisfies StageOptions);
    return;
  }
  let reply: Done;
  try {
    reply = await run(msg.seq, msg.job);
  } catch (err) {
    reply = { ...emptyReply(msg.seq), error: toWire(err) };
  }
  self.postMessage(reply);
};

// Every module above has loaded: the CLI may now give up its read permission.
self.postMessage({ type: "ready" } satisfies ReadyMessage);
