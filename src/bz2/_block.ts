/**
 * Decoder for one bzip2 block, given the compressed bits that hold it. Runs in a
 * worker or on the calling thread; it knows nothing about streams or ordering.
 *
 * @module
 */

import { crcUpdate } from "./_crc.ts";

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
const LUT_BITS = 10;
const LUT_SIZE = 1 << LUT_BITS;
const MAX_GROUPS = 6;
const MAX_ALPHA = 258;
const MAX_CODE_LEN = 20;
const MAX_SELECTORS = 18002;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
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
    this.bp = startBit >>> 3;
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
  // tt: byte of the BWT last column in the low 8 bits, then the inverse-BWT link above it.
  private br = new BitReader();
  private tt = new Int32Array(MAX_BLOCK);
  private lut = new Int32Array(MAX_GROUPS * LUT_SIZE);
  private firstCode = new Int32Array(MAX_GROUPS * (MAX_CODE_LEN + 1));
  private lenCount = new Int32Array(MAX_GROUPS * (MAX_CODE_LEN + 1));
  private lenOffset = new Int32Array(MAX_GROUPS * (MAX_CODE_LEN + 1));
  private maxLen = new Int32Array(MAX_GROUPS);
  private perm = new Int32Array(MAX_GROUPS * MAX_ALPHA);
  private selectors = new Uint8Array(MAX_SELECTORS);
  private lens = new Uint8Array(MAX_ALPHA);
  private counts = new Int32Array(256);
  private mtf = new Uint8Array(256);
  private mtfW = new Uint32Array(this.mtf.buffer);
  private seqToUnseq = new Uint8Array(256);

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
    const blockEnd = br.bp * 8 - br.cnt;
    if (blockEnd > endBit) throw NEED_MORE;
    if (nblock === 0 || origPtr >= nblock) throw new FormatFault("bad origin pointer");

    this.link(nblock);
    const pre = this.unbwt(nblock, this.tt[origPtr] >>> 8);
    const out = this.rle1(pre, nblock, outBuf);
    if (out) {
      return {
        kind: "ok",
        out,
        storedCrc,
        crc: ~crcUpdate(-1, out, out.length) >>> 0,
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

  /** Inverse BWT: link each position to the next one in the original order. */
  private link(nblock: number): void {
    const tt = this.tt;
    const counts = this.counts;
    let sum = 0;
    for (let i = 0; i < 256; i++) {
      const c = counts[i];
      counts[i] = sum;
      sum += c;
    }
    for (let i = 0; i < nblock; i++) {
      const b = tt[i] & 0xff;
      tt[counts[b]++] |= i << 8;
    }
  }

  /** Undoes the initial run-length step: 4 equal bytes are followed by a count of more. */
  private rle1(pre: Uint8Array, n: number, outBuf?: ArrayBuffer): Uint8Array<ArrayBuffer> | null {
    let out = outBuf && outBuf.byteLength >= n ? new Uint8Array(outBuf) : new Uint8Array(n + 64);
    let o = 0;
    let i = 0;
    // Once the output is sized from the exact expanded length it cannot overflow; the cheap
    // bound below over-counts (it takes count bytes for output), and rechecking it would
    // rescan the rest of the block after every run: quadratic on indented XML.
    let exact = false;
    while (i < n) {
      // Copy up to and including the next 4 equal bytes (a run restarts after each count).
      const j = findRun(pre, i, n);
      const end = j < n ? j + 4 : n;
      o = copyBytes(pre, i, end, out, o);
      if (end >= n) break;
      const count = pre[end];
      // The bytes left after the count need at most n - end - 1 more.
      if (!exact && o + count + (n - end) > out.length) {
        // Long runs: size the output exactly once, or if it is too large for one piece,
        // let the caller expand it as it is read.
        const total = o + count + expandedLength(pre, end + 1, n);
        if (total > MAX_OUT) return null;
        const bigger = new Uint8Array(total);
        bigger.set(out.subarray(0, o));
        out = bigger;
        exact = true;
      }
      if (count > 0) {
        out.fill(pre[j], o, o + count);
        o += count;
      }
      i = end + 1;
    }
    return out.subarray(0, o);
  }

  /**
   * Huffman symbols → MTF/RLE2 → BWT last column in tt's low bytes; returns its length.
   * One loop per method: V8 then optimizes it with complete type feedback.
   */
  private symbols(data: Uint8Array, endBit: number, nInUse: number, nSelectors: number): number {
    const br = this.br;
    const len = data.length;
    const mtf = this.mtf;
    const mtfW = this.mtfW;
    const selectors = this.selectors;
    const seqToUnseq = this.seqToUnseq;
    const tt = this.tt;
    const counts = this.counts;
    counts.fill(0);
    const lut = this.lut;
    const firstCode = this.firstCode;
    const lenCount = this.lenCount;
    const lenOffset = this.lenOffset;
    const perm = this.perm;
    const maxLenArr = this.maxLen;
    // The MTF list holds byte values directly.
    for (let i = 0; i < nInUse; i++) mtf[i] = seqToUnseq[i];
    const eob = nInUse + 1;
    let bp = br.bp;
    let buf = br.buf;
    let cnt = br.cnt;
    let nblock = 0;
    let run = 0;
    let runN = 1;
    let groupNo = 0;
    let done = false;
    while (!done) {
      if (groupNo >= nSelectors) {
        throw bp * 8 - cnt > endBit ? NEED_MORE : new FormatFault("selector overflow");
      }
      const g = selectors[groupNo++];
      const lutBase = g * LUT_SIZE;
      const lenBase = g * (MAX_CODE_LEN + 1);
      for (let k = 0; k < 50; k++) {
        if (cnt < MAX_CODE_LEN) {
          while (cnt <= 24) {
            buf = (buf << 8) | (bp < len ? data[bp] : 0);
            bp++;
            cnt += 8;
          }
        }
        let sym: number;
        const e = lut[lutBase + ((buf >>> (cnt - LUT_BITS)) & (LUT_SIZE - 1))];
        if (e !== 0) {
          cnt -= e & 31;
          sym = e >>> 5;
        } else {
          // Codes longer than LUT_BITS: canonical search by length.
          const v = (buf >>> (cnt - MAX_CODE_LEN)) & ((1 << MAX_CODE_LEN) - 1);
          const maxL = maxLenArr[g];
          sym = -1;
          for (let l = LUT_BITS + 1; l <= maxL; l++) {
            const d = (v >>> (MAX_CODE_LEN - l)) - firstCode[lenBase + l];
            if (d >= 0 && d < lenCount[lenBase + l]) {
              sym = perm[g * MAX_ALPHA + lenOffset[lenBase + l] + d];
              cnt -= l;
              break;
            }
          }
          if (sym < 0) {
            throw bp * 8 - cnt + MAX_CODE_LEN > endBit
              ? NEED_MORE
              : new FormatFault("bad Huffman code");
          }
        }
        if (sym <= 1) {
          // RUNA/RUNB: bijective base-2 digits of a repeat count of the front MTF byte.
          run += runN << sym;
          runN <<= 1;
          if (runN > 0x200000) {
            throw bp * 8 - cnt > endBit ? NEED_MORE : new FormatFault("run too long");
          }
          continue;
        }
        if (run > 0) {
          const b = mtf[0];
          if (nblock + run > MAX_BLOCK) {
            throw bp * 8 - cnt > endBit ? NEED_MORE : new FormatFault("block too long");
          }
          counts[b] += run;
          if (run < 16) {
            for (let r = 0; r < run; r++) tt[nblock++] = b;
          } else {
            tt.fill(b, nblock, nblock + run);
            nblock += run;
          }
          run = 0;
          runN = 1;
        }
        if (sym === eob) {
          done = true;
          break;
        }
        // Move-to-front of the (sym - 1)th byte.
        let j = sym - 1;
        const v = mtf[j];
        if (LITTLE_ENDIAN) {
          // Shift bytes 0..j-1 up by one, four at a time through a 32-bit view.
          const kEnd = j >>> 2;
          let carry = v;
          for (let k = 0; k < kEnd; k++) {
            const w = mtfW[k];
            mtfW[k] = (w << 8) | carry;
            carry = w >>> 24;
          }
          const w = mtfW[kEnd];
          const top = (j & 3) * 8 + 8;
          const keep = top === 32 ? 0 : -1 << top;
          mtfW[kEnd] = (w & keep) | ((w << 8) & ~keep) | carry;
        } else {
          for (; j > 0; j--) mtf[j] = mtf[j - 1];
          mtf[0] = v;
        }
        if (nblock >= MAX_BLOCK) {
          throw bp * 8 - cnt > endBit ? NEED_MORE : new FormatFault("block too long");
        }
        counts[v]++;
        tt[nblock++] = v;
      }
      // Saved every group rather than once after the loop: code that runs only once per
      // call lacks type feedback and would deoptimize the function each time.
      br.bp = bp;
      br.buf = buf;
      br.cnt = cnt;
      if (bp * 8 - cnt > endBit) throw NEED_MORE;
    }
    return nblock;
  }

  private pre = new Uint8Array(MAX_BLOCK);
  private laneBuf = new Uint8Array(LANES * MAX_BLOCK);
  private lanePos = new Int32Array(LANES);
  private laneOut = new Int32Array(LANES);
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
      if (active === LANES) {
        // All lanes busy: a straight-line step of every lane until one meets a mark.
        let p0 = lp[0];
        let p1 = lp[1];
        let p2 = lp[2];
        let p3 = lp[3];
        let p4 = lp[4];
        let p5 = lp[5];
        let p6 = lp[6];
        let p7 = lp[7];
        let o0 = lo[0];
        let o1 = lo[1];
        let o2 = lo[2];
        let o3 = lo[3];
        let o4 = lo[4];
        let o5 = lo[5];
        let o6 = lo[6];
        let o7 = lo[7];
        for (;;) {
          const t0 = tt[p0];
          const t1 = tt[p1];
          const t2 = tt[p2];
          const t3 = tt[p3];
          const t4 = tt[p4];
          const t5 = tt[p5];
          const t6 = tt[p6];
          const t7 = tt[p7];
          if (((t0 | t1 | t2 | t3 | t4 | t5 | t6 | t7) & MARK) !== 0) break;
          lb[o0++] = t0;
          lb[o1++] = t1;
          lb[o2++] = t2;
          lb[o3++] = t3;
          lb[o4++] = t4;
          lb[o5++] = t5;
          lb[o6++] = t6;
          lb[o7++] = t7;
          p0 = (t0 >>> 8) & PMASK;
          p1 = (t1 >>> 8) & PMASK;
          p2 = (t2 >>> 8) & PMASK;
          p3 = (t3 >>> 8) & PMASK;
          p4 = (t4 >>> 8) & PMASK;
          p5 = (t5 >>> 8) & PMASK;
          p6 = (t6 >>> 8) & PMASK;
          p7 = (t7 >>> 8) & PMASK;
        }
        lp[0] = p0;
        lp[1] = p1;
        lp[2] = p2;
        lp[3] = p3;
        lp[4] = p4;
        lp[5] = p5;
        lp[6] = p6;
        lp[7] = p7;
        lo[0] = o0;
        lo[1] = o1;
        lo[2] = o2;
        lo[3] = o3;
        lo[4] = o4;
        lo[5] = o5;
        lo[6] = o6;
        lo[7] = o7;
      }
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

// Helpers with one small loop each, so that V8 optimizes and inlines them instead of
// repeatedly deoptimizing an on-stack-replaced inner loop of the caller.

/** Start of the first 4 equal bytes in pre[i, n), or n. */
function findRun(pre: Uint8Array, i: number, n: number): number {
  let j = i;
  while (j + 3 < n) {
    const b = pre[j];
    if (pre[j + 1] !== b) j += 1;
    else if (pre[j + 2] !== b) j += 2;
    else if (pre[j + 3] !== b) j += 3;
    else return j;
  }
  return n;
}

/** Length of pre[i, n) after the final run-length step. */
function expandedLength(pre: Uint8Array, i: number, n: number): number {
  let total = 0;
  while (i < n) {
    const j = findRun(pre, i, n);
    if (j >= n) return total + n - i;
    total += j + 4 - i;
    if (j + 4 < n) total += pre[j + 4];
    i = j + 5;
  }
  return total;
}

/** Copies src[from, to) to dst at o; returns the new o. */
function copyBytes(src: Uint8Array, from: number, to: number, dst: Uint8Array, o: number): number {
  if (to - from < 32) {
    for (let k = from; k < to; k++) dst[o++] = src[k];
    return o;
  }
  dst.set(src.subarray(from, to), o);
  return o + to - from;
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
