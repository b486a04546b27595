import { assertEquals } from "../_assert.ts";
import { assemble, KERNELS } from "../../scripts/_wasm.ts";
import { WASM } from "../../src/bz2/_symbols_wasm.ts";
import { decodeOk } from "./_util.ts";
import { bzip2, hasBzip2 } from "../_cli.ts";

const root = new URL("../../", import.meta.url);

Deno.test("symbols kernel module is the one assembled from its .wat source", async () => {
  const k = KERNELS.find((k) => k.ts.endsWith("_symbols_wasm.ts"))!;
  const wat = await Deno.readTextFile(new URL(k.wat, root));
  assertEquals(await assemble(k.wat, wat), WASM, "run `deno task build:wasm`");
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
