/**
 * End-to-end benchmark: wikizh on a ≥ 200 MB dump against `bzip2 -dc` on the same file,
 * single-stream and multistream, in one run (timings here are noisy: compare ratios).
 *
 * deno task bench:e2e [FILE.xml.bz2]
 *
 * Without FILE it builds, once, `bench-data/e2e-*.xml.bz2` from ../shared/corpus: the
 * zhwiki fragment's pages replicated with unique titles and ids, plus the jawiki fragment,
 * compressed with `bzip2 -9` in one stream and in Wikimedia's multistream layout with an
 * index. The reference tools (WikiExtractor, gensim) are timed when installed.
 * The last line is `e2e ratio_vs_bzip2=<wikizh wall / bzip2 -dc wall> peak_rss_mb=<n>`.
 */

const root = new URL("../", import.meta.url).pathname;
const data = `${root}bench-data`;
const corpus = `${root}../shared/corpus`;
const TARGET_BYTES = 210_000_000;
const PAGES_PER_STREAM = 100;

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  // Read while writing: a full stdout pipe would otherwise stall the child, and us.
  const output = child.output();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await output;
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return out.stdout;
}

/** Splits a dump's text into header, complete pages and footer. */
function splitDump(xml: string): { header: string; pages: string[] } {
  const first = xml.indexOf("<page>");
  const header = xml.slice(0, xml.lastIndexOf("\n", first) + 1);
  const pages: string[] = [];
  let at = first;
  for (;;) {
    const start = xml.indexOf("<page>", at);
    if (start < 0) break;
    const end = xml.indexOf("</page>", start);
    if (end < 0) break; // the jawiki fragment is cut mid-page
    pages.push("  " + xml.slice(start, end + 7) + "\n");
    at = end + 7;
  }
  return { header, pages };
}

/** A page copy with a unique title and id. */
function relabel(page: string, copy: number): string {
  if (copy === 0) return page;
  return page
    .replace(/<title>([^<]*)<\/title>/, (_m, t) => `<title>${t} ${copy}</title>`)
    .replace(/<id>(\d+)<\/id>/, (_m, id) => `<id>${copy * 10_000_000 + Number(id)}</id>`);
}

async function buildData(): Promise<{ single: string; multi: string }> {
  const single = `${data}/e2e.xml.bz2`;
  const multi = `${data}/e2e-multistream.xml.bz2`;
  const index = `${data}/e2e-multistream-index.txt`;
  if (exists(single) && exists(multi) && exists(index)) return { single, multi };
  if (!exists(`${corpus}/zhwiki-2018-head.xml`)) {
    throw new Error("../shared/corpus is absent: pass a FILE.xml.bz2 to benchmark");
  }
  Deno.mkdirSync(data, { recursive: true });
  console.log("building the benchmark dump (once)…");
  const zh = splitDump(Deno.readTextFileSync(`${corpus}/zhwiki-2018-head.xml`));
  const ja = splitDump(
    new TextDecoder().decode(await run("xz", ["-dc", `${corpus}/jawiki-2023-head.xml.xz`])),
  );
  const enc = new TextEncoder();
  const zhBytes = zh.pages.reduce((n, p) => n + enc.encode(p).length, 0);
  const jaBytes = ja.pages.reduce((n, p) => n + enc.encode(p).length, 0);
  const copies = Math.ceil((TARGET_BYTES - jaBytes) / zhBytes);
  const pages: string[] = [];
  for (let c = 0; c < copies; c++) {
    for (const p of zh.pages) pages.push(relabel(p, c));
    // The jawiki pages go in once, in the middle, as a block of other-language text.
    if (c === Math.floor(copies / 2)) {
      for (const p of ja.pages) pages.push(relabel(p, 900 + c));
    }
  }
  const footer = "</mediawiki>\n";
  const xml = zh.header + pages.join("") + footer;
  await Deno.writeFile(single, await run("bzip2", ["-9", "-c"], enc.encode(xml)));
  // Multistream: header, groups of pages, footer, each its own stream, with the index.
  const chunks: Uint8Array[] = [await run("bzip2", ["-9", "-c"], enc.encode(zh.header))];
  let offset = chunks[0].length;
  const lines: string[] = [];
  for (let i = 0; i < pages.length; i += PAGES_PER_STREAM) {
    const group = pages.slice(i, i + PAGES_PER_STREAM);
    const bytes = await run("bzip2", ["-9", "-c"], enc.encode(group.join("")));
    for (const p of group) {
      const id = /<id>(\d+)<\/id>/.exec(p)![1];
      const title = /<title>([^<]*)<\/title>/.exec(p)![1];
      lines.push(`${offset}:${id}:${title}`);
    }
    chunks.push(bytes);
    offset += bytes.length;
  }
  chunks.push(await run("bzip2", ["-9", "-c"], enc.encode(footer)));
  const file = await Deno.open(multi, { write: true, create: true, truncate: true });
  for (const c of chunks) await file.write(c);
  file.close();
  Deno.writeTextFileSync(index, lines.join("\n") + "\n");
  console.log(`  ${(enc.encode(xml).length / 1e6).toFixed(0)} MB of XML, ${pages.length} pages`);
  return { single, multi };
}

interface Timing {
  wall: number;
  rssMb: number;
  /** User + system CPU seconds. */
  cpu: number;
}

