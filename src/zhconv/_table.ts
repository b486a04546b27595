/**
 * A fast longest-match converter over opencc-js dictionaries.
 *
 * Semantics follow opencc-js's `Trie.convert` exactly (the equality test is the judge):
 * at each position the longest key wins; unmatched text advances one code point, except
 * that an ideographic description sequence (U+2FF0–U+2FFF and its operands) is skipped
 * whole, unconverted. Speed comes from a 64K table of flags and single-character
 * replacements, phrase lookups only where some key can start, and output written to a
 * reused UTF-16 buffer.
 *
 * @module
 */

import { Buffer } from "node:buffer";

// Called through `call` in the matching loops: their strings come in many representations
// (flat, sliced, concatenated; one- and two-byte), which makes `s.charCodeAt` a megamorphic load.
// Each module keeps its own: an imported binding is not a constant to V8's compiler, and the
// calls through it were not reduced (conversion took 2× the instructions).
const charCodeAt = String.prototype.charCodeAt;

/** One opencc-js dictionary: `"a b|c d"` or `[["a","b"],["c","d"]]`. */
export type DictLike = string | readonly (readonly [string, string])[];

/** Bit flags per UTF-16 code unit. 0 means "copy as is" (the fast path). */
export const MAPPED = 1; // a one-code-unit key with a replacement
export const PHRASE = 2; // some key of two or more code units starts with this unit
const IDS = 4; // an ideographic description operator
const SURROGATE = 8; // needs pairing care
const MULTI = 32; // a one-code-unit key whose replacement is not one BMP code unit
/** Size-1 of the filter on (first, second) code units of multi-unit keys. */
export const PAIR_MASK = 0xffff;

/** A trie node of a compiled dictionary. */
export interface TrieNode {
  /** Replacement when a key ends here. */
  v: string | undefined;
  /** Children by code unit. */
  c: Map<number, TrieNode> | undefined;
}

/** A dictionary group compiled for fast matching. */
export class CompiledDict {
  readonly flags = new Uint8Array(65536);
  /** Replacement for one-code-unit keys whose value is one BMP code unit; else -1 → `multi`. */
  readonly single = new Int32Array(65536);
  readonly multi = new Map<number, string>();
  readonly root: TrieNode = { v: undefined, c: new Map() };
  /** Non-zero where some key of two or more code units may start with that pair. */
  readonly pairs = new Uint8Array(PAIR_MASK + 1);
  /** Number of keys. */
  size = 0;

  /**
   * Dicts earlier in the list win over later ones on equal keys, as in opencc-js's
   * `loadDictGroup` (which loads them in reverse and lets later loads overwrite).
   * `ids: false` drops opencc-js's rule that an ideographic description sequence is
   * copied whole (MediaWiki's tables have no such rule).
   */
  constructor(dicts: readonly DictLike[], ids = true) {
    const merged = new Map<string, string>();
    for (let d = dicts.length - 1; d >= 0; d--) {
      const dict = dicts[d];
      if (typeof dict === "string") {
        if (dict === "") continue;
        for (const line of dict.split("|")) {
          const sp = line.indexOf(" ");
          if (sp <= 0) throw new TypeError(`bad dictionary entry: ${JSON.stringify(line)}`);
          const end = line.indexOf(" ", sp + 1);
          merged.set(line.slice(0, sp), line.slice(sp + 1, end < 0 ? line.length : end));
        }
      } else {
        for (const [k, v] of dict) merged.set(k, v);
      }
    }
    for (let u = 0xd800; u < 0xe000; u++) this.flags[u] = SURROGATE;
    if (ids) { for (let u = 0x2ff0; u <= 0x2fff; u++) this.flags[u] |= IDS; }
    for (const [k, v] of merged) this.add(k, v);
    this.flatten();
  }

