/**
 * End-to-end benchmark: wikizh against `bzip2 -dc` on the same files, on a zhwiki-only and
 * a mixed (half zhwiki, half jawiki) dump, single-stream and multistream, in one run
 * (timings here are noisy: compare the ratios measured side by side).
 *
 * deno task bench:e2e [FILE.xml.bz2] [--xml-mb N] [--rounds N] [--build-only]
 *
 * Without FILE it builds, once, `bench-data/e2e-{zh,mixed}-<N>mb*` (default 210 MB of XML
 * each) from ../shared/corpus; see `_bench_e2e_data.ts`. Each round runs, interleaved:
 * for each dump `bzip2 -dc > /dev/null` and wikizh (default threads) on the single-stream
 * and on the multistream file, then wikizh on the first dump with OUT `.txt`, `.txt.gz`,
 * `.jsonl` and `.parquet`. Every command keeps its fastest run of `--rounds` (default 3).
 * While wikizh runs, the CPU of each of its OS threads is sampled from /proc (busy % =
 * thread CPU ÷ wall). After the rounds, `--threads 1, 2, 3` on each multistream file must
 * give the same bytes. The reference tools (WikiExtractor, gensim) are timed when installed.
 *
 * The last line reads `e2e zh_wall=… zh_cpu=… mixed_wall=… mixed_cpu=… peak_rss_mb=…
 * text_peak_rss_mb=… gzip_pct=… parquet_pct=… index_lookup_pct=… threads_identical=…`: wall
 * and CPU ratios to `bzip2 -dc` on the same file (the slower of single-stream and
 * multistream), the peak RSS of every default-threads wikizh run (all formats, then plain
 * text only), the extra wall time of gzip and Parquet output over plain text, in %, and the
 * share of the multistream run spent reading the index and the group pages it finds. Before
 * it, a line gives the median of each round's own ratios.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type BenchDump, buildDumps, exists, run } from "./_bench_e2e_data.ts";
import { type ThreadCpu, time, type Timing } from "./_bench_e2e_measure.ts";

const root = new URL("../", import.meta.url).pathname;
const data = `${root}bench-data`;
const corpus = `${root}../shared/corpus`;
const DEFAULT_XML_MB = 210;
/** Threads below this busy % of the wall time are left out of the table. */
const MIN_BUSY_PCT = 1;

/** `uptime`'s line (the load from other processes), or "?" where there is none. */
async function load(): Promise<string> {
  try {
    return new TextDecoder().decode(await run("uptime", [])).trim();
  } catch {
    return "?";
  }
}

const deno = Deno.execPath();
const wikizh = [
  deno,
  "run",
  "--no-prompt",
  "--config",
  `${root}deno.json`,
  "--allow-read",
  "--allow-write",
  // The flags the wikizh task runs with.
  "--v8-flags=--no-concurrent-recompilation",
  `${root}src/main.ts`,
];

/**
 * A Python that can import `module`: the one on PATH, or the system one (Debian's
 * `apt install python3-gensim` lands there when PATH has another Python first).
 */
async function pythonWith(module: string): Promise<string | null> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      const probe = new Deno.Command(python, {
        args: ["-c", `import ${module}`],
        stdout: "null",
        stderr: "null",
      });
      if ((await probe.output()).success) return python;
    } catch {
      // Not there: try the next.
    }
  }
  return null;
}

/**
 * The XML size of a FILE given by hand (a full decompression), remembered in bench-data/
 * (never beside the file: it may lie in a read-only place such as ../shared).
 */
