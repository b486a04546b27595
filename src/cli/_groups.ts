/**
 * Conversion groups with no second pass: in a multistream dump, the index names the
 * streams that hold `Module:CGroup/*`, `Template:CGroup/*`, `MediaWiki:Conversiontable/*`
 * and NoteTA's redirects; only those streams are read and decoded, before the first article.
 *
 * @module
 */

import { Bzip2DecompressionStream } from "../bz2/mod.ts";
import { type MultistreamIndex, parseFragment } from "../parallel/mod.ts";
import type { PageRecord } from "../types.ts";
import { IoError } from "../errors.ts";
import { ioMessage } from "./_fs.ts";

/** Namespace prefixes as zhwiki and its dumps spell them (canonical and local names). */
const MODULE = ["Module:", "模块:", "模組:"];
const TEMPLATE = ["Template:", "模板:", "样板:", "樣板:"];
const MEDIAWIKI = ["MediaWiki:"];

function after(title: string, prefixes: string[]): string | null {
  for (const p of prefixes) if (title.startsWith(p)) return title.slice(p.length);
  return null;
}

/**
 * Whether an index title may hold conversion rules: a CGroup module or template, a
 * conversion table, or a template whose name starts like NoteTA's (its redirects, e.g.
 * `Template:TA`, `Template:NoteTA-lang`), whose targets are checked once decoded.
 */
export function isConversionTitle(title: string): boolean {
  const mod = after(title, MODULE);
  if (mod !== null) return mod.startsWith("CGroup/");
  if (after(title, MEDIAWIKI)?.startsWith("Conversiontable/")) return true;
  const tpl = after(title, TEMPLATE);
  if (tpl === null) return false;
  return tpl.startsWith("CGroup/") || /^(?:[Nn]ote ?TA|TA)(?:$|[ /_-])/.test(tpl);
}

/** What the lookup found and cost. */
export interface GroupPages {
  pages: PageRecord[];
  /** bzip2 streams read, and their compressed bytes. */
  streams: number;
  bytes: number;
}

/**
 * Reads and decodes the streams of `dump` that hold the index entries `isConversionTitle`
 * accepted, and returns those pages (whatever else shares their streams is dropped).
 */
export async function readConversionPages(
  dump: string,
  index: MultistreamIndex,
): Promise<GroupPages> {
  const ids = new Set(index.found.map((e) => e.id));
  const starts = [...new Set(index.found.map((e) => e.offset))];
  const result: GroupPages = { pages: [], streams: 0, bytes: 0 };
  if (starts.length === 0) return result;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(dump, { read: true });
  } catch (err) {
    throw new IoError(ioMessage(dump, err, "read"), dump);
  }
  try {
    const size = (await file.stat()).size;
    const offsets = index.offsets;
    let k = 0;
    for (const start of starts) {
      while (k < offsets.length && offsets[k] <= start) k++;
      const end = k < offsets.length ? offsets[k] : size;
      const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      await file.seek(start, Deno.SeekMode.Start);
      let at = 0;
      while (at < bytes.length) {
        const n = await file.read(bytes.subarray(at));
        if (n === null) break;
        at += n;
      }
      result.streams++;
      result.bytes += at;
      const xml = await decodeAll(bytes.subarray(0, at));
      if (xml === null) continue; // damaged: the main pass reports it where it lies
      const [pages] = await parseFragment(ROOT, [xml], false);
      for (const p of pages) if (ids.has(p.id)) result.pages.push(p);
    }
  } finally {
    file.close();
  }
  return result;
}

const ROOT = new TextEncoder().encode("<mediawiki>");

async function decodeAll(bytes: Uint8Array): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  try {
    const src = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    });
    for await (const c of src.pipeThrough(new Bzip2DecompressionStream({ threads: 0 }))) {
      parts.push(c);
    }
  } catch {
    return null;
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}