  /** Edge table of the flattened trie (open addressing): parent node, code unit, child. */
  ePar: Int32Array = new Int32Array(0);
  eUnit: Uint16Array = new Uint16Array(0);
  eChild: Int32Array = new Int32Array(0);
  eShift = 32;
  eMask = 0;
  /** Replacement where a key ends at node k (node 0 is the root). */
  nodeV: (string | undefined)[] = [];
  /** 1 where node k has children. */
  nodeKids: Uint8Array = new Uint8Array(0);

  /**
   * The trie as typed arrays: a lookup is a multiply and a probe or two instead of a Map
   * lookup per code unit, the matcher's hottest step.
   */
  private flatten(): void {
    const ids = new Map<TrieNode, number>([[this.root, 0]]);
    const order: TrieNode[] = [this.root];
    let edges = 0;
    for (let k = 0; k < order.length; k++) {
      const c = order[k].c;
      if (c === undefined) continue;
      for (const child of c.values()) {
        ids.set(child, order.length);
        order.push(child);
        edges++;
      }
    }
    let bits = 4;
    while ((1 << bits) < edges * 2) bits++;
    const size = 1 << bits;
    this.eShift = 32 - bits;
    this.eMask = size - 1;
    this.ePar = new Int32Array(size).fill(-1);
    this.eUnit = new Uint16Array(size);
    this.eChild = new Int32Array(size);
    this.nodeV = order.map((n) => n.v);
    this.nodeKids = new Uint8Array(order.length);
    for (let p = 0; p < order.length; p++) {
      const c = order[p].c;
      if (c === undefined || c.size === 0) continue;
      this.nodeKids[p] = 1;
      for (const [u, child] of c) {
        let h = edgeHash(p, u, this.eShift);
        while (this.ePar[h] !== -1) h = (h + 1) & this.eMask;
        this.ePar[h] = p;
        this.eUnit[h] = u;
        this.eChild[h] = ids.get(child)!;
      }
    }
  }

  /** True when every key of two or more code units is a single astral code point. */
  trieHasOnlyAstralSingles(): boolean {
    return this.multiUnitKeysAreSingles;
  }

  /** True when some key of two or more code units contains a unit with `flags[u] & bit`. */
  phraseUses(flags: Uint8Array, bit: number): boolean {
    const todo: TrieNode[] = [this.root];
    while (todo.length > 0) {
      const node = todo.pop()!;
      if (node.c === undefined) continue;
      for (const [u, child] of node.c) {
        if (flags[u] & bit) return true;
        todo.push(child);
      }
    }
    return false;
  }

  private multiUnitKeysAreSingles = true;

  private add(key: string, value: string): void {
    if (key.length === 0 || !isWellFormed(key)) return; // can never match text at a code point
    this.size++;
    const u0 = key.charCodeAt(0);
    if (key.length === 1) {
      this.flags[u0] |= MAPPED;
      if (value.length === 1 && !isSurrogate(value.charCodeAt(0))) {
        this.single[u0] = value.charCodeAt(0);
      } else {
        this.single[u0] = -1;
        this.multi.set(u0, value);
        this.flags[u0] |= MULTI;
      }
      return;
    }
    this.flags[u0] |= PHRASE;
    if (!(key.length === 2 && u0 >= 0xd800 && u0 < 0xdc00)) this.multiUnitKeysAreSingles = false;
    this.pairs[(u0 * 7 + key.charCodeAt(1)) & PAIR_MASK] = 1;
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const u = key.charCodeAt(i);
      if (node.c === undefined) node.c = new Map();
      let next = node.c.get(u);
      if (next === undefined) {
        next = { v: undefined, c: undefined };
        node.c.set(u, next);
      }
      node = next;
    }
    node.v = value;
  }
}

function edgeHash(p: number, u: number, shift: number): number {
  return Math.imul((p << 16) ^ (p >>> 16) ^ u, 0x9e3779b1) >>> shift;
}

