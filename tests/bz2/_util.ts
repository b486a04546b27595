/**
 * Shared helpers for the bzip2 tests: fixtures, decoding with chosen chunks,
 * and the block layout of a compressed file.
 * @module
 */

import { type Bz2Options, Bzip2DecompressionStream } from "../../src/bz2/mod.ts";
import { type Marker, scanMagics } from "../../src/bz2/_scan.ts";
import { concat, streamOf } from "../_assert.ts";
import { bzip2, hasBzip2 } from "../_cli.ts";

const FIXTURES = new URL("../fixtures/bz2/", import.meta.url);

export function fixture(name: string): Uint8Array {
  return Deno.readFileSync(new URL(name, FIXTURES));
}

/** What a decode produced before it ended, and how it ended. */
export interface Decoded {
  out: Uint8Array;
  error: unknown;
}

/** Decodes `chunks` (or `data` in one chunk), keeping the output emitted before any error. */
export async function decode(
  data: Uint8Array | Uint8Array[],
  options: Bz2Options = {},
): Promise<Decoded> {
  const chunks = Array.isArray(data) ? data : [data];
  const parts: Uint8Array[] = [];
  let error: unknown = null;
  try {
    for await (const c of streamOf(chunks).pipeThrough(new Bzip2DecompressionStream(options))) {
      parts.push(c);
    }
  } catch (e) {
    error = e;
  }
  return { out: concat(parts), error };
}

/** Decodes and fails on any error. */
export async function decodeOk(
  data: Uint8Array | Uint8Array[],
  options: Bz2Options = {},
): Promise<Uint8Array> {
  const { out, error } = await decode(data, options);
  if (error) throw error;
  return out;
}

/** Real block starts (bit positions) of a single-stream file; false magics excluded by the caller. */
export function magics(data: Uint8Array): Marker[] {
  const found: Marker[] = [];
  scanMagics(data, 0, data.length, 0, found);
  return found;
}

/** Splits into chunks of `size` bytes. */
export function fixedChunks(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

/** Thread settings every behaviour is checked with: calling thread, one worker, two workers. */
export const THREADS = [0, 1, 2];

/** `data` compressed by the `bzip2 -9` command, or null when it is not installed. */
export async function bzip2Cli(data: Uint8Array): Promise<Uint8Array | null> {
  return hasBzip2 ? await bzip2(data, "-9c") : null;
}
