/**
 * Entity replacement in WebAssembly for the XML reader (`_unescape.wat`): the common case
 * of a field whose only entities are the five named ones. One instance per thread, its
 * memory grown to the largest field it took (fields above {@link MAX_FAST} stay in JS,
 * so that it stays small).
 *
 * @module
 */

import { WASM } from "./_unescape_wasm.ts";

/**
 * Fields longer than this are unescaped by the JS loop: they are rare (a page averages a
 * few tens of KB), and the kernel's memory, which never shrinks, stays under 5 MB.
 */
const MAX_FAST = 2 << 20;
/** Look-ahead the kernel may read past its input, and write past its output. */
const PAD = 16;

interface Kernel {
  memory: WebAssembly.Memory;
  unescape: (len: number, out: number) => number;
}

let kernel: Kernel | null = null;
let bytes: Uint8Array = new Uint8Array(0);

/**
 * `src` with `&lt;`, `&gt;`, `&amp;`, `&quot;` and `&apos;` replaced, or null where it holds
 * any other `&` (or is too long): then the caller's general loop does it. The result is a
 * view into the kernel's memory, valid until the next call.
 */
export function unescapeNamed(src: Uint8Array): Uint8Array | null {
  const n = src.length;
  if (n > MAX_FAST) return null;
  const k = kernel ??= new WebAssembly.Instance(new WebAssembly.Module(WASM))
    .exports as unknown as Kernel;
  const out = n + PAD;
  const need = out + n + PAD;
  if (bytes.length < need) {
    const have = k.memory.buffer.byteLength;
    if (have < need) k.memory.grow(Math.ceil((need - have) / 65536));
    bytes = new Uint8Array(k.memory.buffer);
  }
  bytes.set(src);
  const len = k.unescape(n, out);
  return len < 0 ? null : bytes.subarray(out, out + len);
}