/** The child of trie node `p` by code unit `u` in the flattened trie, or -1. */
function childOf(d: CompiledDict, p: number, u: number): number {
  const par = d.ePar;
  let h = edgeHash(p, u, d.eShift);
  for (;;) {
    const q = par[h];
    if (q === p && d.eUnit[h] === u) return d.eChild[h];
    if (q === -1) return -1;
    h = (h + 1) & d.eMask;
  }
}

/** Set by {@link phraseEnd}: the replacement of the key it matched. */
let phraseValue = "";

/**
 * End of the longest key of two or more units that matches `s` at `i` (before `end`) and
 * that `live` accepts, or 0; its replacement is then in {@link phraseValue}. Called only
 * where the pair filter says some key may start, so rarely that the call costs nothing.
 */
function phraseEnd(
  d: CompiledDict,
  s: string,
  i: number,
  end: number,
  live: ((from: number, to: number) => boolean) | null,
): number {
  const kids = d.nodeKids;
  const vals = d.nodeV;
  let found = 0;
  let node = 0;
  let j = i;
  while (j < end && kids[node] !== 0) {
    const next = childOf(d, node, charCodeAt.call(s, j));
    if (next < 0) break;
    j++;
    node = next;
    const v = vals[node];
    if (v !== undefined && (live === null || live(i, j))) {
      found = j;
      phraseValue = v;
    }
  }
  return found;
}

function isSurrogate(u: number): boolean {
  return u >= 0xd800 && u < 0xe000;
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u < 0xdc00) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n < 0xe000)) return false;
      i++;
    } else if (u >= 0xdc00 && u < 0xe000) return false;
  }
  return true;
}

/** Code units taken by the code point at `i` (a lone surrogate counts as one). */
function cpLen(s: string, i: number, end: number): number {
  const u = charCodeAt.call(s, i);
  if (u >= 0xd800 && u < 0xdc00 && i + 1 < end) {
    const n = charCodeAt.call(s, i + 1);
    if (n >= 0xdc00 && n < 0xe000) return 2;
  }
  return 1;
}

function idsArity(u: number): number {
  if (u < 0x2ff0 || u > 0x2fff) return 0;
  return u === 0x2ff2 || u === 0x2ff3 ? 3 : 2;
}

const idsStarts: number[] = [];
const idsRemaining: number[] = [];

/**
 * End of the ideographic description sequence starting at `i`, or 0 if there is none.
 * Same result as opencc-js's recursive reading (an operand that runs past the end makes
 * its own operator count as a plain character), but with an explicit stack. The result
 * at a position depends on nothing else, so `memo` (one per string and end) records every
 * sub-sequence once: operator-only text stays linear instead of re-reading its tail.
 */
export function idsEnd(s: string, i: number, end: number, memo: Map<number, number>): number {
  if (idsArity(charCodeAt.call(s, i)) === 0) return 0;
  const known = memo.get(i);
  if (known !== undefined) return known;
  idsStarts.length = 0;
  idsRemaining.length = 0;
  idsStarts.push(i);
  idsRemaining.push(idsArity(charCodeAt.call(s, i)));
  let pos = i + 1;
  for (;;) {
    let top = idsStarts.length - 1;
    if (pos >= end) {
      // This frame fails; its parent takes the operator as a single character.
      const failed = idsStarts.pop()!;
      idsRemaining.pop();
      memo.set(failed, 0);
      if (top === 0) return 0;
      top--;
      pos = failed + 1;
      idsRemaining[top]--;
    } else {
      const a = idsArity(charCodeAt.call(s, pos));
      const m = a > 0 ? memo.get(pos) : undefined;
      if (a > 0 && m === undefined) {
        idsStarts.push(pos);
        idsRemaining.push(a);
        pos += 1;
        continue;
      }
      pos = m ? m : pos + cpLen(s, pos, end);
      idsRemaining[top]--;
    }
    while (idsRemaining[top] === 0) {
      memo.set(idsStarts.pop()!, pos);
      idsRemaining.pop();
      if (top === 0) return pos;
      top--;
      idsRemaining[top]--;
    }
  }
}

