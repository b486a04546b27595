/**
 * Composes the stages: bytes → (bzip2) → pages → cleanup → variant conversion → sink,
 * on this thread or across workers as `parallel/` plans. Building a pipeline creates every
 * stream (and spawns every worker) at once, so that the CLI can revoke permissions right after.
 *
 * @module
 */

import { Bzip2DecompressionStream } from "./bz2/mod.ts";
import { PageTokenizerStream } from "./xml/mod.ts";
import { ArticleSink, type ArticleSinkOptions, type SinkCheckpoint } from "./sink/mod.ts";
import {
  BalancedChainStream,
  layout,
  PageBytesChainStream,
  PageCutterStream,
  PageJobStream,
  ROOT_OPEN,
  type StageOptions,
  StreamCutterStream,
} from "./parallel/mod.ts";
import type { OnError } from "./errors.ts";
import type { Article, PageRecord } from "./types.ts";

export interface PipelineOptions {
  /** What the input bytes are: bzip2 (single or multistream) or plain XML. */
  input: "bz2" | "xml";
  /** Threads for the whole job, this one included (see `parallel/`'s `layout`). */
  threads: number;
  /** Stream offsets from a multistream index: jobs may then be cut at stream boundaries. */
  streamOffsets?: number[];
  /**
   * Where in the dump file the bytes start: a resumed run skips the whole bzip2 streams it
   * already wrote (their pages' XML then lacks the dump's header). Default 0.
   */
  startOffset?: number;
  stages: StageOptions;
  sink: ArticleSinkOptions;
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
  readonly onError: OnError = (error: unknown): void => {
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

/** The dump's XML bytes: decompressed when it is bzip2, ending cleanly on damage. */
function xmlBytes(
  bytes: ReadableStream<Uint8Array>,
  input: "bz2" | "xml",
  decoders: number,
  r: Readiness,
  midDump = false,
): ReadableStream<Uint8Array> {
  if (input === "xml") return bytes;
  const bz2 = r.add(new Bzip2DecompressionStream({ threads: decoders }));
  const xml = endCleanly(bytes.pipeThrough(bz2), r.onError);
  return midDump ? xml.pipeThrough(prefixed(ROOT_OPEN)) : xml;
}

/** Passes bytes on after `head`: pages from the middle of a dump, given a root to stand in. */
function prefixed(head: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({ start: (c) => c.enqueue(head.slice()) });
}

/**
 * Passes `source` on, but turns its error into `onError` and a normal end: the next
 * stage then finishes what it holds instead of dropping it.
 */
function endCleanly<T>(source: ReadableStream<T>, onError: OnError): ReadableStream<T> {
  const reader = source.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const r = await reader.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (err) {
        onError?.(err);
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}

function pageStream(
  bytes: ReadableStream<Uint8Array>,
  input: "bz2" | "xml",
  decoders: number,
  r: Readiness,
  midDump = false,
): ReadableStream<PageRecord> {
  return xmlBytes(bytes, input, decoders, r, midDump).pipeThrough(
    new PageTokenizerStream({ onError: r.onError }),
  );
}

/** The dump's pages, whatever their namespace, on this thread (for `wikizh rules`). */
export function pages(bytes: ReadableStream<Uint8Array>, input: "bz2" | "xml"): Built<PageRecord> {
  const r = new Readiness();
  return { stream: pageStream(bytes, input, 0, r), ready: r.ready, failure: r.failure };
}

/** Cleaned and converted pages, in dump order, using as many threads as asked. */
function articles(
  bytes: ReadableStream<Uint8Array>,
  o: PipelineOptions,
  r: Readiness,
): ReadableStream<Article> {
  const plan = layout(o.threads, o.input, o.streamOffsets !== undefined);
  const from = o.startOffset ?? 0;
  // Two threads: the decoding worker also reads pages whenever this thread is behind.
  if (plan.pageWorkers === 0 && plan.decoders === 1 && o.input === "bz2") {
    const shared = r.add(
      new BalancedChainStream({
        stages: o.stages,
        onError: r.onError,
        prefix: from > 0 ? ROOT_OPEN.slice() : null,
      }),
    );
    return bytes.pipeThrough(shared);
  }
  if (plan.pageWorkers === 0) {
    return xmlBytes(bytes, o.input, plan.decoders, r, from > 0).pipeThrough(
      new PageBytesChainStream(o.stages, r.onError),
    );
  }
  const pool = r.add(
    new PageJobStream({ threads: plan.pageWorkers, init: o.stages, onError: r.onError }),
  );
  // Whole bzip2 streams to each worker: it decodes, parses, cleans and converts.
  if (plan.byStreams) {
    const offsets = o.streamOffsets!.filter((x) => x >= from);
    return bytes.pipeThrough(new StreamCutterStream(offsets, r.onError, undefined, from))
      .pipeThrough(pool);
  }
  // Blocks decoded in parallel, then fragments of whole pages to each worker.
  return xmlBytes(bytes, o.input, plan.decoders, r, from > 0)
    .pipeThrough(new PageCutterStream())
    .pipeThrough(pool);
}

/** The whole conversion: the sink writes the outputs and says where it stands. */
export function convert(
  bytes: ReadableStream<Uint8Array>,
  options: PipelineOptions,
): Built<SinkCheckpoint> {
  const r = new Readiness();
  const stream = articles(bytes, options, r).pipeThrough(r.add(new ArticleSink(options.sink)));
  return { stream, ready: r.ready, failure: r.failure };
}
