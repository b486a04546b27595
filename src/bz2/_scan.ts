/**
 * Finds bzip2 block and end-of-stream magics at any bit position, so that
 * blocks can be handed to workers before the previous ones are decoded.
 *
 * @module
 */

import { BLOCK_MAGIC_HI, BLOCK_MAGIC_LO, EOS_MAGIC_HI, EOS_MAGIC_LO } from "./_block.ts";
import { WASM } from "./_scan_wasm.ts";

/** A magic found in the input: absolute bit position and kind. */
export interface Marker {
  bit: number;
  eos: boolean;
}

// For a magic starting s bits into byte k, bytes k+1..k+4 hold magic bits [8-s, 40-s)
// whatever the neighbours are: that 32-bit word identifies candidates. Any three
// consecutive word starts include one at a multiple of 3, so the scan samples every
// third byte: PAIRS marks the byte pairs found at offsets 0, 1 and 2 of some word
// (bit o set for offset o), and only a marked pair leads to a full comparison. The sampling
// loop runs in WebAssembly (_scan.wat) over copies of the input, a span at a time.
const WORDS = new Int32Array(16);
const WORD_EOS = new Uint8Array(16);
const WORD_SHIFT = new Uint8Array(16);
const PAIRS = new Uint8Array(65536);
{
  let n = 0;
  for (const eos of [false, true]) {
    const magic = eos ? 0x177245385090n : 0x314159265359n;
    for (let s = 0; s < 8; s++) {
      const word = Number((magic >> BigInt(8 + s)) & 0xffffffffn);
      WORDS[n] = word | 0;
      WORD_EOS[n] = eos ? 1 : 0;
      WORD_SHIFT[n] = s;
      PAIRS[word >>> 16] |= 1;
      PAIRS[(word >>> 8) & 0xffff] |= 2;
      PAIRS[word & 0xffff] |= 4;
      n++;
    }
  }
}

function magicAt(data: Uint8Array, bit: number, hi: number, lo: number): boolean {
  // Not >>> 3: in a buffer past 512 MB, bit positions pass 2^32.
  const k = Math.floor(bit / 8);
  const s = bit & 7;
  if (k + 6 + (s ? 1 : 0) > data.length) return false;
  // Magic bits are [s, s+48) of the 56 bits from byte k: read two overlapping 32-bit words.
  const w0 = (data[k] << 24) | (data[k + 1] << 16) | (data[k + 2] << 8) | data[k + 3];
  const w1 = (data[k + 3] << 24) | (data[k + 4] << 16) | (data[k + 5] << 8) |
    (s ? data[k + 6] : 0);
  const top24 = (w0 >>> (8 - s)) & 0xffffff;
  const low24 = (w1 >>> (8 - s)) & 0xffffff;
  return top24 === hi && low24 === lo;
}

/**
 * Scans `data[from, to)` for word starts (see above) and reports magics with
 * `base` added to their bit positions. Words need bytes up to index+5 (+1 when
 * unaligned), so callers pass `to` at most `data.length - 5`.
 */
export function scanMagics(
  data: Uint8Array,
  from: number,
  to: number,
  base: number,
  found: Marker[],
): void {
  const start = Math.max(from, 1);
  // Word starts w in [start, end) are checked; w needs bytes up to w + 3 here.
  const end = Math.min(to, data.length - 3);
  // Pairs start at i = start, start + 3, … below `stop`; each needs byte i + 1.
  const stop = Math.min(end + 2, data.length - 1);
  const k = kernel ??= scanKernel();
  for (let c = start; c < stop; c += k.span) {
    const n = Math.min(k.span, stop - c);
    k.bytes.set(data.subarray(c, c + n + 1));
    for (let j = k.next(0, n); j >= 0; j = k.next(j + 3, n)) {
      const i = c + j;
      const hit = PAIRS[(data[i] << 8) | data[i + 1]];
      for (let o = 2; o >= 0; o--) {
        const w = i - o;
        if ((hit & (1 << o)) !== 0 && w >= start && w < end) check(data, w, base, found);
      }
    }
  }
}

interface ScanKernel {
  /** Pair starts per call: the kernel's chunk down to a multiple of 3, so spans go on in step. */
  span: number;
  bytes: Uint8Array;
  next(i: number, end: number): number;
}

/** This thread's instance of the scan kernel, made on first use. */
let kernel: ScanKernel | null = null;

function scanKernel(): ScanKernel {
  const e = new WebAssembly.Instance(new WebAssembly.Module(WASM)).exports as unknown as {
    memory: WebAssembly.Memory;
    PAIRS: WebAssembly.Global;
    BYTES: WebAssembly.Global;
    CHUNK: WebAssembly.Global;
    next(i: number, end: number): number;
  };
  new Uint8Array(e.memory.buffer, e.PAIRS.value, PAIRS.length).set(PAIRS);
  const span = e.CHUNK.value - (e.CHUNK.value % 3);
  return { span, bytes: new Uint8Array(e.memory.buffer, e.BYTES.value, span + 1), next: e.next };
}

/** Full comparison for a 32-bit word starting at byte w. */
function check(data: Uint8Array, w: number, base: number, found: Marker[]): void {
  const word = (data[w] << 24) | (data[w + 1] << 16) | (data[w + 2] << 8) | data[w + 3];
  for (let n = 0; n < 16; n++) {
    if (WORDS[n] !== word) continue;
    const bit = (w - 1) * 8 + WORD_SHIFT[n];
    const ok = WORD_EOS[n]
      ? magicAt(data, bit, EOS_MAGIC_HI, EOS_MAGIC_LO)
      : magicAt(data, bit, BLOCK_MAGIC_HI, BLOCK_MAGIC_LO);
    if (ok) found.push({ bit: base + bit, eos: WORD_EOS[n] === 1 });
  }
}
