/**
 * Composes the stages: bytes → (bzip2) → pages → cleanup → variant conversion → sink.
 * Building a pipeline creates every stream (and spawns every worker) at once, so that
 * `main.ts` can revoke file permissions right after.
 *
 * @module
 */

import { type Bz2Options, Bzip2DecompressionStream } from "./bz2/mod.ts";
import { PageTokenizerStream } from "./xml/mod.ts";
import { type CleanupOptions, WikitextCleanupStream } from "./wikitext/mod.ts";
import { type ConversionOptions, VariantConversionStream } from "./zhconv/mod.ts";
import { type SinkOptions, SinkStream } from "./sink/mod.ts";
import { ParallelJobStream } from "./_pool.ts";
import { IndexOffsetsStream, MultistreamSplitStream, XmlSplitStream } from "./_multistream.ts";
import type { Article, PageRecord } from "./types.ts";

export interface PipelineOptions {
  /** What the input bytes are: bzip2 (single or multistream) or plain XML. */
  input: "bz2" | "xml";
  /** Threads for the whole job, this one included (see {@link layout}). */
  threads: number;
  /** Stream offsets from a multistream index: jobs are then cut at stream boundaries. */
  streamOffsets?: number[];
  cleanup?: CleanupOptions;
  conversion?: ConversionOptions;
  sink: SinkOptions;
}

/**
 * A composed stream, and a promise that resolves once every worker behind it has
 * loaded its modules (the CLI waits for it before revoking read permission).
 */
export interface Built<T> {
  stream: ReadableStream<T>;
  ready: Promise<void>;
  /**
   * The first error a stage met, or null. Stages report damage here and end their
   * stream cleanly, so that everything before the damage is still written; the
   * caller checks this once the output stream has finished.
   */
  failure: () => unknown;
}

/** Collects the `ready` promises of the stages that run workers, and their first error. */
class Readiness {
  #all: Promise<void>[] = [];
  #failure: { error: unknown } | null = null;
  /** Handed to stages as their `onError`: keeps the first error only. */
  readonly onError = (error: unknown): void => {
    this.#failure ??= { error };
  };
  readonly failure = (): unknown => this.#failure?.error ?? null;
  add<S extends object>(stage: S): S {
    const ready = (stage as { ready?: Promise<void> }).ready;
    if (ready !== undefined) this.#all.push(ready);
    return stage;
  }
  get ready(): Promise<void> {
    return Promise.all(this.#all).then(() => {});
  }
}

function pageStream(
  bytes: ReadableStream<Uint8Array>,
  input: "bz2" | "xml",
  bz2: Bz2Options | undefined,
  r: Readiness,
): ReadableStream<PageRecord> {
  return xmlBytes(bytes, input, bz2, r).pipeThrough(
    new PageTokenizerStream({ onError: r.onError }),
  );
}

/** The dump's XML bytes: decompressed when it is bzip2, ending cleanly on damage. */
function xmlBytes(
  bytes: ReadableStream<Uint8Array>,
  input: "bz2" | "xml",
  bz2: Bz2Options | undefined,
  r: Readiness,
): ReadableStream<Uint8Array> {
  if (input === "xml") return bytes;
  return endCleanly(bytes.pipeThrough(r.add(new Bzip2DecompressionStream(bz2))), r.onError);
}

/**
 * Passes `source` on, but turns its error into `onError` and a normal end: the next
 * stage then finishes what it holds instead of dropping it.
 */
function endCleanly<T>(
  source: ReadableStream<T>,
  onError: (err: unknown) => void,
): ReadableStream<T> {
  const reader = source.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const r = await reader.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (err) {
        onError(err);
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}

/** The dump's pages, whatever their namespace. */
export function pages(
  bytes: ReadableStream<Uint8Array>,
  input: "bz2" | "xml",
  bz2?: Bz2Options,
): Built<PageRecord> {
  const r = new Readiness();
  return { stream: pageStream(bytes, input, bz2, r), ready: r.ready, failure: r.failure };
}

/**
 * How `threads` threads (this one included) share the work. Decoding costs about as
 * much CPU as the page stages together, and handing a page to another thread costs a
 * structured clone each way, so (measured on 2 cores, see the README):
 * - 1: everything on this thread;
 * - 2: one worker decodes blocks (plain XML: none), this thread parses, cleans and
 *   converts. Two page workers measured barely faster on plain XML, at 3.5× the memory.
 *   A multistream index is not used here: cutting whole streams for the decoder measured
 *   the same speed but more CPU and memory (its output buffers are freed on this thread);
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

export function layout(threads: number, input: "bz2" | "xml", hasIndex: boolean): Layout {
  if (threads <= 1) return { decoders: 0, pageWorkers: 0, byStreams: false };
  if (threads === 2) return { decoders: input === "bz2" ? 1 : 0, pageWorkers: 0, byStreams: false };
  if (input === "bz2" && hasIndex) return { decoders: 0, pageWorkers: threads, byStreams: true };
  const decoders = input === "bz2" ? Math.max(1, Math.round(threads * 0.45)) : 0;
  return { decoders, pageWorkers: threads - decoders, byStreams: false };
}

/** Cleaned and converted pages, in dump order, using as many threads as asked. */
function articles(
  bytes: ReadableStream<Uint8Array>,
  o: PipelineOptions,
  r: Readiness,
): ReadableStream<Article> {
  const init = { cleanup: o.cleanup ?? {}, conversion: o.conversion ?? {} };
  const plan = layout(o.threads, o.input, o.streamOffsets !== undefined);
  if (plan.pageWorkers > 0) {
    const pool = { threads: plan.pageWorkers, init, onError: r.onError };
    if (plan.byStreams) {
      // Whole bzip2 streams to each worker: it decodes, parses, cleans and converts.
      return bytes
        .pipeThrough(new MultistreamSplitStream(o.streamOffsets!, r.onError))
        .pipeThrough(r.add(new ParallelJobStream(pool)));
    }
    // Blocks decoded in parallel, then fragments of whole pages to each worker.
    return xmlBytes(bytes, o.input, { threads: plan.decoders }, r)
      .pipeThrough(new XmlSplitStream())
      .pipeThrough(r.add(new ParallelJobStream(pool)));
  }
  return pageStream(bytes, o.input, { threads: plan.decoders }, r)
    .pipeThrough(new WikitextCleanupStream(init.cleanup))
    .pipeThrough(new VariantConversionStream(init.conversion));
}

/** The whole conversion: the main output's bytes. */
export function convert(
  bytes: ReadableStream<Uint8Array>,
  options: PipelineOptions,
): Built<Uint8Array> {
  const r = new Readiness();
  const stream = articles(bytes, options, r).pipeThrough(new SinkStream(options.sink));
  return { stream, ready: r.ready, failure: r.failure };
}

/** The distinct stream offsets of a multistream index (`.txt` or `.txt.bz2`). */
export async function streamOffsets(
  bytes: ReadableStream<Uint8Array>,
  compressed: boolean,
  path: string,
): Promise<number[]> {
  const plain = compressed ? bytes.pipeThrough(new Bzip2DecompressionStream()) : bytes;
  let result: number[] = [];
  for await (
    const offsets of plain.pipeThrough(new TextDecoderStream()).pipeThrough(
      new IndexOffsetsStream(path),
    )
  ) {
    result = offsets;
  }
  return result;
}
