/**
 * Traditional→simplified speed: wikizh's converter against opencc-js t2s on the same text,
 * in one run (the machine is shared, so only the ratio within a run means anything).
 *
 * Usage: deno run --allow-read --allow-write --allow-run=xz scripts/bench_zhconv.ts [--rounds N]
 *
 * Text: the mixed corpus of scripts/make_zhconv_corpus.ts (≈55 MB: jawiki + zhwiki fragments
 * and their opencc-js s2t/s2tw/s2hk/jp2t conversions), converted whole and per article.
 * MB are megabytes of UTF-8 input.
 *
 * @module
 */

import * as OpenCC from "opencc-js";
import { corpusMissing, loadZhconvCorpus, splitArticles } from "./make_zhconv_corpus.ts";
import { createPageConverter } from "../src/zhconv/mod.ts";

const why = corpusMissing();
if (why) {
  console.error(`bench_zhconv: ${why}; nothing to measure`);
  Deno.exit(1);
}
const roundsArg = Deno.args.indexOf("--rounds");
const rounds = roundsArg >= 0 ? Number(Deno.args[roundsArg + 1]) : 5;

const text = await loadZhconvCorpus();
const articles = splitArticles(text);
const mb = new TextEncoder().encode(text).length / 1e6;

let t = performance.now();
const ours = createPageConverter({ variant: "zh-cn", keepCornerQuotes: true });
const oursBuild = performance.now() - t;
t = performance.now();
const ref = OpenCC.Converter({ from: "t", to: "cn" });
const refBuild = performance.now() - t;

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

// Warm both up on a slice so that the first timed round is not the JIT's.
ours.convertText(text.slice(0, 2_000_000));
ref(text.slice(0, 2_000_000));

// Best of N rounds for each side: the minimum is the least disturbed by other processes
// on a shared machine. The two sides alternate within every round.
let oursWhole = Infinity, refWhole = Infinity, oursArt = Infinity, refArt = Infinity;
for (let r = 0; r < rounds; r++) {
  let ow: number, rw: number;
  if (r % 2 === 0) {
    ow = time(() => ours.convertText(text));
    rw = time(() => ref(text));
  } else {
    rw = time(() => ref(text));
    ow = time(() => ours.convertText(text));
  }
  oursWhole = Math.min(oursWhole, ow);
  refWhole = Math.min(refWhole, rw);
  oursArt = Math.min(oursArt, time(() => articles.forEach((a) => ours.convertText(a))));
  refArt = Math.min(refArt, time(() => articles.forEach((a) => ref(a))));
}

const rate = (secs: number) => mb / secs;
const line = (name: string, o: number, f: number) =>
  `${name.padEnd(12)} wikizh ${rate(o).toFixed(1).padStart(7)} MB/s   opencc-js ${
    rate(f).toFixed(1).padStart(6)
  } MB/s   ratio ${(f / o).toFixed(2)}×`;
console.log(
  `text: ${mb.toFixed(1)} MB (UTF-8), ${articles.length} articles, best of ${rounds} rounds`,
);
console.log(
  `table build: wikizh ${oursBuild.toFixed(0)} ms, opencc-js ${refBuild.toFixed(0)} ms`,
);
console.log(line("whole text", oursWhole, refWhole));
console.log(line("per article", oursArt, refArt));
