/**
 * `PageTokenizerStream`: the {@link PageReader} in a `TransformStream`, with the
 * "report the error and end cleanly" option the pipeline uses.
 *
 * @module
 */

import type { PageRecord } from "../types.ts";
import { PageReader } from "./_reader.ts";

/** Options of {@link PageTokenizerStream} (the encoding is sniffed from the BOM). */
export interface XmlOptions {
  /**
   * When given, an error is handed to this callback and the stream then closes normally
   * instead of erroring, so that every page before the damage still reaches the sink
   * (an errored stream drops what its queues hold).
   */
  onError?: (err: unknown) => void;
  /** Largest `<text>` kept, in bytes as in the dump (default `MAX_TEXT_BYTES`, 64 MiB). */
  maxTextBytes?: number;
}

/**
 * A `TransformStream` from dump bytes (UTF-8, or UTF-16 with a BOM) to page records.
 * Every page is emitted, whatever its namespace; later stages decide what to keep.
 * Malformed XML errors the stream with an `XmlSyntaxError` giving line, column and byte
 * offset, after the pages complete before the fault.
 */
export class PageTokenizerStream extends TransformStream<Uint8Array, PageRecord> {
  constructor(options: XmlOptions = {}) {
    const reader = new PageReader({ maxTextBytes: options.maxTextBytes });
    const emit = (
      controller: TransformStreamDefaultController<PageRecord>,
      read: () => PageRecord[],
    ) => {
      try {
        for (const page of read()) controller.enqueue(page);
        if (reader.error) throw reader.error;
      } catch (err) {
        if (options.onError === undefined) throw err;
        options.onError(err);
        controller.terminate();
      }
    };
    super({
      transform: (chunk, controller) => emit(controller, () => reader.push(chunk)),
      flush: (controller) => emit(controller, () => reader.end()),
    });
  }
}
