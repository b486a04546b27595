import { PageTokenizerStream } from "../../src/xml/mod.ts";
import { XmlSyntaxError } from "../../src/errors.ts";
import { assert, chunk, collect, rng, streamOf } from "../_assert.ts";
import { fuzzCount, mutator, XML_TOKENS } from "./_mutate.ts";

const sample = Deno.readTextFileSync(new URL("../fixtures/sample.xml", import.meta.url));
const enc = new TextEncoder();

Deno.test("PageTokenizerStream fails only with a positioned XmlSyntaxError on mutated dumps", async () => {
  const n = fuzzCount(300);
  const mutate = mutator(sample, XML_TOKENS, 20261129);
  const split = rng(7);
  let failures = 0;
  for (let i = 0; i < n; i++) {
    const input = enc.encode(mutate());
    // Some inputs also get a random byte flipped, to reach the UTF-8 decoder's errors.
    if (i % 5 === 0) input[Math.floor(split() * input.length)] ^= 0x80;
    try {
      await collect(
        streamOf(chunk(input, i % 2 === 0 ? "random" : "whole", i)).pipeThrough(
          new PageTokenizerStream(),
        ),
      );
    } catch (err) {
      failures++;
      assert(err instanceof XmlSyntaxError, `input ${i}: ${err}`);
      assert(err.line >= 1 && err.column >= 1, `input ${i}: no position in ${err.message}`);
    }
  }
  assert(
    failures > n / 10,
    `only ${failures} of ${n} mutated dumps failed: the mutator is too mild`,
  );
});
