/**
 * Decoder for one bzip2 block, given the compressed bits that hold it. Runs in a
 * worker or on the calling thread; it knows nothing about streams or ordering.
 *
 * @module
 */

import { CRC_SLICES, crcUpdate } from "./_crc.ts";
import { WASM } from "./_symbols_wasm.ts";

/** Largest block the format allows (`BZh9`), in bytes before the final run-length step. */
export const MAX_BLOCK = 900000;

/** Largest output returned in one piece; beyond it a block is expanded as it is read. */
export const MAX_OUT = 4 << 20;

/** First 24 and last 24 bits of the block magic 0x314159265359. */
export const BLOCK_MAGIC_HI = 0x314159;
export const BLOCK_MAGIC_LO = 0x265359;
/** First 24 and last 24 bits of the end-of-stream magic 0x177245385090. */
export const EOS_MAGIC_HI = 0x177245;
export const EOS_MAGIC_LO = 0x385090;

/** Outcome of {@link BlockDecoder.decode}. */
export type BlockResult =
  | {
    kind: "ok";
    /** Decoded bytes (a view of a fresh buffer that may be longer). */
    out: Uint8Array<ArrayBuffer>;
    /** CRC stored in the block header. */
    storedCrc: number;
    /** CRC of `out`. */
    crc: number;
    /** Bit position just after the block, relative to the `data` passed in. */
    endBit: number;
    /** Block size before the final run-length step, to check against the stream's level. */
    nblock: number;
    /**
     * When the output would exceed {@link MAX_OUT}: `out` is empty and this holds the
     * block before its final run-length step, to expand with {@link Rle1Expander}.
     */
    runs: Uint8Array<ArrayBuffer> | null;
  }
  /** The block runs past `endBit`: the segment was cut short (false magic or truncation). */
  | { kind: "more" }
  | { kind: "error"; message: string };

class FormatFault {
  constructor(readonly message: string) {}
}
class NeedMore {}
const NEED_MORE = new NeedMore();

/** Bits looked up at once when decoding Huffman symbols; longer codes take a slow path. */
const LUT_BITS = 12;
const LUT_SIZE = 1 << LUT_BITS;
const MAX_GROUPS = 6;
const MAX_ALPHA = 258;
const MAX_CODE_LEN = 20;
const MAX_SELECTORS = 18002;

/** The symbol-loop kernel, compiled once per thread. */
const SYMBOLS = new WebAssembly.Module(WASM);
interface SymbolsKernel {
  memory: WebAssembly.Memory;
  TT: WebAssembly.Global;
  LUT: WebAssembly.Global;
  FIRST: WebAssembly.Global;
  LCOUNT: WebAssembly.Global;
  LOFF: WebAssembly.Global;
  MAXLEN: WebAssembly.Global;
  PERM: WebAssembly.Global;
  COUNTS: WebAssembly.Global;
  MTF: WebAssembly.Global;
  SEL: WebAssembly.Global;
  STATE: WebAssembly.Global;
  DATA: WebAssembly.Global;
  DATA_MAX: WebAssembly.Global;
  PRE: WebAssembly.Global;
  OUT: WebAssembly.Global;
  LANEPOS: WebAssembly.Global;
  LANEOUT: WebAssembly.Global;
  LANEBUF: WebAssembly.Global;
  CRCT: WebAssembly.Global;
  link(n: number): void;
  walk(active: number): void;
  rle1(n: number, cap: number): number;
  crc(n: number): number;
  symbols(
    len: number,
    buf: number,
    cnt: number,
    endBit: number,
    nInUse: number,
    nSelectors: number,
  ): number;
}
/** The kernel's fault codes -2, -3, ... (-1 is "cut short"). */
const SYMBOL_FAULTS = ["selector overflow", "bad Huffman code", "run too long", "block too long"];
/** Inverse-BWT walks run side by side, so that their cache misses overlap. */
const LANES = 8;
/** Pieces the inverse-BWT walk is cut into (more than LANES, so that lanes stay busy). */
const CHAINS = 64;
const MARK = 1 << 30;
const PMASK = 0xfffff;

/** MSB-first bit reader for the block header; `buf` holds `cnt` unread bits in its low end. */
class BitReader {
  data: Uint8Array = new Uint8Array(0);
  bp = 0;
  buf = 0;
  cnt = 0;
  endBit = 0;

