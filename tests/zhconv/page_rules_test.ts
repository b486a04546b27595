import { CompiledDict, convertLayered } from "../../src/zhconv/_table.ts";
import { RuleLayer } from "../../src/zhconv/_page_rules.ts";
import { assertEquals } from "../_assert.ts";

/** A small deterministic generator, so a failure names a case that can be run again. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * What the page's rules and the table must give, by brute force: at each position the
 * longest table key the page did not remove, unless a live page key at least as long
 * matches; otherwise the unit is copied.
 */
function reference(
  table: Map<string, string>,
  page: Map<string, string | null>,
  s: string,
): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    let best = 0;
    let value: string | undefined;
    for (const [k, v] of table) {
      if (k.length > best && s.startsWith(k, i) && page.get(k) !== null) {
        best = k.length;
        value = v;
      }
    }
    for (const [k, v] of page) {
      if (v !== null && k.length >= best && s.startsWith(k, i)) {
        best = k.length;
        value = v;
      }
    }
    if (value === undefined) {
      out += s[i];
      i++;
    } else {
      out += value;
      i += best;
    }
  }
  return out;
}

Deno.test("convertLayered does what brute-force longest matching of table and page rules does", () => {
  // Few units, so keys share first units and pairs often: the page's filters are exercised
  // where they must let a match through and where they must not.
  const alphabet = "甲乙丙丁戊ab";
  const next = rng(20261201);
  const word = (max: number) => {
    let w = "";
    const n = 1 + Math.floor(next() * max);
    for (let k = 0; k < n; k++) w += alphabet[Math.floor(next() * alphabet.length)];
    return w;
  };
  for (let round = 0; round < 1500; round++) {
    const table = new Map<string, string>();
    for (let k = 0; k < 8; k++) table.set(word(3), `<t${k}>`);
    const d = new CompiledDict([[...table]], false);
    const layer = new RuleLayer();
    const page = new Map<string, string | null>();
    for (let k = 0; k < 6; k++) {
      const key = next() < 0.3 ? [...table.keys()][k % table.size] : word(3);
      const value = next() < 0.2 ? null : `<p${k}>`;
      layer.set(key, value);
      page.set(key, value);
    }
    for (let t = 0; t < 4; t++) {
      let s = "";
      const n = Math.floor(next() * 30);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(next() * alphabet.length)];
      assertEquals(
        convertLayered(d, s, layer),
        reference(table, page, s),
        `round ${round}, text ${JSON.stringify(s)}`,
      );
    }
  }
});

Deno.test("RuleLayer.clone gives a layer that changes apart from the original", () => {
  const a = new RuleLayer();
  a.set("甲", "A");
  a.set("甲乙", "AB");
  a.set("丙", "C");
  const b = a.clone();
  // The clone adds a key to a shared list, replaces one and removes one.
  b.set("甲乙丙", "ABC");
  b.set("丙", "c");
  b.set("甲", null);
  // The original adds a key to the same list after the clone did.
  a.set("甲丁", "AD");
  assertEquals(a.longestLiveAt("甲乙丙", 0), "甲乙");
  assertEquals(b.longestLiveAt("甲乙丙", 0), "甲乙丙");
  assertEquals(a.longestAt("甲丁", 0), "甲丁");
  assertEquals(b.longestAt("甲丁", 0), "甲");
  assertEquals(b.longestLiveAt("甲丁", 0), undefined);
  assertEquals([a.map.get("丙"), b.map.get("丙")], ["C", "c"]);
  assertEquals([a.hasRemovals, b.hasRemovals], [false, true]);
  assertEquals([a.size, b.size], [4, 4]);
  // A clone of a clone, and the starts and pairs filters, stay apart too.
  const c = b.clone();
  c.set("戊己", "EF");
  assertEquals([a.starts![0x620a], b.starts![0x620a], c.starts![0x620a]], [0, 0, 2]);
  assertEquals(c.longestLiveAt("戊己", 0), "戊己");
  assertEquals(b.longestLiveAt("戊己", 0), undefined);
});
