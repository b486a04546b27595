import { cleanPage } from "../../src/wikitext/mod.ts";
import { createPageConverter } from "../../src/zhconv/mod.ts";
import { PageTokenizerStream } from "../../src/xml/mod.ts";
import type { PageRecord } from "../../src/types.ts";
import { assert, collect, corpusPath, streamOf } from "../_assert.ts";
import { fuzzCount, mutator, WIKITEXT_TOKENS } from "./_mutate.ts";

async function pagesOf(path: string): Promise<PageRecord[]> {
  return await collect(streamOf([Deno.readFileSync(path)]).pipeThrough(new PageTokenizerStream()));
}

/** Real pages to mutate: the sample dump, and the zhwiki fragment's articles when present. */
async function basePages(): Promise<string[]> {
  const texts = (await pagesOf(new URL("../fixtures/sample.xml", import.meta.url).pathname))
    .map((p) => p.text)
    .filter((t) => t.length > 0);
  const head = corpusPath("zhwiki-2018-head.xml");
  if (head !== null) {
    for (const p of await pagesOf(head)) {
      // Large pages are cut to 8 KB so that 100,000 inputs stay a few minutes' work.
      if (p.ns === 0 && p.text.length > 0) texts.push(p.text.slice(0, 8192));
    }
  }
  return texts;
}

Deno.test("cleanPage and convertPage never throw and stay linear on mutated real pages", async () => {
  const n = fuzzCount(400);
  const bases = await basePages();
  const mutators = bases.map((b, i) => mutator(b, WIKITEXT_TOKENS, 1000 + i));
  const converters = [createPageConverter(), createPageConverter({ variant: "zh-tw" })];
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const text = mutators[i % mutators.length]();
    const page: PageRecord = { id: i, ns: 0, title: "測試", redirect: null, text };
    const t0 = performance.now();
    let out: string;
    try {
      out = converters[i & 1].convertPage(cleanPage(page)).text;
    } catch (err) {
      throw new Error(`input ${i} (seed ${1000 + (i % mutators.length)}) threw: ${err}`);
    }
    const ms = performance.now() - t0;
    assert(typeof out === "string");
    // Linear: at most 10 µs per character on top of a fixed allowance for GC pauses.
    // A quadratic path on these 1–100 KB inputs takes seconds and fails here.
    const bound = 100 + text.length * 0.01;
    assert(ms < bound, `input ${i}: ${ms.toFixed(1)} ms for ${text.length} chars (bound ${bound})`);
    worst = Math.max(worst, ms / Math.max(1, text.length) * 1000);
  }
  console.log(`${n} inputs; worst ${worst.toFixed(2)} µs per character`);
});