  reset(data: Uint8Array, startBit: number, endBit: number): void {
    this.data = data;
    this.bp = Math.floor(startBit / 8); // not >>> 3: bit positions pass 2^32 past 512 MB
    this.buf = 0;
    this.cnt = 0;
    this.endBit = endBit;
    this.bits(startBit & 7);
  }

  /** Next n <= 24 bits; zeros past the end of `data` (caught by {@link check}). */
  bits(n: number): number {
    if (this.cnt < n) {
      const data = this.data;
      while (this.cnt <= 24) {
        this.buf = (this.buf << 8) | (this.bp < data.length ? data[this.bp] : 0);
        this.bp++;
        this.cnt += 8;
      }
    }
    this.cnt -= n;
    return (this.buf >>> this.cnt) & ((1 << n) - 1);
  }

  /** Throws NeedMore once the reader has gone past the span. */
  check(): void {
    if (this.bp * 8 - this.cnt > this.endBit) throw NEED_MORE;
  }
}

/**
 * Reusable block decoder. Holds the large work arrays so that decoding many
 * blocks allocates only each block's output.
 */
export class BlockDecoder {
  private br = new BitReader();
  private kernel = new WebAssembly.Instance(SYMBOLS).exports as unknown as SymbolsKernel;
  private memory = this.kernel.memory.buffer;
  // The symbol loop's tables and output live in the kernel's memory (it never grows).
  // WebAssembly memory is little-endian, like typed arrays on every host Deno runs on.
  // tt: byte of the BWT last column in the low 8 bits, then the inverse-BWT link above it.
  private tt = this.i32(this.kernel.TT, MAX_BLOCK);
  private lut = this.i32(this.kernel.LUT, MAX_GROUPS * LUT_SIZE);
  private firstCode = this.i32(this.kernel.FIRST, MAX_GROUPS * (MAX_CODE_LEN + 1));
  private lenCount = this.i32(this.kernel.LCOUNT, MAX_GROUPS * (MAX_CODE_LEN + 1));
  private lenOffset = this.i32(this.kernel.LOFF, MAX_GROUPS * (MAX_CODE_LEN + 1));
  private maxLen = this.i32(this.kernel.MAXLEN, MAX_GROUPS);
  private perm = this.i32(this.kernel.PERM, MAX_GROUPS * MAX_ALPHA);
  private counts = this.i32(this.kernel.COUNTS, 256);
  private selectors = new Uint8Array(this.memory, this.kernel.SEL.value, MAX_SELECTORS);
  private mtf = new Uint8Array(this.memory, this.kernel.MTF.value, 256);
  private data = new Uint8Array(this.memory, this.kernel.DATA.value, this.kernel.DATA_MAX.value);
  private pre = new Uint8Array(this.memory, this.kernel.PRE.value, MAX_BLOCK);
  private out = new Uint8Array(this.memory, this.kernel.OUT.value, MAX_OUT);
  private state = this.i32(this.kernel.STATE, 1);
  /** Bit just after the last symbol of the block {@link symbols} read. */
  private symbolsEnd = 0;
  private lens = new Uint8Array(MAX_ALPHA);
  private seqToUnseq = new Uint8Array(256);

  private i32(at: WebAssembly.Global, length: number): Int32Array {
    return new Int32Array(this.memory, at.value, length);
  }

  constructor() {
    // The kernel's CRC reads the same slicing tables as crcUpdate.
    const tables = this.i32(this.kernel.CRCT, 8 * 256);
    CRC_SLICES.forEach((t, k) => tables.set(t, k * 256));
  }

  /**
   * Decodes the block whose 48-bit magic starts at bit `startBit` of `data`.
   * Bits at or after `endBit` are treated as not belonging to this block.
   * The output goes into `outBuf` when it is large enough.
   */
  decode(data: Uint8Array, startBit: number, endBit: number, outBuf?: ArrayBuffer): BlockResult {
    try {
      return this.decodeOrThrow(data, startBit, endBit, outBuf);
    } catch (e) {
      if (e instanceof NeedMore) return { kind: "more" };
      if (e instanceof FormatFault) return { kind: "error", message: e.message };
      throw e;
    }
  }

