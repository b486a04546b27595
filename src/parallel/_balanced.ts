/**
 * The two-thread layout: bzip2 bytes in, articles out. One worker decodes and cuts the XML
 * at page ends (`_decode_worker.ts`); this thread reads pages, cleans and converts them.
 * When this thread falls behind, the worker reads the next fragments' pages too, so the
 * split of the work follows the content (zhwiki's long articles, or cheap foreign pages).
 *
 * @module
 */

import { PageReader } from "../xml/mod.ts";
import type { OnError } from "../errors.ts";
import type { Article, PageRecord, ReadyMessage } from "../types.ts";
import { pageChain } from "./_chain.ts";
import {
  type DecodeReply,
  type DecodeRequest,
  fromWire,
  type ScanMode,
  type StageOptions,
} from "./_protocol.ts";

/**
 * Compressed bytes handed to the worker and not yet taken in by its decoder: enough for
 * several blocks, so that it never waits for this thread (busy with pages) to send more.
 */
const INPUT_IN_FLIGHT = 2 << 20;

/** Options of {@link BalancedChainStream}. */
export interface BalancedOptions {
  stages: StageOptions;
  /** Where damage goes (the stream then ends cleanly after the pages before it). */
  onError?: OnError;
  /** XML to put before the decoded bytes (a resumed run's stand-in root element). */
  prefix?: Uint8Array | null;
  /** Who reads pages (default "auto": by the backlog). */
  scan?: ScanMode;
  /** Size the worker cuts its fragments to, at page ends (default 256 KB; tests). */
  fragmentBytes?: number;
}

/**
 * bzip2 bytes → articles on this thread and one worker, the work shared by backlog (see
 * the module doc). Output and errors are those of decoding, reading and the page stages
 * run in one thread, whichever thread read each page.
 */
export class BalancedChainStream {
  readonly writable: WritableStream<Uint8Array>;
  readonly readable: ReadableStream<Article>;
  /** Resolves once the worker has loaded its modules (before read permission is dropped). */
  readonly ready: Promise<void>;
  #there = 0;
  #fragments = 0;
  /** Pages the worker read so far (the rest were read on this thread). */
  get pagesReadThere(): number {
    return this.#there;
  }
  /** Fragments (of XML, or of pages the worker read) taken so far. */
  get fragments(): number {
    return this.#fragments;
  }

