/**
 * Child of `bench_instructions.ts`: runs one page stage from a source tree ROUNDS times
 * over the pages of the first BYTES of a bzip2 dump, and prints a hash of the outputs.
 *
 *   deno run --allow-read --v8-flags=--single-threaded \
 *     scripts/_instructions_stage.ts ROOT FILE BYTES STAGE ROUNDS
 *
 * STAGE is `chain` (cleanup and conversion), `clean` or `conv` (conversion of pages this
 * tree cleaned). Decoding and reading the pages use this tree's code, so only the stage
 * differs between two trees.
 *
 * @module
 */

import { Bz2Reader } from "../src/bz2/mod.ts";
import { PageReader } from "../src/xml/mod.ts";
import { cleanPage } from "../src/wikitext/mod.ts";
import type { PageRecord } from "../src/types.ts";

const [root, file, bytes, stage, rounds] = Deno.args;
const reader = new Bz2Reader(Deno.readFileSync(file).subarray(0, Number(bytes)));
const pageReader = new PageReader({});
const pages: PageRecord[] = [];
try {
  for (let c; (c = reader.next()) !== null;) pages.push(...pageReader.push(c));
} catch {
  // The input is cut at BYTES: the pages read before the cut are the sample.
}
const articles = pages.filter((p) => p.ns === 0);
const base = new URL(root.endsWith("/") ? root : root + "/", `file://${Deno.cwd()}/`).href;

type Run = (p: never) => { text?: string; segments?: unknown[] };
let run: Run;
let input: unknown[] = articles;
if (stage === "chain") {
  const parallel = await import(`${base}src/parallel/mod.ts`);
  run = parallel.pageChain({ cleanup: {}, conversion: {} });
} else if (stage === "clean") {
  const wikitext = await import(`${base}src/wikitext/mod.ts`);
  run = (p) => wikitext.cleanPage(p);
} else if (stage === "conv") {
  const zhconv = await import(`${base}src/zhconv/mod.ts`);
  const converter = zhconv.createPageConverter({});
  input = articles.map((p) => cleanPage(p));
  run = (p) => converter.convertPage(p);
} else {
  throw new Error(`unknown stage ${stage}`);
}

// No forced collection between rounds: V8's gc() also throws away compiled code, and the
// recompiling would be counted in every round.
let hash = 0;
for (let k = 0; k < Number(rounds); k++) {
  for (const p of input) {
    // A cheap digest (lengths and a sample of characters), so the stage dominates the count.
    const out = run(p as never);
    const texts = out.text !== undefined
      ? [out.text]
      : (out.segments as { text: string }[] ?? []).map((x) => x.text);
    for (const s of texts) {
      hash = (hash * 31 + s.length) | 0;
      for (let i = 0; i < s.length; i += 257) hash = (hash * 31 + s.charCodeAt(i)) | 0;
    }
  }
}
console.log(JSON.stringify({ pages: input.length, hash }));
