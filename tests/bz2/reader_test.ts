import { Bz2Reader, decodeStreams } from "../../src/bz2/mod.ts";
import { MAX_OUT } from "../../src/bz2/_block.ts";
import { assert, assertEquals, concat } from "../_assert.ts";
import { decodeOk, fixture } from "./_util.ts";

const NAMES = ["text-1", "text-9", "multistream", "empty", "one", "random", "runs", "periodic3"];

Deno.test("Bz2Reader gives the same bytes as the stream for every fixture", async () => {
  for (const name of NAMES) {
    const compressed = fixture(`${name}.bz2`);
    const expected = await decodeOk(compressed, { threads: 0 });
    assertEquals(concat(decodeStreams(compressed, 0)), expected, name);
  }
});

Deno.test("Bz2Reader yields a run-heavy block in pieces of at most 4 MB", () => {
  // 50 MB of zeros in 81 bytes: held whole it would be one 50 MB buffer.
  const reader = new Bz2Reader(fixture("zeros-50m.bz2"));
  let total = 0;
  let pieces = 0;
  for (let p; (p = reader.next()) !== null;) {
    assert(p.length <= MAX_OUT, `piece of ${p.length} bytes`);
    for (let i = 0; i < p.length; i++) assert(p[i] === 0, "zeros only");
    total += p.length;
    pieces++;
  }
  assertEquals(total, 50_000_000);
  assert(pieces >= 12, `${pieces} pieces`);
  assertEquals(reader.next(), null);
});

Deno.test("Bz2Reader fed in pieces gives the bytes of the whole input, one reused buffer or not", async () => {
  for (const name of NAMES) {
    const compressed = fixture(`${name}.bz2`);
    const expected = await decodeOk(compressed, { threads: 0 });
    for (const reuseOutput of [false, true]) {
      for (const size of [1, 777, 65536]) {
        const reader = new Bz2Reader(new Uint8Array(0), { partial: true, reuseOutput });
        const out: Uint8Array[] = [];
        let at = 0;
        let starved = 0;
        for (;;) {
          const p = reader.next();
          if (p !== null) {
            out.push(p.slice()); // a reused buffer is valid only until the next call
            continue;
          }
          if (!reader.starved) break;
          starved++;
          if (at < compressed.length) reader.feed(compressed.subarray(at, at += size));
          else reader.finish();
        }
        assertEquals(concat(out), expected, `${name} ${size} ${reuseOutput}`);
        assert(starved > 0, "it asked for input");
      }
    }
  }
});

Deno.test("Bz2Reader fed in pieces reports damage after the bytes before it", () => {
  const compressed = fixture("text-9.bz2").slice();
  compressed[compressed.length >> 1] ^= 0xff;
  const reader = new Bz2Reader(new Uint8Array(0), { partial: true });
  let at = 0;
  let error: unknown = null;
  try {
    for (;;) {
      const p = reader.next();
      if (p !== null) continue;
      if (!reader.starved) break;
      if (at < compressed.length) reader.feed(compressed.subarray(at, at += 4096));
      else reader.finish();
    }
  } catch (e) {
    error = e;
  }
  let whole: unknown = null;
  try {
    decodeStreams(compressed, 0);
  } catch (e) {
    whole = e;
  }
  assert(error instanceof Error && whole instanceof Error, `${error} / ${whole}`);
  assertEquals(error.message, whole.message);
});

Deno.test("Bz2Reader with reuseOutput yields a run-heavy block's pieces in one reused buffer", () => {
  const reader = new Bz2Reader(fixture("zeros-50m.bz2"), { reuseOutput: true });
  let total = 0;
  const buffers = new Set<ArrayBufferLike>();
  for (let p; (p = reader.next()) !== null;) {
    assert(p.length <= MAX_OUT, `piece of ${p.length} bytes`);
    assert(p.every((b) => b === 0), "zeros only");
    total += p.length;
    buffers.add(p.buffer);
  }
  assertEquals(total, 50_000_000);
  // One for the long block's pieces, one for whole blocks' output: not one per piece.
  assert(buffers.size <= 2, `${buffers.size} buffers`);
});
