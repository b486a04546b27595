/**
 * The page stages as one function (cleanup, then conversion), and XML fragments parsed
 * into pages: defined once here for this thread and the page workers alike.
 *
 * @module
 */

import { newlines, PageReader } from "../xml/mod.ts";
import { cleanPage } from "../wikitext/mod.ts";
import { createPageConverter } from "../zhconv/mod.ts";
import { XmlSyntaxError } from "../errors.ts";
import type { Article, PageRecord } from "../types.ts";
import type { StageOptions } from "./_protocol.ts";

/** A page → its article, with the tables built once (on the first call). */
export function pageChain(options: StageOptions): (page: PageRecord) => Article {
  let convert: ((page: ReturnType<typeof cleanPage>) => Article) | null = null;
  const skip = options.skipThrough ?? -Infinity;
  return (page) => {
    if (page.id <= skip) return written(page);
    convert ??= createPageConverter(options.conversion).convertPage;
    return convert(cleanPage(page, options.cleanup));
  };
}

/**
 * Dump bytes → articles on this thread: the page reader and the page stages in one
 * `TransformStream`, which saves a stream hop per page (real dumps average a few KB a
 * page, so per-page overhead counts). Reading errors go to `onError` and end the stream
 * cleanly after the pages before them, as `PageTokenizerStream` does.
 */
export class PageBytesChainStream extends TransformStream<Uint8Array, Article> {
  constructor(options: StageOptions, onError?: (err: unknown) => void) {
    const chain = pageChain(options);
    const reader = new PageReader({});
    const emit = (
      controller: TransformStreamDefaultController<Article>,
      read: () => PageRecord[],
    ) => {
      let pages: PageRecord[] = [];
      let error: unknown = null;
      try {
        pages = read();
        error = reader.error;
      } catch (err) {
        error = err;
      }
      for (const page of pages) controller.enqueue(chain(page));
      if (error === null) return;
      if (onError === undefined) throw error;
      onError(error);
      controller.terminate();
    };
    super({
      transform: (chunk, controller) => emit(controller, () => reader.push(chunk)),
      flush: (controller) => emit(controller, () => reader.end()),
    });
  }
}

const enc = new TextEncoder();
/** Opens the root element for a fragment that does not start the dump. */
export const ROOT_OPEN: Uint8Array = enc.encode("<mediawiki>");

/** Newlines in `chunks`. */
export function countLines(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += newlines(c);
  return n;
}

/**
 * Most bytes of XML read at once: the pages of a piece wait, in the young generation, until
 * they are taken, so fragments of 1 MB and more kept several MB alive through each scavenge.
 */
export const READ_PIECE = 256 << 10;

/** Feeds `bytes` to `reader` in pieces of at most {@link READ_PIECE}, each piece's pages to `take`. */
export function pushInPieces(
  reader: PageReader,
  bytes: Uint8Array,
  take: (pages: PageRecord[]) => void,
): void {
  for (let at = 0; at < bytes.length; at += READ_PIECE) {
    take(reader.push(bytes.subarray(at, at + READ_PIECE)));
  }
}

/**
 * Parses a fragment of the dump: `prefix` (the dump's header, or null when `chunks` start
 * it) and `chunks`, which end the dump if `last`, else inside its root. Returns each page
 * before any syntax error through `each` (as soon as its piece of at most
 * {@link READ_PIECE} is read), and the error, its position counted from the start of
 * `chunks`.
 */
export function parseFragment<T>(
  prefix: Uint8Array | null,
  chunks: readonly Uint8Array[],
  last: boolean,
  each: (page: PageRecord) => T,
): [T[], unknown] {
  const reader = new PageReader({ endInRoot: !last });
  const out: T[] = [];
  // A push that meets damage returns the pages before it and sets `error`.
  const take = (got: PageRecord[]) => {
    for (const p of got) out.push(each(p));
    if (reader.error !== null) throw reader.error;
  };
  try {
    if (prefix !== null) take(reader.push(prefix));
    for (const c of chunks) pushInPieces(reader, c, take);
    take(reader.end());
  } catch (error) {
    const shifted = error instanceof XmlSyntaxError && prefix !== null
      ? error.shifted(-countLines([prefix]), -prefix.length)
      : error;
    return [out, shifted];
  }
  return [out, null];
}

/** A page an earlier run wrote: enough for the sink to know it and pass it by. */
function written(page: PageRecord): Article {
  return {
    id: page.id,
    ns: page.ns,
    title: page.title,
    status: "namespace",
    redirect: null,
    text: "",
    categories: [],
    unknownTemplates: [],
    unresolvedGroups: [],
  };
}