/** Wall time and peak RSS of a command, measured by python's getrusage of the child. */
async function time(cmd: string[], stderrTo = "-"): Promise<Timing> {
  const py = [
    "import resource, subprocess, sys, time",
    "t = time.time()",
    "err = None if sys.argv[1] == '-' else open(sys.argv[1], 'wb')",
    "r = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err)",
    "w = time.time() - t",
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)",
    "print(f'{w:.3f} {u.ru_maxrss} {u.ru_utime + u.ru_stime:.3f}')",
    "sys.exit(r.returncode)",
  ].join("\n");
  const out = new TextDecoder().decode(await run("python3", ["-c", py, stderrTo, ...cmd]));
  const [wall, kb, cpu] = out.trim().split(" ").map(Number);
  return { wall, rssMb: kb / 1024, cpu };
}

const deno = Deno.execPath();
const wikizhArgs = ["run", "--no-prompt", "--allow-read", "--allow-write", `${root}src/main.ts`];

async function hasPython(module: string): Promise<boolean> {
  try {
    await run("python3", ["-c", `import ${module}`]);
    return true;
  } catch {
    return false;
  }
}

const arg = Deno.args[0];
const files = arg ? { single: arg, multi: null } : await buildData();
const sizeMb = Deno.statSync(files.single).size / 1e6;
const xmlMb = Number(new TextDecoder().decode(
  await run("sh", ["-c", `bzip2 -dc '${files.single}' | wc -c`]),
)) / 1e6;
const cores = navigator.hardwareConcurrency;
console.log(
  `input: ${files.single} (${sizeMb.toFixed(0)} MB bz2, ${
    xmlMb.toFixed(0)
  } MB XML), ${cores} cores`,
);

const rows: [string, Timing][] = [];
const bz = await time(["bzip2", "-dc", files.single]);
rows.push(["bzip2 -dc > /dev/null", bz]);
const out = `${data}/e2e-out.txt`;
const progressLog = `${data}/e2e-progress.log`;
const single = await time(
  [deno, ...wikizhArgs, "--progress", "--force", files.single, out],
  progressLog,
);
rows.push([`wikizh (single-stream, ${cores} threads)`, single]);
// ETA accuracy: after the first 10% of the input, predicted finish (elapsed + ETA)
// against the actual wall time.
const seconds = (s: string) => s.split(":").reduce((a, x) => a * 60 + Number(x), 0);
let etaWorst = 0;
for (const line of Deno.readTextFileSync(progressLog).split("\n")) {
  const m = /\(([\d.]+)%\).* ETA ([\d:]+) · elapsed ([\d:]+)/.exec(line);
  if (m === null || Number(m[1]) < 10) continue;
  const predicted = seconds(m[2]) + seconds(m[3]);
  etaWorst = Math.max(etaWorst, Math.abs(predicted - single.wall) / single.wall);
}
console.log(
  `progress ETA: worst error after 10% of input = ${(etaWorst * 100).toFixed(0)}% of the run`,
);
let worst = single;
if (files.multi) {
  const bzm = await time(["bzip2", "-dc", files.multi]);
  rows.push(["bzip2 -dc multistream", bzm]);
  const multi = await time([deno, ...wikizhArgs, "-q", "--force", files.multi, `${out}.multi`]);
  rows.push([`wikizh (multistream + index, ${cores} threads)`, multi]);
  const same = await run("cmp", [out, `${out}.multi`]).then(() => true, () => false);
  console.log(`multistream output identical to single-stream: ${same}`);
  if (multi.wall / bzm.wall > worst.wall / bz.wall) {
    worst = { ...multi, wall: multi.wall * bz.wall / bzm.wall };
  }
}
const one = await time([
  deno,
  ...wikizhArgs,
  "-q",
  "--force",
  "--threads",
  "1",
  files.single,
  `${out}.1`,
]);
rows.push(["wikizh --threads 1", one]);
if (await hasPython("wikiextractor")) {
  rows.push([
    "WikiExtractor",
    await time([
      "python3",
      "-m",
      "wikiextractor.WikiExtractor",
      "-q",
      "-o",
      `${data}/we`,
      files.single,
    ]),
  ]);
} else {
  console.log("(WikiExtractor not installed: skipped)");
}
if (await hasPython("gensim")) {
  rows.push([
    "gensim WikiCorpus",
    await time([
      "python3",
      "-c",
      "import sys; from gensim.corpora import WikiCorpus; w = WikiCorpus(sys.argv[1], dictionary={}); [0 for _ in w.get_texts()]",
      files.single,
    ]),
  ]);
} else {
  console.log("(gensim not installed: skipped)");
}

console.log(
  "\n| run | wall s | × bzip2 -dc | CPU s | XML MB/s | peak RSS MB |\n|---|---|---|---|---|---|",
);
for (const [name, t] of rows) {
  console.log(
    `| ${name} | ${t.wall.toFixed(2)} | ${(t.wall / bz.wall).toFixed(2)} | ${t.cpu.toFixed(1)} | ${
      (xmlMb / t.wall).toFixed(1)
    } | ${t.rssMb.toFixed(0)} |`,
  );
}
const peak = Math.max(...rows.filter(([n]) => n.startsWith("wikizh")).map(([, t]) => t.rssMb));
console.log(
  `e2e ratio_vs_bzip2=${(worst.wall / bz.wall).toFixed(3)} peak_rss_mb=${peak.toFixed(0)}`,
);
