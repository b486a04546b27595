/**
 * How `--threads N` (this thread included) shares the work: which workers decode, which
 * take pages, and whether a multistream index cuts the input into whole-stream jobs.
 *
 * @module
 */

/**
 * The plan for one run. Decoding costs about as much CPU as the page stages together,
 * and handing a page to another thread costs a structured clone each way, so (measured on
 * 2 cores, see the README):
 * - 1: everything on this thread;
 * - 2: one worker decodes blocks (plain XML: none), this thread parses, cleans and
 *   converts; whenever this thread is behind, the worker also reads the next fragment's
 *   pages (`_balanced.ts`), so the split follows the content. Two page workers measured
 *   barely faster on plain XML, at 3.5× the memory.
 *   A multistream index is not used to cut jobs here: cutting whole streams for the
 *   decoder measured the same speed with more CPU and memory;
 * - 3 or more: with an index, every worker takes whole streams and does everything;
 *   without one, about half the threads decode and the rest take fragments of pages.
 */
export interface Layout {
  /** Workers decoding bzip2 blocks (0: on this thread, or inside the page workers). */
  decoders: number;
  /** Workers taking whole jobs of pages (0: the page stages run on this thread). */
  pageWorkers: number;
  /** Whether the index cuts the input into jobs of whole bzip2 streams for the page workers. */
  byStreams: boolean;
}

/** Most threads a run may use on any machine. */
export const MAX_THREADS = 64;

/**
 * Most threads a run may use here: 4 per core (at least 4, at most {@link MAX_THREADS}).
 * Each page worker holds its own V8 heap and tables (about 100–150 MB), so this keeps a
 * mistyped `--threads` from exhausting memory; more threads than cores never helps.
 */
export function threadLimit(cores: number): number {
  return Math.min(MAX_THREADS, Math.max(4, 4 * cores));
}

/** Default thread count: every core, within {@link threadLimit}. */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.min(threadLimit(cores), cores));
}

/** XML a page job holds, about: 2 MB fragments, or 256 KB of bzip2 streams. */
const JOB_XML_BYTES = 1 << 20;

/**
 * Threads worth starting for an input of about `xmlBytes` of XML (0: unknown, as for
 * stdin): no more page workers than it has jobs, so a small file never starts 64 heaps.
 */
export function usefulThreads(threads: number, xmlBytes: number): number {
  if (xmlBytes <= 0) return threads;
  return Math.min(threads, 2 + Math.ceil(xmlBytes / JOB_XML_BYTES));
}

export function layout(threads: number, input: "bz2" | "xml", hasIndex: boolean): Layout {
  if (threads <= 1) return { decoders: 0, pageWorkers: 0, byStreams: false };
  if (threads === 2) return { decoders: input === "bz2" ? 1 : 0, pageWorkers: 0, byStreams: false };
  if (input === "bz2" && hasIndex) return { decoders: 0, pageWorkers: threads, byStreams: true };
  const decoders = input === "bz2" ? Math.max(1, Math.round(threads * 0.45)) : 0;
  return { decoders, pageWorkers: threads - decoders, byStreams: false };
}
