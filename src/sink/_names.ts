/**
 * What OUT's name says about the output (compression, Parquet), the `--shard-size`
 * parser, and the names of shards.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** How the main output (or the redirects file) is compressed. */
export type Compression = "none" | "gzip" | "zstd";

/** The compression OUT's extension asks for: `.gz` gzip, `.zst` zstd, else none. */
export function compressionFor(path: string): Compression {
  const name = path.toLowerCase();
  if (name.endsWith(".gz")) return "gzip";
  if (name.endsWith(".zst")) return "zstd";
  return "none";
}

/** Whether OUT's extension asks for Parquet (`.parquet`). */
export function isParquetPath(path: string): boolean {
  return path.toLowerCase().endsWith(".parquet");
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  k: 1e3,
  m: 1e6,
  g: 1e9,
};

/**
 * A size such as `100KB`, `256MB`, `1.5GB` (powers of 1000, as dataset hubs count) or
 * `64MiB` (powers of 1024), or a plain number of bytes, as an integer number of bytes.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m === null ? undefined : UNITS[m[2].toLowerCase()];
  if (m === null || unit === undefined) {
    throw new UsageError(`invalid size "${text}" (use e.g. 100KB, 256MB, 1GB)`);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) {
    throw new UsageError(`invalid size "${text}": must be at least 1 byte`);
  }
  return bytes;
}

/**
 * The name of shard `n` of `path`: `-00000`, `-00001`, … inserted before the first dot of
 * the file name (`out.jsonl.gz` → `out-00000.jsonl.gz`; a name without a dot gets it at
 * the end). A dot that starts the name (a hidden file) is part of the name.
 */
export function shardName(path: string, n: number): string {
  const slash = path.lastIndexOf("/");
  const dot = path.indexOf(".", slash + 2);
  const at = dot < 0 ? path.length : dot;
  return `${path.slice(0, at)}-${String(n).padStart(5, "0")}${path.slice(at)}`;
}