let outBuf = new Uint16Array(1 << 16);

/** Converted text this short is built unit by unit: no call, no array view. */
const SHORT = 24;

function decode(buf: Uint16Array, n: number): string {
  if (n <= SHORT) {
    let r = "";
    for (let k = 0; k < n; k++) r += String.fromCharCode(buf[k]);
    return r;
  }
  // node's UTF-16LE decoder copies the units as they are, lone surrogates too, at memcpy
  // speed: 5,000 units in 0.85 µs against 9.97 µs for TextDecoder("utf-16le") (which also
  // replaced lone surrogates, so they took String.fromCharCode, slower still).
  // One Buffer over the reused output buffer, made again only when that grows.
  if (view.buffer !== buf.buffer) view = Buffer.from(buf.buffer, buf.byteOffset);
  return view.toString("utf16le", 0, n * 2);
}

let view: Buffer = Buffer.alloc(0);

function grow(buf: Uint16Array, n: number, need: number): Uint16Array<ArrayBuffer> {
  const b = new Uint16Array(Math.max(need, buf.length * 2));
  b.set(buf.subarray(0, n));
  return b;
}

/** Bit set in a fused pass's flags where a previous pass (normalisation) would act. */
export const BAIL = 16;

/** Set by {@link convertInto}: something was replaced. */
let lastChanged = false;

/**
 * Converts `s.slice(start, end)` as opencc-js's `Trie.convert` would convert that slice on
 * its own, appending the output to `outBuf` from `n0`; returns the new length. Every code
 * unit is written (cheaper than tracking copy ranges). With `flags` carrying {@link BAIL}
 * bits, returns -1 as soon as such a unit is reached outside a description sequence.
 */
function convertInto(
  d: CompiledDict,
  s: string,
  start: number,
  end: number,
  flags: Uint8Array,
  n0: number,
): number {
  const single = d.single;
  const pairs = d.pairs;
  let buf = outBuf;
  if (buf.length < n0 + end - start + 16) buf = outBuf = grow(buf, n0, n0 + end - start + 1024);
  let n = n0;
  let changed = false;
  let memo: Map<number, number> | undefined;
  let i = start;
  while (i < end) {
    const u = charCodeAt.call(s, i);
    const f = flags[u];
    if (f === 0) {
      buf[n++] = u;
      i++;
      // The rest of the run in a loop of its own: most text is runs the table leaves alone.
      while (i < end) {
        const c = charCodeAt.call(s, i);
        const g = flags[c];
        // Plain one-unit replacements, and phrase heads with no key starting here, stay in
        // the loop too.
        if (g === 0) buf[n++] = c;
        else if (g === MAPPED) {
          buf[n++] = single[c];
          changed = true;
        } else if (
          g === PHRASE &&
          !(i + 1 < end && pairs[(c * 7 + charCodeAt.call(s, i + 1)) & PAIR_MASK] !== 0)
        ) buf[n++] = c;
        else break;
        i++;
      }
      continue;
    }
    if (f & BAIL) return -1;
    let rep: string | undefined;
    let repEnd = 0;
    if (f & PHRASE && i + 1 < end && pairs[(u * 7 + charCodeAt.call(s, i + 1)) & PAIR_MASK] !== 0) {
      repEnd = phraseEnd(d, s, i, end, null);
      if (repEnd > 0) rep = phraseValue;
    }
    if (rep === undefined) {
      if (f & MAPPED) {
        const r = single[u];
        if (r >= 0) {
          buf[n++] = r;
          changed = true;
          i++;
          continue;
        }
        rep = d.multi.get(u)!;
        repEnd = i + 1;
      } else if ((f & (IDS | SURROGATE)) === 0) {
        // A phrase head with no phrase here: copied as one unit.
        buf[n++] = u;
        i++;
        continue;
      } else {
        let e = f & IDS ? idsEnd(s, i, end, memo ??= new Map()) : 0;
        if (e === 0) e = i + cpLen(s, i, end);
        for (; i < e; i++) {
          const c = charCodeAt.call(s, i);
          if (c >= 0xd800 && c < 0xe000) {
            if (c < 0xdc00 && i + 1 < end) {
              const c2 = charCodeAt.call(s, i + 1);
              if (c2 >= 0xdc00 && c2 < 0xe000) {
                buf[n++] = c;
                buf[n++] = c2;
                i++;
                continue;
              }
            }
          }
          buf[n++] = c;
        }
        continue;
      }
    }
    if (n + rep.length + (end - repEnd) > buf.length) {
      buf = outBuf = grow(buf, n, n + rep.length + (end - repEnd) + 16);
    }
    for (let k = 0; k < rep.length; k++) buf[n++] = charCodeAt.call(rep, k);
    changed = true;
    i = repEnd;
  }
  lastChanged = changed;
  return n;
}

