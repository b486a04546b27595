/**
 * XML stage: turns the bytes of a MediaWiki XML dump into one `PageRecord` per `<page>`,
 * as a stream or, for bytes already in memory, with a plain synchronous reader:
 *
 * ```ts
 * const pages = xmlBytes.pipeThrough(new PageTokenizerStream({ onError }));
 * const reader = new PageReader({ baseOffset, baseLine, startInRoot: true, endInRoot: true });
 * const got = [...reader.push(bytes), ...reader.end()];
 * ```
 *
 * Both scan bytes for `<page>` records (no general XML parser) and decode each field a
 * record needs once, straight from the input. Errors are `XmlSyntaxError`s with the
 * fault's line, column and byte offset; memory stays bounded whatever the input (see
 * {@link MAX_TEXT_BYTES}).
 *
 * @module
 */

export {
  MAX_TEXT_BYTES,
  newlines,
  PageReader,
  type PageReaderOptions,
  type Span,
  spanOf,
} from "./_reader.ts";
export { PageTokenizerStream, type XmlOptions } from "./_stream.ts";
