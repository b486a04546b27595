/**
 * The codecs: gzip with the Web `CompressionStream`, zstd with the zstd that Deno's
 * `node:zlib` carries (built in: no npm package, no native addon).
 *
 * @module
 */

import { createZstdCompress, zstdCompressSync } from "node:zlib";

/** A stream that compresses its input into one complete gzip member or zstd frame. */
export function compressStream(kind: "gzip" | "zstd"): TransformStream<Uint8Array, Uint8Array> {
  if (kind === "gzip") {
    return new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;
  }
  return zstdStream();
}

/** One-shot zstd (level 3), for Parquet pages. */
export function zstdBytes(bytes: Uint8Array): Uint8Array {
  const out = zstdCompressSync(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function zstdStream(): TransformStream<Uint8Array, Uint8Array> {
  const z = createZstdCompress();
  let failure: Error | null = null;
  z.on("error", (err: Error) => (failure = err));
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      z.on("data", (c: Uint8Array) => {
        controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
      });
    },
    transform(chunk) {
      return new Promise<void>((resolve, reject) => {
        z.write(chunk, (err?: Error | null) => (err ? reject(err) : resolve()));
      });
    },
    flush() {
      return new Promise<void>((resolve, reject) => {
        if (failure !== null) return reject(failure);
        z.once("end", () => resolve());
        z.once("error", reject);
        z.end();
        z.resume();
      });
    },
  });
}
