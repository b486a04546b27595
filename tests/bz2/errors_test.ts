import { Bz2FormatError } from "../../src/errors.ts";
import { BlockDecoder } from "../../src/bz2/_block.ts";
import { Bz2Reader } from "../../src/bz2/mod.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  chunk,
  concat,
} from "../_assert.ts";
import { decode, fixture, magics, THREADS } from "./_util.ts";

const original = fixture("text.bin");
const compressed = fixture("text-1.bz2");
const marks = magics(compressed);
const [b1, b2, b3, eos] = marks;
/** Output of the first block alone: what must be emitted before an error in block 2. */
const block1 = (() => {
  const r = new BlockDecoder().decode(compressed, b1.bit, b2.bit);
  if (r.kind !== "ok") throw new Error("fixture block 1 does not decode");
  return r.out;
})();

function flip(data: Uint8Array, bit: number): Uint8Array {
  const out = data.slice();
  out[bit >>> 3] ^= 0x80 >>> (bit & 7);
  return out;
}

/** Decodes with every thread setting (and byte-by-byte once); all must agree. */
async function expectError(
  input: Uint8Array,
  message: string,
  byteOffset: number,
  emitted: Uint8Array,
  block?: number,
): Promise<void> {
  const runs = THREADS.map((threads) => ({ threads, chunks: [input] }));
  runs.push({ threads: 2, chunks: chunk(input, "bytes1") });
  runs.push({ threads: 0, chunks: chunk(input, "random", 4) });
  for (const { threads, chunks } of runs) {
    const where = `threads ${threads}, ${chunks.length} chunks`;
    const { out, error } = await decode(chunks, { threads });
    assert(error instanceof Bz2FormatError, `${where}: expected Bz2FormatError, got ${error}`);
    assertEquals(error.message, message, where);
    assertEquals(error.byteOffset, byteOffset, `${where}: byteOffset`);
    assertEquals(error.block, block, `${where}: block`);
    assertEquals(out, emitted, `${where}: output before the error`);
  }
  // The plain reader agrees, with offsets counted from where its bytes sit in a file.
  const pieces: Uint8Array[] = [];
  const reader = new Bz2Reader(input, { baseOffset: 1000 });
  const error = await assertRejects(() => {
    for (let p; (p = reader.next()) !== null;) pieces.push(p);
  }, Bz2FormatError);
  assertEquals([error.message, error.byteOffset, error.block], [message, byteOffset + 1000, block]);
  assertEquals(concat(pieces), emitted, "Bz2Reader: output before the error");
}

Deno.test("Bzip2DecompressionStream fixture layout for the error tests", () => {
  assertEquals(marks.map((m) => m.eos), [false, false, false, true]);
  assert(block1.length > 0 && block1.length < original.length);
  assertEquals(block1, original.subarray(0, block1.length));
});

Deno.test("Bzip2DecompressionStream rejects a wrong magic", async () => {
  const none = new Uint8Array(0);
  await expectError(new TextEncoder().encode("PK\x03\x04 not bzip2"), "bad bzip2 magic", 0, none);
  const level0 = compressed.slice();
  level0[3] = 0x30; // "BZh0"
  await expectError(level0, "bad bzip2 magic", 0, none);
  await expectError(new Uint8Array([0x1f, 0x8b, 8, 0, 0]), "bad bzip2 magic", 0, none);
});

Deno.test("Bzip2DecompressionStream rejects empty input, like bzip2 -dc", async () => {
  await expectError(new Uint8Array(0), "empty input: no bzip2 stream", 0, new Uint8Array(0));
});

Deno.test("Bzip2DecompressionStream reports truncation in the header", async () => {
  const msg = "truncated input: stream ended inside the stream header";
  await expectError(compressed.subarray(0, 3), msg, 0, new Uint8Array(0));
  await expectError(
    compressed.subarray(0, 4),
    "truncated input: stream ended before the end-of-stream marker",
    4,
    new Uint8Array(0),
    1,
  );
});

Deno.test("Bzip2DecompressionStream emits the blocks before a truncation mid-block", async () => {
  const cut = Math.floor((b2.bit + b3.bit) / 16);
  await expectError(
    compressed.subarray(0, cut),
    "truncated input: stream ended inside block 2",
    Math.floor(b2.bit / 8),
    block1,
    2,
  );
});

Deno.test("Bzip2DecompressionStream reports truncation before the stream CRC", async () => {
  const cut = Math.ceil((eos.bit + 48) / 8) + 1;
  await expectError(
    compressed.subarray(0, cut),
    "truncated input: stream ended before the stream CRC",
    Math.floor(eos.bit / 8),
    original,
  );
});

Deno.test("Bzip2DecompressionStream names the block whose CRC does not match", async () => {
  // A flipped bit in the stored CRC, then one in the coded data of block 2.
  const at = Math.floor(b2.bit / 8);
  await expectError(flip(compressed, b2.bit + 48 + 9), "CRC mismatch in block 2", at, block1, 2);
  await expectError(
    flip(compressed, b2.bit + 20000),
    "CRC mismatch in block 2",
    at,
    block1,
    2,
  );
});

Deno.test("Bzip2DecompressionStream checks the combined stream CRC", async () => {
  await expectError(
    flip(compressed, eos.bit + 48 + 3),
    "stream CRC mismatch in stream 1",
    Math.floor(eos.bit / 8),
    original,
  );
});

Deno.test("Bzip2DecompressionStream rejects trailing garbage after the last stream", async () => {
  const msg = "trailing garbage after the last bzip2 stream";
  const n = compressed.length;
  const garbage = new TextEncoder().encode("garbage");
  await expectError(concat([compressed, garbage]), msg, n, original);
  await expectError(concat([compressed, new Uint8Array(3)]), msg, n, original);
  // A second stream cut inside its header is a truncation, not garbage.
  await expectError(
    concat([compressed, compressed.subarray(0, 2)]),
    "truncated input: stream ended inside the stream header",
    n,
    original,
  );
});

Deno.test("Bzip2DecompressionStream rejects randomised blocks with a clear message", async () => {
  await expectError(
    flip(compressed, b1.bit + 80),
    "randomised block (bzip2 0.9.0 format) is not supported in block 1",
    Math.floor(b1.bit / 8),
    new Uint8Array(0),
    1,
  );
});

Deno.test("Bzip2DecompressionStream reports a bad block header after a good block", async () => {
  // Overwrite block 2's magic: block 1 is emitted, then the missing magic is reported.
  const broken = compressed.slice();
  const at = Math.floor(b2.bit / 8) + 2;
  broken[at] ^= 0xff;
  const { out, error } = await decode(broken, { threads: 2 });
  assert(error instanceof Bz2FormatError, `got ${error}`);
  assertStringIncludes(error.message, "block 2");
  assertEquals(error.block, 2);
  assertEquals(out, block1);
});