/**
 * Converts `s.slice(start, end)` with one compiled dictionary group, as opencc-js's
 * `Trie.convert` would convert that slice on its own; null when `flags` has a
 * {@link BAIL} unit in it.
 */
export function convertRange(
  d: CompiledDict,
  s: string,
  start = 0,
  end = s.length,
  flags: Uint8Array = d.flags,
): string | null {
  const n = convertInto(d, s, start, end, flags, 0);
  if (n < 0) return null;
  if (!lastChanged) return start === 0 && end === s.length ? s : s.slice(start, end);
  return decode(outBuf, n);
}

/** What {@link convertLayered} needs of a page's rules (`RuleLayer` in `_page_rules.ts`). */
export interface LayerLike {
  /** Bit 1: a one-unit key is this unit; bit 2: a longer key starts with it. */
  readonly starts: Uint8Array | null;
  /** Non-zero where a longer key may start with the pair (a, b) at `(a * 7 + b) & 0xffff`. */
  readonly pairs: Uint8Array | null;
  readonly hasRemovals: boolean;
  readonly map: Map<string, string | null>;
  longestLiveAt(s: string, i: number): string | undefined;
}

/**
 * Whether a page rule may start at `s[i]` (= `u`, whose {@link LayerLike.starts} entry is
 * `st`): a one-unit key is `u`, or the pair filter lets the next unit through. Most places
 * a key's first unit occurs, no key matches; there the tables alone decide.
 */
function pageMayStart(st: number, pp: Uint8Array | null, s: string, i: number, u: number): boolean {
  return (st & 1) !== 0 ||
    (pp !== null && i + 1 < s.length && pp[(u * 7 + charCodeAt.call(s, i + 1)) & 0xffff] !== 0);
}

/**
 * Converts `s` with a table and a page's rules in one leftmost-longest pass: at each
 * position the longest of the table's keys and the page's wins, the page's on a tie; a
 * table key the page removed (`-{-|…}-`) does not match. Output goes to the reused buffer,
 * and the stretches where neither can match are copied in a loop of their own.
 */
