/**
 * A pool worker (see `_pool.ts`): cleans and converts batches of pages, or, for
 * multistream dumps, decodes a run of whole bzip2 streams and does everything else
 * too, so that no page text crosses threads twice.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { Bzip2DecompressionStream } from "./bz2/mod.ts";
import { PageTokenizerStream } from "./xml/mod.ts";
import { cleanPage } from "./wikitext/mod.ts";
import { createPageConverter, type PageConverter } from "./zhconv/mod.ts";
import { Bz2FormatError, XmlSyntaxError } from "./errors.ts";
import {
  type Job,
  toWire,
  type WireError,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
} from "./_pool.ts";
import type { Article, PageRecord } from "./types.ts";

let init: WorkerInit | null = null;
let converter: PageConverter | null = null;

function process(pages: PageRecord[]): Article[] {
  const out: Article[] = new Array(pages.length);
  for (let i = 0; i < pages.length; i++) {
    out[i] = converter!.convertPage(cleanPage(pages[i], init!.cleanup));
  }
  return out;
}

const enc = new TextEncoder();
const OPEN = enc.encode("<mediawiki>");
const CLOSE = enc.encode("</mediawiki>");

/** Decodes a run of whole bzip2 streams; on damage, returns what was decoded and the error. */
async function decode(bytes: Uint8Array, base: number): Promise<[Uint8Array[], unknown]> {
  const chunks: Uint8Array[] = [];
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
    return [chunks, null];
  } catch (err) {
    if (err instanceof Bz2FormatError) {
      return [chunks, new Bz2FormatError(err.message, err.byteOffset + base, err.block)];
    }
    return [chunks, err];
  }
}

function countLines(chunks: Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Parses a fragment of the dump: `prefix` (a header or a bare root tag) + `chunks`, closed
 * with `</mediawiki>` unless the fragment ends the dump. Error lines count from the
 * fragment's own start; the pool adds the lines before it.
 */
async function parse(
  prefix: Uint8Array | null,
  chunks: Uint8Array[],
  last: boolean,
  lenient: boolean,
): Promise<[PageRecord[], unknown]> {
  const parts = [...(prefix ? [prefix] : []), ...chunks, ...(last ? [] : [CLOSE])];
  const pages: PageRecord[] = [];
  let error: unknown = null;
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
  // onError: the pages before a syntax error are kept (an errored stream would drop some).
  const tokenizer = new PageTokenizerStream({ onError: (err) => (error ??= err) });
  for await (const p of input.pipeThrough(tokenizer)) pages.push(p);
  if (error instanceof XmlSyntaxError && prefix !== null) error.line -= countLines([prefix]);
  // After a decoding error the fragment is cut short: the pages before the cut stand.
  return [pages, lenient ? null : error];
}

async function run(job: Job): Promise<[Article[], unknown, number]> {
  if (job.kind === "xml") {
    const [pages, error] = await parse(job.header, [job.bytes], job.last, false);
    return [process(pages), error, countLines([job.bytes])];
  }
  const [chunks, decodeError] = job.bytes.length > 0
    ? await decode(job.bytes, job.base)
    : [[], null];
  const prefix = job.first ? null : OPEN;
  const [pages, parseError] = await parse(prefix, chunks, job.last, decodeError !== null);
  return [process(pages), decodeError ?? parseError, countLines(chunks)];
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    init = msg.init;
    converter = createPageConverter(msg.init.conversion);
    return;
  }
  const { seq, job } = msg;
  let reply: WorkerReply;
  try {
    const [articles, error, lines] = await run(job);
    reply = { type: "done", seq, articles, error: error === null ? null : toWire(error), lines };
  } catch (err) {
    reply = { type: "done", seq, articles: [], error: toWire(err) as WireError, lines: 0 };
  }
  self.postMessage(reply);
};

// Every module above has loaded: tell the pool it may let the CLI drop read permission.
self.postMessage({ type: "ready" } satisfies WorkerReply);