  /** Spawns the worker now: one created after the CLI drops read permission cannot load. */
  constructor(options: BalancedOptions) {
    const chain = pageChain(options.stages);
    const reader = new PageReader({});
    const replies: DecodeReply[] = [];
    let credit = INPUT_IN_FLIGHT;
    let failure: Error | null = null;
    let closed = false;
    /** Articles passed on. */
    let enqueued = 0;
    let wakeReader: (() => void) | null = null;
    let wakeWriter: (() => void) | null = null;
    const wake = () => {
      const r = wakeReader;
      const w = wakeWriter;
      wakeReader = wakeWriter = null;
      r?.();
      w?.();
    };
    /**
     * Input buffers the worker gave back. Buffers allocated on one thread and freed on
     * another grow the allocator's per-thread arenas, so they go round instead.
     */
    const spare: ArrayBuffer[] = [];
    const inputBuffer = (n: number): ArrayBuffer => {
      for (let b = spare.pop(); b !== undefined; b = spare.pop()) if (b.byteLength >= n) return b;
      return new ArrayBuffer(Math.max(n, 1 << 16));
    };
    const loaded = Promise.withResolvers<void>();
    this.ready = loaded.promise;

    const worker = new Worker(new URL("./_decode_worker.ts", import.meta.url).href, {
      type: "module",
    });
    const send = (m: DecodeRequest, transfer: Transferable[] = []) => {
      if (!closed) worker.postMessage(m, transfer);
    };
    const stop = () => {
      if (closed) return;
      closed = true;
      worker.terminate();
      wake();
    };
    worker.onmessage = (e: MessageEvent<DecodeReply | ReadyMessage>) => {
      const m = e.data;
      if (m.type === "ready") loaded.resolve();
      else if (m.type === "fed") {
        credit += m.bytes;
        for (const b of m.buffers) if (spare.length < 64) spare.push(b);
      } else replies.push(m);
      wake();
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      failure ??= new Error(`decoding worker failed: ${e.message}`);
      loaded.resolve();
      wake();
    };
    const taken = new Int32Array(new SharedArrayBuffer(4));
    send({
      type: "init",
      scan: options.scan ?? "auto",
      fragmentBytes: options.fragmentBytes ?? null,
      prefix: options.prefix ?? null,
      taken: taken.buffer as SharedArrayBuffer,
    });
    /** A message is done with; an `xml` message's buffer goes back for reuse. */
    const took = (buffer?: ArrayBuffer) => {
      Atomics.add(taken, 0, 1);
      if (buffer === undefined) send({ type: "took" });
      else send({ type: "took", buffer }, [buffer]);
    };

    const onError = options.onError;
    type Controller = ReadableStreamDefaultController<Article>;
    /** Ends the output after the pages before `error`, as the one-thread chain does. */
    const fail = (c: Controller, error: unknown) => {
      stop();
      if (onError === undefined) c.error(error);
      else {
        onError(error);
        c.close();
      }
    };
    /** Passes pages on; false (and the output ended) once reading met damage. */
    const emit = (c: Controller, read: () => PageRecord[], error: unknown = null): boolean => {
      let pages: PageRecord[] = [];
      try {
        pages = read();
        error ??= reader.error;
      } catch (err) {
        error ??= err;
      }
      for (const page of pages) c.enqueue(chain(page));
      enqueued += pages.length;
      if (error === null) return true;
      fail(c, error);
      return false;
    };

    this.writable = new WritableStream<Uint8Array>({
      write: async (chunk) => {
        while (credit <= 0 && failure === null && !closed) {
          await new Promise<void>((r) => (wakeWriter = r));
        }
        // Once the output has ended (damage, or cancelled), the input is not wanted.
        if (failure !== null) throw failure;
        if (closed) throw new Error("bzip2 input no longer read");
        credit -= chunk.length;
        const copy = new Uint8Array(inputBuffer(chunk.length), 0, chunk.length);
        copy.set(chunk);
        send({ type: "input", bytes: copy }, [copy.buffer]);
      },
      close: () => send({ type: "end" }),
      abort: () => stop(),
    });

    /** Handles one of the worker's messages. */
    const take = (c: Controller, m: DecodeReply) => {
      if (m.type === "xml" || m.type === "pages") this.#fragments++;
      if (m.type === "xml") {
        if (emit(c, () => reader.push(m.bytes))) took(m.bytes.buffer as ArrayBuffer);
      } else if (m.type === "pages") {
        reader.skip(m.span);
        const error = m.error === null ? null : fromWire(m.error);
        this.#there += m.pages.length;
        if (emit(c, () => m.pages, error)) took();
      } else if (m.type === "error") {
        // What was decoded before the damage is read to its end; the damage is the error.
        emit(c, () => reader.end(), fromWire(m.error));
      } else if (m.type === "end" && emit(c, () => reader.end())) {
        stop();
        c.close();
      }
    };

    this.readable = new ReadableStream<Article>({
      // A pull must enqueue or end: the stream does not call it again for a read it left
      // waiting (a fragment may complete no page).
      pull: async (c) => {
        // `closed`: the output has ended (the worker stops with it) or was cancelled.
        for (const before = enqueued; enqueued === before && !closed;) {
          while (replies.length === 0 && failure === null && !closed) {
            await new Promise<void>((r) => (wakeReader = r));
          }
          const m = replies.shift();
          if (m === undefined) {
            fail(c, failure ?? new Error("decoding worker stopped"));
            return;
          }
          take(c, m);
        }
      },
      cancel: () => stop(),
    }, { highWaterMark: 0 });
  }
}