export function convertLayered(d: CompiledDict, s: string, page: LayerLike): string {
  const flags = d.flags;
  const single = d.single;
  const pairs = d.pairs;
  const ps = page.starts!;
  const pp = page.pairs;
  const removals = page.hasRemovals;
  const live = (from: number, to: number) => !removals || page.map.get(s.slice(from, to)) !== null;
  const len = s.length;
  let buf = outBuf;
  if (buf.length < len + 16) buf = outBuf = grow(buf, 0, len + 1024);
  let n = 0;
  let changed = false;
  let i = 0;
  while (i < len) {
    while (i < len) {
      const c = charCodeAt.call(s, i);
      if (ps[c] !== 0 && pageMayStart(ps[c], pp, s, i, c)) break;
      const g = flags[c];
      if (g === 0) buf[n++] = c;
      else if (g === MAPPED && !removals) {
        buf[n++] = single[c];
        changed = true;
      } else if (
        g === PHRASE &&
        !(i + 1 < len && pairs[(c * 7 + charCodeAt.call(s, i + 1)) & PAIR_MASK] !== 0)
      ) buf[n++] = c;
      else break;
      i++;
    }
    if (i >= len) break;
    const u = charCodeAt.call(s, i);
    const f = flags[u];
    let end = 0;
    let value: string | undefined;
    if (f & PHRASE && i + 1 < len && pairs[(u * 7 + charCodeAt.call(s, i + 1)) & PAIR_MASK] !== 0) {
      end = phraseEnd(d, s, i, len, removals ? live : null);
      if (end > 0) value = phraseValue;
    }
    if (value === undefined && f & MAPPED && live(i, i + 1)) {
      end = i + 1;
      value = single[u] >= 0 ? String.fromCharCode(single[u]) : d.multi.get(u)!;
    }
    if (ps[u] !== 0 && pageMayStart(ps[u], pp, s, i, u)) {
      const k = page.longestLiveAt(s, i);
      if (k !== undefined && i + k.length >= end) {
        end = i + k.length;
        value = page.map.get(k)!;
      }
    }
    if (value === undefined) {
      buf[n++] = u;
      i++;
      continue;
    }
    if (n + value.length + (len - end) + 16 > buf.length) {
      buf = outBuf = grow(buf, n, n + value.length + (len - end) + 1024);
    }
    for (let k = 0; k < value.length; k++) buf[n++] = charCodeAt.call(value, k);
    changed = true;
    i = end;
  }
  if (!changed) return s;
  return decode(buf, n);
}

/**
 * Split points of opencc-js's `Trie.segment` for a segmentation dictionary: each matched
 * key is a segment, each run of unmatched text is one segment.
 */
export function segmentBounds(d: CompiledDict, s: string): number[] {
  const bounds: number[] = [0];
  const end = s.length;
  let i = 0;
  let inRun = false;
  let memo: Map<number, number> | undefined;
  while (i < end) {
    const u = charCodeAt.call(s, i);
    const f = d.flags[u];
    let mEnd = -1;
    if (
      f & PHRASE && i + 1 < end && d.pairs[(u * 7 + charCodeAt.call(s, i + 1)) & PAIR_MASK] !== 0
    ) {
      mEnd = phraseEnd(d, s, i, end, null) || -1;
    }
    if (mEnd < 0 && f & MAPPED) mEnd = i + 1;
    if (mEnd > 0) {
      if (inRun) bounds.push(i);
      inRun = false;
      if (bounds[bounds.length - 1] !== i) bounds.push(i);
      bounds.push(mEnd);
      i = mEnd;
      continue;
    }
    inRun = true;
    if (f & IDS) {
      const e = idsEnd(s, i, end, memo ??= new Map());
      i = e > 0 ? e : i + 1;
    } else i += cpLen(s, i, end);
  }
  if (bounds[bounds.length - 1] !== end) bounds.push(end);
  return bounds;
}

/**
 * Target size of the pieces long text is converted in: 32 K code units (a 64 KB output
 * buffer that stays in cache) measured 10–20% faster on 55 MB than 256 K, in 5 in-process
 * A/B runs.
 */
export const PIECE = 1 << 15;

/**
 * End of the piece starting at `from`: just after the last newline before `from + PIECE`
 * that no description operator precedes closely (a description sequence may take a newline
 * as an operand, and must not be cut); the whole rest when there is no such newline.
 */
export function pieceEnd(s: string, from: number): number {
  if (s.length - from <= PIECE) return s.length;
  let nl = s.lastIndexOf("\n", from + PIECE - 1);
  while (nl >= from) {
    let near = false;
    for (let k = Math.max(from, nl - 32); k < nl; k++) {
      const u = charCodeAt.call(s, k);
      if (u >= 0x2ff0 && u <= 0x2fff) {
        near = true;
        break;
      }
    }
    if (!near) return nl + 1;
    nl = s.lastIndexOf("\n", nl - 1);
  }
  // No usable newline before the limit: take the first one after it, or everything.
  const next = s.indexOf("\n", from + PIECE);
  return next < 0 ? s.length : next + 1;
}

