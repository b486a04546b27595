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
