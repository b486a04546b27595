import { assertEquals, concat } from "../_assert.ts";
import { assemble, KERNELS } from "../../scripts/_wasm.ts";
import { decodeOk } from "./_util.ts";
import { bzip2, hasBzip2 } from "../_cli.ts";

const root = new URL("../../", import.meta.url);

Deno.test("every kernel module is the one assembled from its .wat source", async () => {
  for (const k of KERNELS) {
    const wat = await Deno.readTextFile(new URL(k.wat, root));
    const { WASM: built } = await import(new URL(k.ts, root).href);
    assertEquals(await assemble(k.wat, wat), built, `${k.ts}: run \`deno task build:wasm\``);
  }
});

/** Every run length 1..300 of one byte, each between two other bytes. */
function runLengths(): Uint8Array {
  const parts: number[] = [];
  for (let n = 1; n <= 300; n++) {
    parts.push(0x41 + (n % 7));
    for (let i = 0; i < n; i++) parts.push(0x61);
  }
  return Uint8Array.from(parts);
}

/** All 256 byte values, in an order whose move-to-front indices take every value 0..255. */
function mtfIndices(): Uint8Array {
  const out: number[] = [];
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 256; i++) out.push((i * (2 * round + 1) + round) & 0xff);
    for (let i = 0; i < 256; i++) out.push(255 - i);
  }
  return Uint8Array.from(out);
}

Deno.test({
  name: "BlockDecoder kernel decodes every run length and move-to-front index",
  ignore: !hasBzip2,
  fn: async () => {
    for (const [name, original] of [["runs", runLengths()], ["mtf", mtfIndices()]] as const) {
      for (const level of ["-1c", "-9c"]) {
        const packed = await bzip2(original, level);
        for (const threads of [0, 1]) {
          assertEquals(
            await decodeOk(packed, { threads }),
            original,
            `${name} ${level} ${threads}`,
          );
        }
      }
    }
  },
});

/** Runs of 3..9 equal bytes after 0..40 others, so that they start at every offset of a word. */
function runOffsets(): Uint8Array {
  const parts: number[] = [];
  for (let k = 0; k <= 40; k++) {
    for (let r = 3; r <= 9; r++) {
      for (let i = 0; i < k; i++) parts.push(0x41 + (i % 20));
      for (let i = 0; i < r; i++) parts.push(0x7a);
    }
  }
  return Uint8Array.from(parts);
}

Deno.test({
  name: "BlockDecoder kernel undoes runs at every offset in a word and near a block's end",
  ignore: !hasBzip2,
  fn: async () => {
    const cases: [string, Uint8Array][] = [["offsets", runOffsets()]];
    const text = new TextEncoder();
    // The last bytes of a block take the byte-at-a-time path: runs there, and blocks
    // shorter than one step of the word loop.
    for (let s = 0; s <= 14; s++) {
      const tail = "0123456789ABCDE".slice(0, s);
      for (let k = 15; k <= 24; k++) {
        cases.push([
          `end ${k} ${s}`,
          text.encode("abcdefghijklmnopqrstuvwx".slice(0, k) + "zzzz" + tail),
        ]);
      }
      cases.push([`start ${s}`, text.encode("qqqqq" + tail)]);
      cases.push([`long ${s}`, text.encode("abcdefghijkl" + "y".repeat(300) + tail)]);
    }
    // Each case follows a longer block in the same stream of streams, so that the
    // decoder's buffers hold other bytes past the case's end.
    const filler = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7 + (i >> 3)) & 0xff);
    const packedFiller = await bzip2(filler, "-1c");
    for (const [name, original] of cases) {
      const both = concat([packedFiller, await bzip2(original, "-1c")]);
      assertEquals(await decodeOk(both, { threads: 0 }), concat([filler, original]), name);
    }
  },
});