async function xmlBytesOf(path: string): Promise<number> {
  const st = Deno.statSync(path);
  const key = `${path.replace(/[^A-Za-z0-9._-]+/g, "_")}-${st.size}-${st.mtime?.getTime() ?? 0}`;
  Deno.mkdirSync(data, { recursive: true });
  const sizeFile = `${data}/${key}.xml-bytes`;
  const known = exists(sizeFile) ? Number(Deno.readTextFileSync(sizeFile)) : NaN;
  if (known > 0) return known;
  const n = Number(new TextDecoder().decode(
    await run("sh", ["-c", `bzip2 -dc '${path.replaceAll("'", "'\\''")}' | wc -c`]),
  ));
  try {
    Deno.writeTextFileSync(sizeFile, String(n));
  } catch {
    // bench-data/ not writable: measured again next time.
  }
  return n;
}

async function sha256(path: string): Promise<string> {
  return new TextDecoder().decode(await run("sha256sum", [path])).split(" ")[0];
}

/** The fastest of several runs: the one least disturbed by the machine's other load. */
function best(runs: Timing[]): Timing {
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

const f2 = (x: number) => x.toFixed(2);
const f1 = (x: number) => x.toFixed(1);
const signed = (x: number) => `${x >= 0 ? "+" : ""}${f1(x)}%`;
const seconds = (s: string) => s.split(":").reduce((a, x) => a * 60 + Number(x), 0);

/** ETA accuracy: after 10% of the input, the worst predicted finish (elapsed + ETA) against the wall. */
function etaError(progressLog: string, wall: number): number {
  let worst = 0;
  for (const line of Deno.readTextFileSync(progressLog).split("\n")) {
    const m = /\(([\d.]+)%\).* ETA ([\d:]+) · elapsed ([\d:]+)/.exec(line);
    if (m === null || Number(m[1]) < 10) continue;
    worst = Math.max(worst, Math.abs(seconds(m[2]) + seconds(m[3]) - wall) / wall);
  }
  return worst;
}

const { values: flags, positionals } = parseArgs({
  args: Deno.args,
  options: {
    "xml-mb": { type: "string", default: String(DEFAULT_XML_MB) },
    "build-only": { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
  },
  allowPositionals: true,
});
const arg = positionals[0];
const dumps: BenchDump[] = arg
  ? [{ label: "file", single: arg, multi: null, xmlBytes: await xmlBytesOf(arg) }]
  : await buildDumps(data, corpus, Number(flags["xml-mb"]));
if (flags["build-only"]) Deno.exit(0);
const cores = navigator.hardwareConcurrency;
const rounds = Math.max(1, Number(flags.rounds));
Deno.mkdirSync(data, { recursive: true });
for (const d of dumps) {
  const mb = (p: string) => f1(Deno.statSync(p).size / 1e6);
  console.log(
    `${d.label}: ${d.single} (${mb(d.single)} MB bz2${
      d.multi ? `; multistream ${mb(d.multi)} MB` : ""
    }), ${f1(d.xmlBytes / 1e6)} MB XML`,
  );
}
console.log(`${cores} cores, ${rounds} round(s); uptime: ${await load()}`);

/** One measured command: its row name and its runs, one a round. */
interface Row {
  name: string;
  runs: Timing[];
}
const row = (name: string): Row => ({ name, runs: [] });
/** Per dump: bzip2 and wikizh on the single-stream file, and on the multistream one. */
const perDump = dumps.map((d) => ({
  dump: d,
  bz: row(`bzip2 -dc > /dev/null`),
  wz: row(`wikizh (${cores} threads)`),
  bzm: row(`bzip2 -dc, multistream`),
  wzm: row(`wikizh, multistream + index (${cores} threads)`),
  out: `${data}/e2e-out-${d.label}.txt`,
  outMulti: `${data}/e2e-out-${d.label}-multi.txt`,
  statsMulti: `${data}/e2e-stats-${d.label}-multi.json`,
  /** Per multistream round: seconds reading the index, and the group pages it finds. */
  lookups: [] as { index: number; groups: number; pages: string }[],
  eta: 0,
}));
const formats = [".txt", ".txt.gz", ".jsonl", ".parquet"].map((ext) => ({
  ext,
  out: `${data}/e2e-fmt${ext}`,
  ...row(`OUT x${ext}`),
}));
const formatInput = dumps[0];
const progressLog = `${data}/e2e-progress.log`;

for (let r = 0; r < rounds; r++) {
  const parts: string[] = [];
  for (const p of perDump) {
    const bz = await time(["bzip2", "-dc", p.dump.single]);
    const wz = await time([...wikizh, "--progress", "--force", p.dump.single, p.out], {
      stderrTo: progressLog,
      threads: true,
    });
    p.bz.runs.push(bz);
    p.wz.runs.push(wz);
    p.eta = Math.max(p.eta, etaError(progressLog, wz.wall));
    let part = `${p.dump.label} ${f2(wz.wall / bz.wall)}× wall ${f2(wz.cpu / bz.cpu)}× CPU`;
    if (p.dump.multi) {
      const bzm = await time(["bzip2", "-dc", p.dump.multi]);
      const wzm = await time([
        ...wikizh,
        "-q",
        "--force",
        "--stats",
        p.statsMulti,
        p.dump.multi,
        p.outMulti,
      ], { threads: true });
      const st = JSON.parse(Deno.readTextFileSync(p.statsMulti));
      p.lookups.push({
        index: st.index_read_seconds,
        groups: st.group_lookup_seconds,
        pages: st.group_source,
      });
      p.bzm.runs.push(bzm);
      p.wzm.runs.push(wzm);
      part += ` (multistream ${f2(wzm.wall / bzm.wall)}×, ${f2(wzm.cpu / bzm.cpu)}×)`;
    }
    parts.push(part);
  }
  // The formats go in a different order each round, so that none always follows the same run.
  for (let i = 0; i < formats.length; i++) {
    const f = formats[(i + r) % formats.length];
    f.runs.push(await time([...wikizh, "-q", "--force", formatInput.single, f.out]));
  }
  const plain = formats[0].runs[r].wall;
  parts.push(
    `formats vs x.txt: ${
      formats.slice(1).map((f) => `${f.ext} ${signed((f.runs[r].wall / plain - 1) * 100)}`).join(
        " ",
      )
    }`,
  );
  console.log(`round ${r + 1}: ${parts.join(", ")}`);
}

// Byte-identical output for every thread count, on each multistream file.
const threadRows: { label: string; threads: number; t: Timing; hash: string }[] = [];
let threadsIdentical = true;
for (const p of perDump) {
  const input = p.dump.multi ?? p.dump.single;
  const reference = await sha256(p.dump.multi ? p.outMulti : p.out);
  const single = await sha256(p.out);
  const hashes = [reference];
  for (const threads of [1, 2, 3]) {
    const out = `${data}/e2e-out-${p.dump.label}-t${threads}.txt`;
    const t = await time([...wikizh, "-q", "--force", "--threads", String(threads), input, out]);
    const hash = await sha256(out);
    threadRows.push({ label: p.dump.label, threads, t, hash });
    hashes.push(hash);
  }
  const same = hashes.every((h) => h === reference);
  threadsIdentical &&= same && single === reference;
  console.log(
    `${p.dump.label}: --threads 1, 2, 3 and default on ${
      p.dump.multi ? "the multistream file" : "FILE"
    }: ${same ? "identical" : "DIFFERENT"} (sha256 ${reference.slice(0, 16)}…)${
      p.dump.multi
        ? `; single-stream output ${single === reference ? "identical" : "DIFFERENT"}`
        : ""
    }`,
  );
}
for (const p of perDump) {
  console.log(
    `${p.dump.label}: progress ETA worst error after 10% of input = ${f1(p.eta * 100)}% of the run`,
  );
}
// The index's cost in the fastest multistream run: reading it, then the group pages it finds.
let lookupPct = 0;
for (const p of perDump) {
  if (p.lookups.length === 0) continue;
  const k = p.wzm.runs.indexOf(best(p.wzm.runs));
  const l = p.lookups[k];
  const share = (l.index + l.groups) / p.wzm.runs[k].wall * 100;
  lookupPct = Math.max(lookupPct, share);
  console.log(
    `${p.dump.label}: multistream index read ${f2(l.index)} s + group pages ${f2(l.groups)} s ` +
      `= ${f1(share)}% of the run (${f2(p.wzm.runs[k].wall)} s); groups from ${l.pages}`,
  );
}

// The reference tools, as people run them, on the first dump: [row name, module, arguments].
const references: [string, string, string[]][] = [
  ["WikiExtractor", "wikiextractor", [
    "-m",
    "wikiextractor.WikiExtractor",
    "-q",
    "-o",
    `${data}/we`,
    formatInput.single,
  ]],
  ["gensim WikiCorpus (default options)", "gensim", [
    "-c",
    "import sys; from gensim.corpora import WikiCorpus; w = WikiCorpus(sys.argv[1], dictionary={}); [0 for _ in w.get_texts()]",
    formatInput.single,
  ]],
];
const referenceRows: [string, Timing][] = [];
for (const [name, module, args] of references) {
  const python = await pythonWith(module);
  if (python === null) console.log(`(${name} not installed: skipped)`);
  else referenceRows.push([name, await time([python, ...args])]);
}

// The tables.
console.log(
  "\n| dump | run | wall s | CPU s | wall ÷ bzip2 | CPU ÷ bzip2 | XML MB/s | peak RSS MB |",
);
console.log("|---|---|---|---|---|---|---|---|");
const ratios: Record<string, { wall: number; cpu: number }> = {};
const medians: Record<string, { wall: number; cpu: number }> = {};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const p of perDump) {
  const pairs: [Row, Row][] = [[p.bz, p.wz]];
  if (p.dump.multi) pairs.push([p.bzm, p.wzm]);
  const ratio = { wall: 0, cpu: 0 };
  // Also each round's own ratio (its bzip2 and wikizh runs back to back), medians: the
  // fastest runs of two commands can fall in different rounds when the host changes speed.
  const med = { wall: 0, cpu: 0 };
  for (const [ref, r] of pairs) {
    const b = best(ref.runs);
    const w = best(r.runs);
    ratio.wall = Math.max(ratio.wall, w.wall / b.wall);
    ratio.cpu = Math.max(ratio.cpu, w.cpu / b.cpu);
    med.wall = Math.max(med.wall, median(r.runs.map((t, k) => t.wall / ref.runs[k].wall)));
    med.cpu = Math.max(med.cpu, median(r.runs.map((t, k) => t.cpu / ref.runs[k].cpu)));
    for (const [x, t] of [[ref, b], [r, w]] as const) {
      console.log(
        `| ${p.dump.label} | ${x.name} | ${f2(t.wall)} | ${f2(t.cpu)} | ${f2(t.wall / b.wall)} | ${
          f2(t.cpu / b.cpu)
        } | ${f1(p.dump.xmlBytes / 1e6 / t.wall)} | ${t.rssMb.toFixed(0)} |`,
      );
    }
  }
  ratios[p.dump.label] = ratio;
  medians[p.dump.label] = med;
  for (const [name, t] of p.dump === formatInput ? referenceRows : []) {
    const b = best(p.bz.runs);
    console.log(
      `| ${p.dump.label} | ${name} | ${f2(t.wall)} | ${f2(t.cpu)} | ${f2(t.wall / b.wall)} | ${
        f2(t.cpu / b.cpu)
      } | ${f1(p.dump.xmlBytes / 1e6 / t.wall)} | ${t.rssMb.toFixed(0)} |`,
    );
  }
}

console.log(
  `\nPer-thread CPU of the fastest default run (busy % = thread CPU ÷ wall; threads under ${MIN_BUSY_PCT}% left out)`,
);
console.log("| dump | run | thread | tid | CPU s | busy % |\n|---|---|---|---|---|---|");
const busySummary: string[] = [];
for (const p of perDump) {
  for (const r of p.dump.multi ? [p.wz, p.wzm] : [p.wz]) {
    const t = best(r.runs);
    const shown = t.threads.filter((th: ThreadCpu) => th.cpu / t.wall * 100 > MIN_BUSY_PCT);
    for (const th of shown) {
      console.log(
        `| ${p.dump.label} | ${r.name} | ${th.name} | ${th.tid} | ${f2(th.cpu)} | ${
          (th.cpu / t.wall * 100).toFixed(0)
        } |`,
      );
    }
    const sampled = t.threads.reduce((n, th) => n + th.cpu, 0);
    busySummary.push(
      `${p.dump.label}, ${r.name}: threads sampled ${f2(sampled)} s of ${
        f2(t.cpu)
      } s CPU (the last ≤ 200 ms of each thread go unseen), wall ${f2(t.wall)} s`,
    );
  }
}
for (const s of busySummary) console.log(s);
// Deno does not give a Worker's name to its OS thread: workers show as worker-<n>, in the
// order they were created.
console.log(
  "(deno = the main thread; worker-<n> = the n-th Web Worker created (bz2 decoder, page " +
    "workers, finisher, compressor); V8 DefaultWorke = V8's GC and compiler threads; " +
    "tokio-runtime-w = Deno's I/O threads)",
);

const plain = best(formats[0].runs);
console.log(
  `\nOutput formats (${formatInput.label}, single-stream, ${cores} threads)\n` +
    "| OUT | wall s | CPU s | wall vs x.txt | CPU vs x.txt | size MB | peak RSS MB |\n" +
    "|---|---|---|---|---|---|---|",
);
const pct = (t: Timing) => (t.wall / plain.wall - 1) * 100;
for (const f of formats) {
  const t = best(f.runs);
  console.log(
    `| x${f.ext} | ${f2(t.wall)} | ${f2(t.cpu)} | ${signed(pct(t))} | ${
      signed((t.cpu / plain.cpu - 1) * 100)
    } | ${f1(Deno.statSync(f.out).size / 1e6)} | ${t.rssMb.toFixed(0)} |`,
  );
}

console.log(
  "\n--threads N (one run each, text)\n| dump | threads | wall s | CPU s | peak RSS MB | sha256 |",
);
console.log("|---|---|---|---|---|---|");
for (const t of threadRows) {
  console.log(
    `| ${t.label} | ${t.threads} | ${f2(t.t.wall)} | ${f2(t.t.cpu)} | ${t.t.rssMb.toFixed(0)} | ${
      t.hash.slice(0, 16)
    }… |`,
  );
}

// Peak RSS over every default-threads wikizh run, not only the fastest ones (the
// --threads runs show theirs in their table).
const textPeak = Math.max(
  ...perDump.flatMap((p) => [...p.wz.runs, ...p.wzm.runs].map((t) => t.rssMb)),
);
const peak = Math.max(textPeak, ...formats.flatMap((f) => f.runs.map((t) => t.rssMb)));
console.log(
  `\nmedian of the rounds' own ratios (slower of single-stream and multistream): ${
    Object.entries(medians).map(([k, v]) => `${k} ${f2(v.wall)}× wall ${f2(v.cpu)}× CPU`).join(", ")
  }`,
);
console.log(`uptime at the end: ${await load()}`);
const gz = best(formats[1].runs);
const pq = best(formats[3].runs);
console.log(
  `e2e ${
    Object.entries(ratios).map(([k, v]) => `${k}_wall=${f2(v.wall)} ${k}_cpu=${f2(v.cpu)}`).join(
      " ",
    )
  } peak_rss_mb=${peak.toFixed(0)} text_peak_rss_mb=${textPeak.toFixed(0)} gzip_pct=${
    f1(pct(gz))
  } parquet_pct=${f1(pct(pq))} index_lookup_pct=${
    f1(lookupPct)
  } threads_identical=${threadsIdentical}`,
);