  private decodeOrThrow(
    data: Uint8Array,
    startBit: number,
    endBit: number,
    outBuf?: ArrayBuffer,
  ): BlockResult {
    if (startBit + 48 + 32 + 1 + 24 > endBit) throw NEED_MORE;
    // Header fields go through a reader object; the symbol loop below copies its state
    // into locals (closures over locals would keep them out of registers).
    const br = this.br;
    br.reset(data, startBit, endBit);

    if (br.bits(24) !== BLOCK_MAGIC_HI || br.bits(24) !== BLOCK_MAGIC_LO) {
      throw new FormatFault("bad block magic");
    }
    const storedCrc = ((br.bits(16) << 16) | br.bits(16)) >>> 0;
    if (br.bits(1)) {
      throw new FormatFault("randomised block (bzip2 0.9.0 format) is not supported");
    }
    const origPtr = br.bits(24);
    if (origPtr >= MAX_BLOCK + 10) throw new FormatFault("bad origin pointer");

    // Symbol map: which of the 256 byte values occur.
    const seqToUnseq = this.seqToUnseq;
    const used16 = br.bits(16);
    let nInUse = 0;
    for (let i = 0; i < 16; i++) {
      if (used16 & (0x8000 >>> i)) {
        const m = br.bits(16);
        for (let j = 0; j < 16; j++) if (m & (0x8000 >>> j)) seqToUnseq[nInUse++] = i * 16 + j;
      }
    }
    br.check();
    if (nInUse === 0) throw new FormatFault("empty symbol map");
    const alphaSize = nInUse + 2;

    const nGroups = br.bits(3);
    if (nGroups < 2 || nGroups > MAX_GROUPS) throw new FormatFault("bad Huffman group count");
    const nSelectorsRaw = br.bits(15);
    if (nSelectorsRaw < 1) throw new FormatFault("bad selector count");
    // Selectors are MTF-coded unary numbers; extra ones beyond the limit are read and dropped.
    const selectors = this.selectors;
    const mtf = this.mtf;
    for (let i = 0; i < nGroups; i++) mtf[i] = i;
    const nSelectors = Math.min(nSelectorsRaw, MAX_SELECTORS);
    for (let i = 0; i < nSelectorsRaw; i++) {
      let j = 0;
      while (br.bits(1)) {
        j++;
        if (j >= nGroups) throw new FormatFault("bad selector");
      }
      if ((i & 63) === 0) br.check();
      const v = mtf[j];
      for (; j > 0; j--) mtf[j] = mtf[j - 1];
      mtf[0] = v;
      if (i < nSelectors) selectors[i] = v;
    }
    br.check();

    // Code lengths, delta-coded, then canonical Huffman tables per group.
    const lens = this.lens;
    for (let g = 0; g < nGroups; g++) {
      let cur = br.bits(5);
      for (let s = 0; s < alphaSize; s++) {
        for (;;) {
          if (cur < 1 || cur > MAX_CODE_LEN) throw new FormatFault("bad Huffman code length");
          if (!br.bits(1)) break;
          cur += br.bits(1) ? -1 : 1;
        }
        lens[s] = cur;
      }
      br.check();
      this.buildTable(g, alphaSize);
    }

    const nblock = this.symbols(data, endBit, nInUse, nSelectors);
    const blockEnd = this.symbolsEnd;
    if (nblock === 0 || origPtr >= nblock) throw new FormatFault("bad origin pointer");

    this.kernel.link(nblock);
    const pre = this.unbwt(nblock, this.tt[origPtr] >>> 8);
    const size = this.kernel.rle1(nblock, MAX_OUT);
    if (size >= 0) {
      const out = outBuf && outBuf.byteLength >= size
        ? new Uint8Array(outBuf, 0, size)
        : new Uint8Array(new ArrayBuffer(Math.max(size, nblock + 64)), 0, size);
      out.set(this.out.subarray(0, size));
      return {
        kind: "ok",
        out,
        storedCrc,
        crc: ~this.kernel.crc(size) >>> 0,
        endBit: blockEnd,
        nblock,
        runs: null,
      };
    }
    // Output larger than MAX_OUT (up to ~46 MB for a block of one repeated byte): check
    // the CRC piecewise now, and hand over the short form to be expanded as it is read.
    const runs = pre.slice(0, nblock);
    const exp = new Rle1Expander(runs);
    const scratch = new Uint8Array(1 << 16);
    let crc = -1;
    for (let k; (k = exp.fill(scratch)) > 0;) crc = crcUpdate(crc, scratch, k);
    return {
      kind: "ok",
      out: new Uint8Array(0),
      storedCrc,
      crc: ~crc >>> 0,
      endBit: blockEnd,
      nblock,
      runs,
    };
  }

