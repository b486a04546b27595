/**
 * Benchmark of the XML page tokenizer: the byte-level scanner against the saxes-based
 * tokenizer it replaced, in one run so that the ratios are comparable on a shared machine.
 *
 *   deno run --no-prompt --allow-read --allow-write --allow-run --allow-env \
 *     scripts/bench_xml.ts [FILE.xml] [--repeat R] [--mb N]
 *
 * Without FILE it builds (once) bench-data/bench-xml.xml, one valid dump of about N MB
 * (default 100): the zhwiki fragment's header, then the complete pages of the jawiki and
 * zhwiki fragments in ../shared/corpus, alternating and repeated. The old tokenizer is
 * taken from git (commit {@link OLD_REV}) into bench-data/xml-saxes/. Both first parse
 * the file in this process and must give the same records; then each runs R times
 * (default 3) in its own process, interleaved, on the file read into memory first and
 * fed in 64 KiB chunks (so that only the tokenizer is timed); the fastest round of each is
 * kept. CPU seconds are the child's user + system time during the parse.
 * The last line is `xml ratio_cpu_new_vs_old=<new CPU / old CPU>`.
 *
 * @module
 */

import process from "node:process";
import { PageTokenizerStream } from "../src/xml/mod.ts";
import type { PageRecord } from "../src/types.ts";
import { exists, peakRssMB, takeFlag } from "./_bench.ts";

/** The last commit whose src/xml/mod.ts is the saxes-based tokenizer. */
const OLD_REV = "10c4b8c";
const OLD_FILES = [
  "src/xml/mod.ts",
  "src/xml/_decode.ts",
  "src/xml/_namespaces.ts",
  "src/errors.ts",
  "src/types.ts",
];

const root = new URL("../", import.meta.url).pathname;
const dataDir = `${root}bench-data/`;
const oldDir = `${dataDir}xml-saxes/`;
const args = [...Deno.args];

type Tokenizer = new () => TransformStream<Uint8Array, PageRecord>;

async function tokenizer(which: string): Promise<Tokenizer> {
  if (which === "new") return PageTokenizerStream;
  const mod = await import(`${oldDir}src/xml/mod.ts`);
  return mod.PageTokenizerStream;
}

// Child mode: parse one file, print time, CPU, pages and peak RSS as JSON.
if (args[0] === "--parse") {
  const [, which, file] = args;
  const Tok = await tokenizer(which);
  // The file is read first, so that only the tokenizer is timed (64 KiB chunks, as a file
  // stream gives them).
  const data = await Deno.readFile(file);
  let at = 0;
  const input = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= data.length) return c.close();
      c.enqueue(data.subarray(at, at + 65536));
      at += 65536;
    },
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let pages = 0;
  let chars = 0;
  for await (const p of input.pipeThrough(new Tok())) {
    pages++;
    chars += p.text.length;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ ms, cpuS, pages, chars, peakRssMB: peakRssMB() }));
  Deno.exit(0);
}

function flag(name: string): string | undefined {
  return takeFlag(args, name);
}

const repeat = Math.max(1, Number(flag("--repeat") ?? 3));
const targetMb = Number(flag("--mb") ?? 100);

