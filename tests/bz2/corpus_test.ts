import { crc32 } from "../../src/bz2/_crc.ts";
import { assertEquals, chunk, corpusPath } from "../_assert.ts";
import { decodeOk, THREADS } from "./_util.ts";

// Every .bz2 of ../shared/corpus whose .xml sits beside it (multistream variants
// compare with the single-stream .xml).
const dir = corpusPath("");
const pairs: [string, string][] = [];
if (dir) {
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".bz2")) continue;
    const xml = `${dir}/${e.name.replace(/\.bz2$/, "").replace(/-multistream\.xml$/, ".xml")}`;
    try {
      Deno.statSync(xml);
      pairs.push([`${dir}/${e.name}`, xml]);
    } catch {
      console.log(`(no .xml beside ${e.name}; not compared)`);
    }
  }
}

Deno.test({
  name: "Bzip2DecompressionStream decodes the corpus .bz2 files",
  ignore: pairs.length === 0,
  fn: async () => {
    for (const [bz2, xml] of pairs) {
      const compressed = Deno.readFileSync(bz2);
      const original = Deno.readFileSync(xml);
      for (const threads of THREADS) {
        const out = await decodeOk(chunk(compressed, "random", threads), { threads });
        assertEquals(out.length, original.length, `${bz2}, threads ${threads}`);
        assertEquals(crc32(out), crc32(original), `${bz2}, threads ${threads}`);
        assertEquals(out, original);
      }
    }
  },
});
