/**
 * A page's manual conversion table (from `-{H|…}-`, `-{A|…}-`, NoteTA and groups),
 * matched before the character tables: at each position the longest rule key wins and
 * its value is written as is; the text between matches goes to the tables.
 *
 * @module
 */

/** Slot of the pair of code units (a, b) in {@link RuleLayer.pairs}. */
export function pairIndex(a: number, b: number): number {
  return (a * 7 + b) & 0xffff;
}

/** Rules keyed by their first code unit, for a cheap "can a rule start here" test. */
export class RuleLayer {
  /** Read-only outside: {@link set} may replace it with a copy (see {@link clone}). */
  map: Map<string, string | null>;
  private byFirst = new Map<number, string[]>();
  /**
   * Non-zero for code units some key starts with (allocated with the first rule): bit 1
   * where a one-unit key is that unit, bit 2 where a longer key starts with it.
   */
  starts: Uint8Array | null = null;
  /**
   * Non-zero where a key of two or more units may start with that pair of units (hashed
   * as {@link pairIndex}): most places a key's first unit occurs, none of them matches.
   */
  pairs: Uint8Array | null = null;
  /** True once some key maps to null (removed by `-{-|…}-`). */
  hasRemovals = false;

  /** First units whose key list this layer may change (null: all; see {@link clone}). */
  private owned: Set<number> | null = null;
  /** `map`, `byFirst`, `starts` and `pairs` are shared with a clone: copied before a change. */
  private shared = false;

  constructor(map?: Map<string, string | null>) {
    this.map = map ?? new Map();
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * A layer with the same rules, to go on separately. Nothing is copied until either
   * layer changes: many pages start with the same groups and add no rule of their own, and
   * copying a large group's layer (its map and two 64 KB filters) was a fifth of
   * conversion's self time. Even then the key lists stay shared until a key is added to one.
   */
  clone(): RuleLayer {
    const c = new RuleLayer(this.map);
    c.byFirst = this.byFirst;
    c.starts = this.starts;
    c.pairs = this.pairs;
    c.hasRemovals = this.hasRemovals;
    c.shared = this.shared = true;
    return c;
  }

  /** Takes copies of what a clone shares, before this layer changes. */
  private unshare(): void {
    this.shared = false;
    this.map = new Map(this.map);
    this.byFirst = new Map(this.byFirst);
    this.starts = this.starts?.slice() ?? null;
    this.pairs = this.pairs?.slice() ?? null;
    this.owned = new Set();
  }

  /** Adds or replaces a rule; a key starting with a low surrogate could never match. */
  set(from: string, to: string | null): void {
    if (from === "") return;
    const u = from.charCodeAt(0);
    if (u >= 0xdc00 && u < 0xe000) return;
    if (this.shared) this.unshare();
    if (!this.map.has(from)) {
      let list = this.byFirst.get(u);
      if (!list) {
        this.byFirst.set(u, list = []);
        this.owned?.add(u);
      } else if (this.owned !== null && !this.owned.has(u)) {
        this.byFirst.set(u, list = list.slice());
        this.owned.add(u);
      }
      list.push(from);
      const starts = this.starts ??= new Uint8Array(65536);
      if (from.length === 1) starts[u] |= 1;
      else {
        starts[u] |= 2;
        (this.pairs ??= new Uint8Array(65536))[pairIndex(u, from.charCodeAt(1))] = 1;
      }
    }
    this.map.set(from, to);
    if (to === null) this.hasRemovals = true;
  }

  /** Longest key matching `s` at `i` whose value is not null (not removed), or undefined. */
  longestLiveAt(s: string, i: number): string | undefined {
    const list = this.byFirst.get(s.charCodeAt(i));
    if (!list) return undefined;
    let best: string | undefined;
    for (const k of list) {
      if (
        (best === undefined || k.length > best.length) && s.startsWith(k, i) &&
        this.map.get(k) !== null
      ) best = k;
    }
    return best;
  }

  /** Longest key matching `s` at `i`, or undefined. */
  longestAt(s: string, i: number): string | undefined {
    const list = this.byFirst.get(s.charCodeAt(i));
    if (!list) return undefined;
    let best: string | undefined;
    for (const k of list) {
      if ((best === undefined || k.length > best.length) && s.startsWith(k, i)) best = k;
    }
    return best;
  }
}

/**
 * Converts `s`: page rules (then dump-wide rules) first, `tables` for the rest. A page
 * value of null means "removed by `-{-|…}-`": it masks a dump-wide rule with that key.
 */
export function convertWithRules(
  s: string,
  page: RuleLayer | null,
  global: RuleLayer | null,
  tables: (s: string) => string,
): string {
  if ((page === null || page.size === 0) && (global === null || global.size === 0)) {
    return tables(s);
  }
  const ps = page?.starts ?? null;
  const gs = global?.starts ?? null;
  let out = "";
  let gap = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const u = s.charCodeAt(i);
    if (!(ps && ps[u]) && !(gs && gs[u])) {
      i++;
      continue;
    }
    const pk = ps && ps[u] ? page!.longestAt(s, i) : undefined;
    const gk = gs && gs[u] ? global!.longestAt(s, i) : undefined;
    let key: string | undefined;
    let value: string | null | undefined;
    if (pk !== undefined && (gk === undefined || pk.length >= gk.length)) {
      key = pk;
      value = page!.map.get(pk);
    } else if (gk !== undefined) {
      key = gk;
      value = page?.map.has(gk) ? page.map.get(gk) : global!.map.get(gk);
    }
    if (key === undefined || value === null || value === undefined) {
      i++;
      continue;
    }
    if (gap < i) out += tables(s.slice(gap, i));
    out += value;
    i += key.length;
    gap = i;
  }
  if (gap === 0) return tables(s);
  if (gap < n) out += tables(s.slice(gap));
  return out;
}