  /**
   * Huffman symbols → MTF/RLE2 → BWT last column in tt's low bytes; returns its length
   * and sets symbolsEnd to the bit after the last symbol. The loop is the kernel's (_symbols.wat).
   */
  private symbols(data: Uint8Array, endBit: number, nInUse: number, nSelectors: number): number {
    const br = this.br;
    const k = this.kernel;
    // The kernel reads from the first byte not yet in the bit buffer; bits past endBit
    // only ever lead to "cut short", so a few bytes beyond it are all it needs.
    const base = br.bp;
    const stop = Math.min(data.length, Math.floor(endBit / 8) + 8, base + this.data.length);
    const len = Math.max(0, stop - base);
    if (len > 0) this.data.set(data.subarray(base, base + len));
    this.mtf.set(this.seqToUnseq.subarray(0, nInUse));
    this.counts.fill(0);
    const relEnd = Math.min(endBit - base * 8, 0x3fffffff);
    const r = k.symbols(len, br.buf, br.cnt, relEnd, nInUse, nSelectors);
    this.symbolsEnd = base * 8 + this.state[0];
    if (r >= 0) return r;
    throw r === -1 ? NEED_MORE : new FormatFault(SYMBOL_FAULTS[-r - 2]);
  }

  private laneBuf = new Uint8Array(this.memory, this.kernel.LANEBUF.value, LANES * MAX_BLOCK);
  private lanePos = this.i32(this.kernel.LANEPOS, LANES);
  private laneOut = this.i32(this.kernel.LANEOUT, LANES);
  private laneChain = new Int32Array(LANES);
  private chainStart = new Int32Array(CHAINS);
  private chainOff = new Int32Array(CHAINS);
  private chainLen = new Int32Array(CHAINS);
  private chainNext = new Int32Array(CHAINS);

  /**
   * Inverse BWT walk into this.pre. The walk is one long chain of dependent
   * loads that miss the cache; to overlap them, it is cut at CHAINS arbitrary
   * points, the pieces are walked LANES at a time, then put back in order.
   */
  private unbwt(n: number, first: number): Uint8Array {
    const tt = this.tt;
    const pre = this.pre;
    if (n < 8 * CHAINS) {
      let p = first;
      for (let i = 0; i < n; i++) {
        const t = tt[p];
        pre[i] = t;
        p = t >>> 8;
      }
      return pre;
    }
    const starts = this.chainStart;
    const byStart = new Map<number, number>();
    let k = 0;
    starts[k] = first;
    byStart.set(first, k++);
    for (let j = 1; j < CHAINS; j++) {
      const s = Math.floor((j * n) / CHAINS);
      if (!byStart.has(s)) {
        starts[k] = s;
        byStart.set(s, k++);
      }
    }
    for (let c = 0; c < k; c++) tt[starts[c]] |= MARK;
    const lb = this.laneBuf;
    const lp = this.lanePos;
    const lo = this.laneOut;
    const lc = this.laneChain;
    const off = this.chainOff;
    const clen = this.chainLen;
    const cnext = this.chainNext;
    let nextChain = 0;
    let active = 0;
    // Lane l writes into lb[l * MAX_BLOCK ...]. A chain's first entry is marked, so it is
    // taken when the chain starts; the walk stops at the next marked entry.
    for (let l = 0; l < LANES; l++) lo[l] = l * MAX_BLOCK;
    while (active < LANES && nextChain < k) {
      const c = nextChain++;
      const t = tt[starts[c]];
      lc[active] = c;
      off[c] = lo[active];
      lb[lo[active]++] = t;
      lp[active] = (t >>> 8) & PMASK;
      active++;
    }
    while (active > 0) {
      // Every lane steps until one meets a mark (the kernel's loop), then each is
      // stepped once here, taking its next chain or retiring at a mark.
      this.kernel.walk(active);
      for (let l = 0; l < active; l++) {
        const t = tt[lp[l]];
        if ((t & MARK) === 0) {
          lb[lo[l]++] = t;
          lp[l] = (t >>> 8) & PMASK;
          continue;
        }
        const c = lc[l];
        clen[c] = lo[l] - off[c];
        cnext[c] = byStart.get(lp[l])!;
        if (nextChain < k) {
          const c2 = nextChain++;
          const t2 = tt[starts[c2]];
          lc[l] = c2;
          off[c2] = lo[l];
          lb[lo[l]++] = t2;
          lp[l] = (t2 >>> 8) & PMASK;
        } else {
          // Retire the lane: move the last active lane into its slot.
          active--;
          lp[l] = lp[active];
          lo[l] = lo[active];
          lc[l] = lc[active];
          l--;
        }
      }
    }
    for (let c = 0; c < k; c++) tt[starts[c]] &= ~MARK;
    return this.assemble(n);
  }

