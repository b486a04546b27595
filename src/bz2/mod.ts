/**
 * bzip2 stage: parallel decompression as a `{ readable, writable }` pair, a drop-in for
 * `DecompressionStream`, and a plain synchronous reader for bytes already in memory:
 *
 * ```ts
 * const xml = file.readable.pipeThrough(new Bzip2DecompressionStream({ threads: 2 }));
 * for (const r = new Bz2Reader(bytes), piece; (piece = r.next()) !== null;) use(piece);
 * ```
 *
 * How it works: the calling thread scans the compressed input for block and
 * end-of-stream magics (48-bit patterns at any bit position) and hands each
 * span between two magics to a pool of workers. Results are emitted strictly
 * in input order and only after their block CRC matched. A magic can also
 * occur by chance inside compressed data; such a false start is noticed
 * because the real block before it does not end there, and that block is
 * decoded again over a longer span. Streams are checked with their combined
 * CRC; concatenated streams (multistream dumps) are decoded in sequence.
 *
 * Behaviour worth knowing:
 * - Empty input is an error (`empty input: no bzip2 stream`), as for `bzip2 -dc`.
 * - Bytes after the last stream that do not start another stream are an error
 *   (`trailing garbage after the last bzip2 stream`; `bzip2` only warns).
 * - Randomised blocks (written by bzip2 0.9.0 and older, before 1998) are
 *   rejected with a clear error.
 * - A block is assumed to take at most {@link MAX_BLOCK_BYTES} compressed
 *   bytes, which every real encoder respects; this bounds memory on garbage.
 * - Memory is bounded by `maxInFlight` blocks plus a few queued for the reader
 *   (about 130 MB peak RSS with 2 workers on a 200 MB dump, whatever its size);
 *   a block that expands past 4 MB (long runs) is expanded as it is read.
 * - Workers are spawned in the constructor and terminated when the stream ends,
 *   errors, or is cancelled (from either side); then nothing keeps the process alive.
 *
 * @module
 */

export { Bz2FormatError } from "../errors.ts";
export { type Bz2Options, MAX_BLOCK_BYTES } from "./_engine.ts";
export { Bzip2DecompressionStream } from "./_stream.ts";
export { Bz2Reader, type Bz2ReaderOptions, decodeStreams } from "./_reader.ts";
