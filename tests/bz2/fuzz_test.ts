import { Bz2FormatError } from "../../src/errors.ts";
import { assert, assertEquals, rng } from "../_assert.ts";
import { decode, fixture } from "./_util.ts";

// Damaged input must end in a Bz2FormatError (or, where the damage hits bits the
// format ignores, in the original output): never another exception, a hang, or
// wrong output passed off as good.
Deno.test("Bzip2DecompressionStream fails cleanly on randomly damaged input", async () => {
  const original = fixture("text.bin");
  const compressed = fixture("multistream.bz2");
  const next = rng(99);
  let errors = 0;
  for (let trial = 0; trial < 120; trial++) {
    const data = compressed.slice();
    const kind = trial % 4;
    let input: Uint8Array = data;
    if (kind === 0) {
      const bit = Math.floor(next() * data.length * 8);
      data[bit >>> 3] ^= 0x80 >>> (bit & 7);
    } else if (kind === 1) {
      for (let k = 0; k < 8; k++) data[Math.floor(next() * data.length)] = Math.floor(next() * 256);
    } else if (kind === 2) {
      input = data.subarray(0, Math.floor(next() * data.length));
    } else {
      const at = Math.floor(next() * data.length);
      data.copyWithin(at, Math.floor(next() * data.length));
    }
    const { out, error } = await decode(input, { threads: trial % 8 === 0 ? 2 : 0 });
    if (error === null) {
      assertEquals(out, original, `trial ${trial}: no error, so the output must be intact`);
      continue;
    }
    errors++;
    assert(error instanceof Bz2FormatError, `trial ${trial}: ${error}`);
    assert(error.byteOffset >= 0 && error.byteOffset <= input.length, `trial ${trial}: offset`);
    // What was emitted before the error is a prefix of the original.
    assertEquals(out, original.subarray(0, out.length), `trial ${trial}: emitted prefix`);
  }
  assert(errors > 100, `only ${errors} of 120 damaged inputs were rejected`);
});