  /** Puts the walked pieces in text order into this.pre, starting with chain 0. */
  private assemble(n: number): Uint8Array {
    const pre = this.pre;
    const lb = this.laneBuf;
    const off = this.chainOff;
    const clen = this.chainLen;
    const cnext = this.chainNext;
    let o = 0;
    let c = 0;
    do {
      pre.set(lb.subarray(off[c], off[c] + clen[c]), o);
      o += clen[c];
      c = cnext[c];
    } while (c !== 0);
    // A periodic block has repeated rotations, so its links form several equal cycles and
    // the walk from origPtr (as bzip2 does it) goes round one of them again and again.
    while (o < n) {
      const m = Math.min(o, n - o);
      pre.copyWithin(o, 0, m);
      o += m;
    }
    return pre;
  }

  /** Builds the lookup table and canonical-code arrays for group `g` from `this.lens`. */
  private buildTable(g: number, alphaSize: number): void {
    const lens = this.lens;
    const base = g * (MAX_CODE_LEN + 1);
    const lenCount = this.lenCount;
    const firstCode = this.firstCode;
    const lenOffset = this.lenOffset;
    for (let l = 0; l <= MAX_CODE_LEN; l++) lenCount[base + l] = 0;
    let maxL = 0;
    for (let s = 0; s < alphaSize; s++) {
      lenCount[base + lens[s]]++;
      if (lens[s] > maxL) maxL = lens[s];
    }
    this.maxLen[g] = maxL;
    let code = 0;
    let off = 0;
    for (let l = 1; l <= MAX_CODE_LEN; l++) {
      firstCode[base + l] = code;
      lenOffset[base + l] = off;
      code += lenCount[base + l];
      off += lenCount[base + l];
      if (code > 1 << l) throw new FormatFault("oversubscribed Huffman code");
      code <<= 1;
    }
    // Symbols sorted by (length, symbol): canonical order.
    const perm = this.perm;
    const fillPos = new Int32Array(MAX_CODE_LEN + 1);
    for (let l = 1; l <= MAX_CODE_LEN; l++) fillPos[l] = lenOffset[base + l];
    for (let s = 0; s < alphaSize; s++) perm[g * MAX_ALPHA + fillPos[lens[s]]++] = s;
    const lut = this.lut;
    const lutBase = g * LUT_SIZE;
    lut.fill(0, lutBase, lutBase + LUT_SIZE);
    for (let l = 1; l <= LUT_BITS; l++) {
      const n = lenCount[base + l];
      for (let k = 0; k < n; k++) {
        const sym = perm[g * MAX_ALPHA + lenOffset[base + l] + k];
        const c = firstCode[base + l] + k;
        const from = c << (LUT_BITS - l);
        const to = (c + 1) << (LUT_BITS - l);
        lut.fill((sym << 5) | l, lutBase + from, lutBase + to);
      }
    }
  }
}

/**
 * Expands a block's final run-length step (4 equal bytes, then a count of more)
 * piece by piece, so that a block of long runs never needs its whole output in memory.
 */
export class Rle1Expander {
  private i = 0;
  private last = -1;
  private same = 0;
  private pending = 0;
  private pendingByte = 0;

  constructor(private runs: Uint8Array) {}

  /** Writes the next bytes into `target`; returns how many (0 once finished). */
  fill(target: Uint8Array): number {
    const runs = this.runs;
    const max = target.length;
    let o = 0;
    while (o < max) {
      if (this.pending > 0) {
        const k = Math.min(this.pending, max - o);
        target.fill(this.pendingByte, o, o + k);
        o += k;
        this.pending -= k;
        continue;
      }
      if (this.i >= runs.length) break;
      const b = runs[this.i++];
      if (this.same === 4) {
        this.pending = b;
        this.pendingByte = this.last;
        this.same = 0;
        this.last = -1;
        continue;
      }
      if (b === this.last) this.same++;
      else {
        this.last = b;
        this.same = 1;
      }
      target[o++] = b;
    }
    return o;
  }
}
