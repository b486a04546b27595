/**
 * Reads a multistream index (`offset:id:title` lines, plain or bzip2): the distinct byte
 * offsets of its streams, which the stream cutter cuts jobs at, and the entries whose
 * titles a caller asks for (conversion groups, found before the first article).
 *
 * @module
 */

import { Bzip2DecompressionStream } from "../bz2/mod.ts";
import { IoError } from "../errors.ts";

const MAX_LINE = 1 << 16;

/** One `offset:id:title` line. */
export interface IndexEntry {
  offset: number;
  id: number;
  title: string;
}

/** What an index says. */
export interface MultistreamIndex {
  /** Distinct stream offsets, ascending. */
  offsets: number[];
  /** Entries whose title `wanted` accepted, in index order. */
  found: IndexEntry[];
  /** Offset of the stream holding the first page after `after`'s id, or null (none, or not asked). */
  resumeOffset: number | null;
}

/**
 * Reads an index's lines. Lines that are not `offset:id:title`, or whose offsets go
 * backwards, are an error naming the line.
 */
export async function readIndex(
  bytes: ReadableStream<Uint8Array>,
  options: {
    path: string;
    compressed: boolean;
    wanted?: (title: string) => boolean;
    /** A page id: find where the pages after it start (dumps list pages by id). */
    after?: number;
  },
): Promise<MultistreamIndex> {
  const { path, wanted, after } = options;
  let resumeOffset: number | null = null;
  const plain = options.compressed ? bytes.pipeThrough(new Bzip2DecompressionStream()) : bytes;
  const offsets: number[] = [];
  const found: IndexEntry[] = [];
  let line = 0;
  let last = -1;
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
    if (wanted !== undefined || (after !== undefined && resumeOffset === null)) {
      const second = s.indexOf(":", colon + 1);
      if (second < 0) return;
      const id = Number(s.slice(colon + 1, second));
      if (after !== undefined && resumeOffset === null && id > after) resumeOffset = n;
      if (wanted === undefined) return;
      const title = s.slice(second + 1);
      if (wanted(title)) found.push({ offset: n, id, title });
    }
  };
  let rest = "";
  for await (const chunk of plain.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    // A real line is a few hundred bytes; a huge one is not an index.
    if (rest.length > MAX_LINE) {
      throw new IoError(`${path}: line ${line + lines.length + 1} is too long`, path);
    }
    for (const l of lines) take(l.endsWith("\r") ? l.slice(0, -1) : l);
  }
  take(rest);
  return { offsets, found, resumeOffset };
}