async function output(cmd: string, cmdArgs: string[]): Promise<Uint8Array> {
  const r = await new Deno.Command(cmd, { args: cmdArgs, cwd: root, stderr: "inherit" }).output();
  if (!r.success) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed`);
  return r.stdout;
}

/** The old tokenizer's files as they were at OLD_REV, laid out as in the project. */
async function extractOld(): Promise<void> {
  for (const f of OLD_FILES) {
    const path = `${oldDir}${f}`;
    if (await exists(path)) continue;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, await output("git", ["show", `${OLD_REV}:${f}`]));
  }
}

/** The complete `<page>…</page>` records of a dump, as one byte range. */
function pagesOf(xml: Uint8Array): Uint8Array {
  const s = new TextDecoder().decode(xml);
  const from = s.indexOf("  <page>");
  const to = s.lastIndexOf("</page>") + "</page>\n".length;
  return new TextEncoder().encode(s.slice(from, to));
}

async function buildDefault(): Promise<string> {
  const file = `${dataDir}bench-xml-${targetMb}m.xml`;
  if (await exists(file)) return file;
  console.log(`building ${file} from ../shared/corpus …`);
  const corpus = `${root}../shared/corpus/`;
  const zh = await Deno.readFile(`${corpus}zhwiki-2018-head.xml`);
  const ja = await output("xz", ["-dc", `${corpus}jawiki-2023-head.xml.xz`]);
  const zhText = new TextDecoder().decode(zh);
  const header = new TextEncoder().encode(zhText.slice(0, zhText.indexOf("  <page>")));
  const bodies = [pagesOf(ja), pagesOf(zh)];
  await Deno.mkdir(dataDir, { recursive: true });
  const f = await Deno.open(`${file}.tmp`, { write: true, create: true, truncate: true });
  const write = async (b: Uint8Array) => {
    for (let at = 0; at < b.length;) at += await f.write(b.subarray(at));
  };
  await write(header);
  for (let size = 0; size < targetMb * 1e6;) {
    for (const b of bodies) {
      await write(b);
      size += b.length;
    }
  }
  await write(new TextEncoder().encode("</mediawiki>\n"));
  f.close();
  await Deno.rename(`${file}.tmp`, file);
  return file;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

async function summaries(which: string, file: string): Promise<string[]> {
  const Tok = await tokenizer(which);
  const out: string[] = [];
  const input = await Deno.open(file);
  for await (const p of input.readable.pipeThrough(new Tok())) {
    out.push(JSON.stringify([p.id, p.ns, p.title, p.redirect, p.text.length, fnv(p.text)]));
  }
  return out;
}

interface Result {
  ms: number;
  cpuS: number;
  pages: number;
  chars: number;
  peakRssMB: number;
}

async function child(which: string, file: string): Promise<Result> {
  const out = await output(Deno.execPath(), [
    "run",
    "--no-prompt",
    // Reading /proc/self/status (peak RSS) needs every permission.
    "--allow-all",
    new URL(import.meta.url).pathname,
    "--parse",
    which,
    file,
  ]);
  return JSON.parse(new TextDecoder().decode(out));
}

await extractOld();
const file = args[0] ?? (await buildDefault());
const size = (await Deno.stat(file)).size;
console.log(`${file}: ${(size / 1e6).toFixed(1)} MB`);

const [oldPages, newPages] = [await summaries("old", file), await summaries("new", file)];
if (oldPages.length !== newPages.length) {
  throw new Error(`page counts differ: old ${oldPages.length}, new ${newPages.length}`);
}
for (let i = 0; i < oldPages.length; i++) {
  if (oldPages[i] !== newPages[i]) {
    throw new Error(`page ${i} differs:\n  old ${oldPages[i]}\n  new ${newPages[i]}`);
  }
}
console.log(`same ${newPages.length} records from both tokenizers`);

const best: Record<string, Result> = {};
for (let r = 0; r < repeat; r++) {
  // Interleaved, alternating which goes first, so that both see the same machine.
  const order = r % 2 === 0 ? ["old", "new"] : ["new", "old"];
  for (const which of order) {
    const res = await child(which, file);
    if (!best[which] || res.cpuS < best[which].cpuS) best[which] = res;
  }
}
console.log("| tokenizer | wall s | CPU s | MB/s (wall) | peak RSS MB |");
console.log("|---|---|---|---|---|");
for (const which of ["old", "new"]) {
  const b = best[which];
  const name = which === "old" ? "saxes (old)" : "byte scanner (new)";
  console.log(
    `| ${name} | ${(b.ms / 1000).toFixed(2)} | ${b.cpuS.toFixed(2)} | ` +
      `${(size / 1e6 / (b.ms / 1000)).toFixed(1)} | ${b.peakRssMB} |`,
  );
}
console.log(
  `xml ratio_cpu_new_vs_old=${(best.new.cpuS / best.old.cpuS).toFixed(3)} ` +
    `ratio_wall_new_vs_old=${(best.new.ms / best.old.ms).toFixed(3)}`,
);
