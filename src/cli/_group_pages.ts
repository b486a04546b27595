/**
 * The conversion pages of a multistream dump: which index titles may hold rules, reading
 * and decoding only the streams that hold them (on the main thread), reading their pages
 * (on the lookup's worker), and the NoteTA redirects among them; `_groups.ts` runs it.
 *
 * @module
 */

import { decodeStreams } from "../bz2/mod.ts";
import { type MultistreamIndex, parseFragment, ROOT_OPEN } from "../parallel/mod.ts";
import type { PageRecord } from "../types.ts";
import { isRulesPageTitle, type RulesFile } from "../zhconv/mod.ts";
import { IoError } from "../errors.ts";
import { ioMessage } from "./_fs.ts";

const TEMPLATE = ["Template:", "模板:", "样板:", "樣板:"];

/**
 * Whether an index title may hold conversion rules: what the variant stage reads (CGroup
 * modules and templates, conversion tables), or a template whose name starts like
 * NoteTA's (its redirects, e.g. `Template:TA`), whose targets are checked once decoded.
 */
export function isConversionTitle(title: string): boolean {
  if (isRulesPageTitle(title)) return true;
  const prefix = TEMPLATE.find((p) => title.startsWith(p));
  return prefix !== undefined && /^(?:[Nn]ote ?TA|TA)(?:$|[ /_-])/.test(title.slice(prefix.length));
}

/**
 * Reads and decodes the streams of `dump` that hold the index entries `isConversionTitle`
 * accepted: one stream's XML pieces at a time, null for a damaged one (the main pass
 * reports it where it lies).
 */
export async function* conversionStreams(
  dump: string,
  index: MultistreamIndex,
): AsyncGenerator<Uint8Array<ArrayBuffer>[] | null> {
  const starts = [...new Set(index.found.map((e) => e.offset))];
  if (starts.length === 0) return;
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
      let xml: Uint8Array<ArrayBuffer>[] | null;
      try {
        xml = decodeStreams(bytes.subarray(0, at), start);
      } catch {
        xml = null;
      }
      yield xml;
    }
  } finally {
    file.close();
  }
}

/** The pages of one stream's XML whose ids are in `ids` (whatever else shares it is dropped). */
export function conversionPages(
  xml: readonly Uint8Array[],
  ids: ReadonlySet<number>,
): PageRecord[] {
  const [pages] = parseFragment(ROOT_OPEN, xml, false, (page) => page);
  return pages.filter((p) => ids.has(p.id));
}

/**
 * The dump's own template names that redirect to NoteTA (`Template:TA` → `Template:NoteTA`),
 * from the pages {@link readConversionPages} found.
 */
export function noteTaAliases(pages: readonly PageRecord[]): string[] {
  const name = (title: string) => {
    const prefix = TEMPLATE.find((p) => title.startsWith(p));
    return prefix === undefined ? null : title.slice(prefix.length);
  };
  const out: string[] = [];
  for (const p of pages) {
    const target = p.redirect === null ? null : name(p.redirect);
    const own = name(p.title);
    if (own !== null && target !== null && /^[Nn]ote ?TA$/.test(target)) out.push(own);
  }
  return out;
}

/**
 * What the lookup's worker is told, in order: the ids of the index entries, then each
 * stream's XML (decoded on the main thread while the worker loads), then the end.
 */
export type GroupsRequest =
  | { type: "ids"; ids: number[] }
  | { type: "stream"; xml: Uint8Array[] }
  | { type: "end"; streams: number };

/** The worker's one answer. */
export type GroupsReply =
  | { type: "done"; rules: RulesFile; aliases: string[]; pages: number; streams: number }
  | { type: "error"; message: string; path: string | null };