/** A whole opencc-js configuration: normalisation, optional segmentation, stages. */
export interface ChainSpec {
  normalization: readonly (readonly DictLike[])[];
  segmentation?: readonly DictLike[];
  stages: readonly (readonly DictLike[])[];
}

/** A compiled configuration; `convert` matches opencc-js's converter for the same config. */
export class ConverterChain {
  private readonly norm: CompiledDict[];
  private readonly seg: CompiledDict | undefined;
  private readonly stages: CompiledDict[];
  private readonly fused: Uint8Array | undefined;

  constructor(spec: ChainSpec, cache?: Map<readonly DictLike[], CompiledDict>) {
    const compile = (g: readonly DictLike[]) => {
      let c = cache?.get(g);
      if (c === undefined) {
        c = new CompiledDict(g);
        cache?.set(g, c);
      }
      return c;
    };
    this.norm = spec.normalization.map(compile);
    this.seg = spec.segmentation ? compile(spec.segmentation) : undefined;
    this.stages = spec.stages.map(compile);
    // Fusing normalisation into the first stage is exact when normalisation is one group
    // of one-code-point keys and no phrase of the first stage contains a normalised unit
    // (normalisation then never changes where the first stage's keys match).
    if (
      this.seg === undefined && this.norm.length === 1 && this.norm[0].trieHasOnlyAstralSingles() &&
      this.stages.length > 0 && !this.stages[0].phraseUses(this.norm[0].flags, MAPPED | PHRASE)
    ) {
      const fused = this.stages[0].flags.slice();
      const nf = this.norm[0].flags;
      for (let u = 0; u < 65536; u++) {
        if (nf[u] & (MAPPED | PHRASE)) fused[u] |= BAIL;
      }
      this.fused = fused;
    }
  }

  /**
   * Converts `s`. Long text is converted in pieces of about {@link PIECE} code units cut
   * just after a newline (no key contains one), so buffers stay small.
   */
  convert(s: string): string {
    if (s.length <= PIECE) return this.convertPiece(s, 0, s.length);
    const out: string[] = [];
    let from = 0;
    while (from < s.length) {
      const cut = pieceEnd(s, from);
      out.push(this.convertPiece(s, from, cut));
      from = cut;
    }
    return out.join("");
  }

  /** Converts `s.slice(from, to)` as if it were the whole string. */
  private convertPiece(s: string, from: number, to: number): string {
    if (this.fused !== undefined) {
      // One pass when no normalisation key occurs (the usual case).
      const r = convertRange(this.stages[0], s, from, to, this.fused);
      if (r !== null) {
        s = r;
        for (let k = 1; k < this.stages.length; k++) s = convertRange(this.stages[k], s)!;
        return s;
      }
    }
    if (from !== 0 || to !== s.length) s = s.slice(from, to);
    for (const d of this.norm) s = convertRange(d, s)!;
    if (this.seg === undefined) {
      for (const d of this.stages) s = convertRange(d, s)!;
      return s;
    }
    // Each segment is converted on its own by every stage, as opencc-js does; the outputs
    // of one stage go to one buffer, with their bounds, for the next.
    let bounds = segmentBounds(this.seg, s);
    for (const d of this.stages) {
      let n = 0;
      let any = false;
      const next = [0];
      for (let k = 0; k + 1 < bounds.length; k++) {
        n = convertInto(d, s, bounds[k], bounds[k + 1], d.flags, n);
        any ||= lastChanged;
        next.push(n);
      }
      if (any) {
        s = decode(outBuf, n);
        bounds = next;
      }
    }
    return s;
  }
}
