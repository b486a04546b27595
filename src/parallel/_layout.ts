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
 *   converts. Two page workers measured barely faster on plain XML, at 3.5× the memory.
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

/**
 * Most threads a run may use. Each page worker holds its own V8 heap and tables (about
 * 100–150 MB), so this keeps a mistyped `--threads` from exhausting memory.
 */
export const MAX_THREADS = 64;

/** Default thread count: every core, within {@link MAX_THREADS}. */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

export function layout(threads: number, input: "bz2" | "xml", hasIndex: boolean): Layout {
  if (threads <= 1) return { decoders: 0, pageWorkers: 0, byStreams: false };
  if (threads === 2) return { decoders: input === "bz2" ? 1 : 0, pageWorkers: 0, byStreams: false };
  if (input === "bz2" && hasIndex) return { decoders: 0, pageWorkers: threads, byStreams: true };
  const decoders = input === "bz2" ? Math.max(1, Math.round(threads * 0.45)) : 0;
  return { decoders, pageWorkers: threads - decoders, byStreams: false };
}
