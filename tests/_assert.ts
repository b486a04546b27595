/**
 * Tiny assertion and stream helpers for tests (jsr:@std/assert cannot be installed here).
 * @module
 */

export class AssertionError extends Error {}

export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : Deno.inspect(v, { depth: 8 });
}

/** Deep equality through JSON-like structures, Uint8Arrays, Maps and Sets. */
function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && equal(v, b.get(k)));
  }
  if (a instanceof Set && b instanceof Set) {
    return a.size === b.size && [...a].every((v) => b.has(v));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/** For long strings, points at the first difference instead of dumping both. */
function firstDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `first difference at ${i}:\n  actual:   ${show(a.slice(from, i + 60))}\n` +
    `  expected: ${show(b.slice(from, i + 60))}`;
}

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (equal(actual, expected)) return;
  const detail = typeof actual === "string" && typeof expected === "string"
    ? firstDiff(actual, expected)
    : `actual:   ${show(actual)}\nexpected: ${show(expected)}`;
  throw new AssertionError(`${msg ? msg + "\n" : ""}${detail}`);
}

export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  if (equal(actual, expected)) {
    throw new AssertionError(msg ?? `expected a value other than ${show(expected)}`);
  }
}

export function assertMatch(actual: string, re: RegExp, msg?: string): void {
  if (!re.test(actual)) throw new AssertionError(msg ?? `${show(actual)} does not match ${re}`);
}

export function assertStringIncludes(actual: string, part: string, msg?: string): void {
  if (!actual.includes(part)) {
    throw new AssertionError(
      msg ?? `${show(actual.slice(0, 2000))} does not include ${show(part)}`,
    );
  }
}

/** Asserts that `fn` throws (or rejects with) an instance of `cls`; returns the error. */
export async function assertRejects<E extends Error>(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => E,
  includes?: string,
): Promise<E> {
  let err: unknown = null;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  if (err === null) throw new AssertionError(`expected ${cls.name} to be thrown`);
  if (!(err instanceof cls)) {
    throw new AssertionError(`expected ${cls.name}, got ${show(err)}`);
  }
  if (includes !== undefined && !err.message.includes(includes)) {
    throw new AssertionError(
      `error message ${show(err.message)} does not include ${show(includes)}`,
    );
  }
  return err;
}

/** Ways to cut input into chunks: every stream must give the same output for all of them. */
export type Chunking = "whole" | "bytes1" | "random" | "empty";
export const CHUNKINGS: Chunking[] = ["whole", "bytes1", "random", "empty"];

/** A deterministic PRNG (mulberry32) so random splits are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `data` per `how`; "empty" interleaves zero-length chunks with random splits. */
export function chunk(data: Uint8Array, how: Chunking, seed = 1): Uint8Array[] {
  if (how === "whole") return [data];
  if (how === "bytes1") {
    const out: Uint8Array[] = [];
    for (let i = 0; i < data.length; i++) out.push(data.subarray(i, i + 1));
    return out;
  }
  const next = rng(seed);
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < data.length) {
    if (how === "empty") out.push(new Uint8Array(0));
    const n = 1 + Math.floor(next() * 4096);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  if (how === "empty") out.push(new Uint8Array(0));
  return out;
}

/** A ReadableStream over the given chunks. */
export function streamOf<T>(chunks: T[]): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]);
      else c.close();
    },
  });
}

/** Collects a stream into an array. */
export async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

/** Concatenates byte chunks. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Path of the shared corpus beside the checkout, or null (tests then skip with a message). */
export function corpusPath(name: string): string | null {
  const path = new URL(`../../shared/corpus/${name}`, import.meta.url).pathname;
  try {
    Deno.statSync(path);
    return path;
  } catch {
    console.log(`(skipped: ../shared/corpus/${name} is not present)`);
    return null;
  }
}
