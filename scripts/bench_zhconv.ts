/**
 * Variant-conversion speed: wikizh's two converters (MediaWiki's tables, the default, and
 * OpenCC's) against opencc-js t2s on the same text, in one run with interleaved rounds
 * (the machine is shared, so only the ratios within a run mean anything).
 *
 * Usage: deno run --allow-read --allow-write --allow-run=xz scripts/bench_zhconv.ts [--rounds N]
 *
 * Text: the mixed corpus of scripts/make_zhconv_corpus.ts (≈55 MB: jawiki + zhwiki fragments
 * and their opencc-js s2t/s2tw/s2hk/jp2t conversions), converted whole and per article, to
 * zh-cn. MB are megabytes of UTF-8 input; each line gives the fastest round's wall time and
 * the CPU seconds of that round.
 *
 * @module
 */

import * as OpenCC from "opencc-js";
import process from "node:process";
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

function built<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

const [mw, mwBuild] = built(() => {
  const c = createPageConverter({ variant: "zh-cn" });
  c.convertText("軟體"); // tables are compiled on first use
  return c;
});
const [oc, ocBuild] = built(() => {
  const c = createPageConverter({ variant: "zh-cn", converter: "opencc", keepCornerQuotes: true });
  c.convertText("軟體");
  return c;
});
const [ref, refBuild] = built(() => OpenCC.Converter({ from: "t", to: "cn" }));

const sides: [string, (s: string) => string][] = [
  ["wikizh mediawiki", (s) => mw.convertText(s)],
  ["wikizh opencc", (s) => oc.convertText(s)],
  ["opencc-js t2s", ref],
];

interface Best {
  wall: number;
  cpu: number;
}

function time(f: () => void): Best {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

// Warm every side up on a slice so that the first timed round is not the JIT's.
for (const [, f] of sides) f(text.slice(0, 2_000_000));

// Fastest of N rounds per side and mode; the order of the sides rotates every round.
const best = new Map<string, Best>();
const keep = (k: string, b: Best) => {
  const o = best.get(k);
  if (!o || b.wall < o.wall) best.set(k, b);
};
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < sides.length; k++) {
    const [name, f] = sides[(k + r) % sides.length];
    keep(`${name}|whole`, time(() => f(text)));
    keep(`${name}|article`, time(() => articles.forEach((a) => f(a))));
  }
}

console.log(
  `text: ${mb.toFixed(1)} MB (UTF-8), ${articles.length} articles, fastest of ${rounds} rounds`,
);
console.log(
  `table build: mediawiki ${mwBuild.toFixed(0)} ms, opencc ${ocBuild.toFixed(0)} ms, ` +
    `opencc-js ${refBuild.toFixed(0)} ms`,
);
for (const mode of ["whole", "article"]) {
  const ref = best.get(`opencc-js t2s|${mode}`)!;
  for (const [name] of sides) {
    const b = best.get(`${name}|${mode}`)!;
    console.log(
      `${mode.padEnd(8)} ${name.padEnd(17)} ${(mb / b.wall).toFixed(1).padStart(7)} MB/s  ` +
        `wall ${b.wall.toFixed(2)} s  cpu ${b.cpu.toFixed(2)} s  ` +
        `${(ref.wall / b.wall).toFixed(2)}× opencc-js`,
    );
  }
}
