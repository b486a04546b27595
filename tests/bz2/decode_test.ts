import { crc32 } from "../../src/bz2/_crc.ts";
import { Bzip2DecompressionStream } from "../../src/bz2/mod.ts";
import { assert, assertEquals, chunk, CHUNKINGS, concat, streamOf } from "../_assert.ts";
import { decodeOk, fixedChunks, fixture, magics, THREADS } from "./_util.ts";

Deno.test("Bzip2DecompressionStream decodes files compressed at every level -1..-9", async () => {
  const original = fixture("text.bin");
  for (let level = 1; level <= 9; level++) {
    const compressed = fixture(`text-${level}.bz2`);
    for (const threads of THREADS) {
      const out = await decodeOk(compressed, { threads });
      assertEquals(out, original, `level ${level}, threads ${threads}`);
    }
  }
});

Deno.test("Bzip2DecompressionStream fixture at -1 has several blocks", () => {
  // The chunking and error tests below rely on this.
  const blocks = magics(fixture("text-1.bz2")).filter((m) => !m.eos);
  assertEquals(blocks.length, 3);
});

Deno.test("Bzip2DecompressionStream gives the same output for any chunking", async () => {
  const original = fixture("text.bin");
  const compressed = fixture("text-1.bz2");
  const cuts: [string, Uint8Array[]][] = CHUNKINGS.map((how) => [how, chunk(compressed, how, 5)]);
  cuts.push(["odd 4093", fixedChunks(compressed, 4093)]);
  cuts.push(["odd 7", fixedChunks(compressed, 7)]);
  cuts.push(["1 MiB", fixedChunks(compressed, 1 << 20)]);
  for (const [name, chunks] of cuts) {
    for (const threads of [0, 2]) {
      assertEquals(await decodeOk(chunks, { threads }), original, `${name}, threads ${threads}`);
    }
  }
});

Deno.test("Bzip2DecompressionStream decodes empty, one-byte, random, run-heavy and periodic data", async () => {
  for (const name of ["empty", "one", "random", "runs"]) {
    const original = fixture(`${name}.bin`);
    for (const threads of THREADS) {
      assertEquals(await decodeOk(fixture(`${name}.bz2`), { threads }), original, name);
    }
  }
  // Same originals as scripts/make_bz2_fixtures.ts.
  const periodic: [string, string][] = [["periodic8", "abcdefgh".repeat(37_500)], [
    "periodic3",
    "xyz".repeat(100_000),
  ]];
  for (const [name, text] of periodic) {
    const original = new TextEncoder().encode(text);
    for (const threads of THREADS) {
      assertEquals(await decodeOk(fixture(`${name}.bz2`), { threads }), original, name);
    }
  }
  assertEquals(fixture("empty.bin").length, 0);
  assertEquals(fixture("one.bin").length, 1);
});

Deno.test("Bzip2DecompressionStream decodes concatenated streams", async () => {
  const original = fixture("text.bin");
  const compressed = fixture("multistream.bz2");
  assert(magics(compressed).filter((m) => m.eos).length >= 6, "fixture has 6 streams");
  for (const threads of THREADS) {
    assertEquals(await decodeOk(compressed, { threads }), original, `threads ${threads}`);
    assertEquals(await decodeOk(chunk(compressed, "random", 9), { threads }), original);
  }
});

Deno.test("Bzip2DecompressionStream sees through magics that occur inside blocks", async () => {
  const compressed = fixture("false-magic.bz2");
  const found = magics(compressed);
  // Each block's symbol map spells both magics: 3 real blocks, 1 real end, 6 false ones.
  assertEquals(found.length, 10);
  const original = fixture("false-magic.bin");
  for (const threads of THREADS) {
    for (const how of ["whole", "random"] as const) {
      const out = await decodeOk(chunk(compressed, how, 3), { threads });
      assertEquals(out, original, `threads ${threads}, ${how}`);
    }
  }
});

Deno.test("Bzip2DecompressionStream emits a block of long runs in pieces of at most 4 MiB", async () => {
  // Block 1 of this file expands to 45.9 MB: it must not be held in memory whole.
  const sizes: number[] = [];
  const s = streamOf([fixture("zeros-50m.bz2")]).pipeThrough(
    new Bzip2DecompressionStream({ threads: 2 }),
  );
  for await (const c of s) sizes.push(c.length);
  assertEquals(sizes.reduce((a, b) => a + b, 0), 50_000_000);
  assert(sizes.every((n) => n <= 4 << 20), `largest piece ${Math.max(...sizes)}`);
  assert(sizes.length >= 12, `${sizes.length} pieces`);
});

Deno.test("Bzip2DecompressionStream hands on a block in pieces of at most 256 KiB", async () => {
  // text-9.bz2 is one block of 274 KB.
  const original = fixture("text.bin");
  for (const threads of [0, 2]) {
    const sizes: number[] = [];
    const parts: Uint8Array[] = [];
    const s = streamOf([fixture("text-9.bz2")]).pipeThrough(
      new Bzip2DecompressionStream({ threads }),
    );
    for await (const c of s) {
      sizes.push(c.length);
      parts.push(c.slice());
    }
    assertEquals(sizes, [256 << 10, original.length - (256 << 10)], `threads ${threads}`);
    assertEquals(concat(parts), original, `threads ${threads}`);
  }
});

Deno.test("Bzip2DecompressionStream expands 50 MB of zeros (largest output per block)", async () => {
  for (const threads of [0, 2]) {
    const out = await decodeOk(fixture("zeros-50m.bz2"), { threads });
    assertEquals(out.length, 50_000_000);
    assert(out.every((b) => b === 0), "all zero");
  }
});

Deno.test("Bzip2DecompressionStream works with any number of workers and in-flight blocks", async () => {
  const original = fixture("text.bin");
  const compressed = fixture("text-1.bz2");
  for (const [threads, maxInFlight] of [[1, 1], [3, 2], [4, 16], [2, undefined]]) {
    const out = await decodeOk(chunk(compressed, "random", threads), { threads, maxInFlight });
    assertEquals(crc32(out), crc32(original), `threads ${threads}, maxInFlight ${maxInFlight}`);
    assertEquals(out, original);
  }
});
