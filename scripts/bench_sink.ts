/**
 * Benchmark of the output formats: the zhwiki fragment's pages, replicated (each copy's
 * CJK characters shifted, so no copy repeats another for a compressor), run through
 * cleanup, variant conversion and the sink into a file, once per format in interleaved
 * rounds. Prints wall and CPU seconds per format and the ratio to plain text. `one.*` rows
 * compress on the formatting thread instead of the sink's compression worker.
 *
 *   deno run --allow-read --allow-write --allow-env scripts/bench_sink.ts [--mb 200] [--rounds 3]
 *
 * `--sink-only` converts the pages once beforehand and times the sink alone: what each
 * format costs on top of the page stages, measurable even on a busy machine.
 *
 * `--e2e FILE.xml.bz2` runs the whole chain on FILE as the CLI's default 2-thread layout
 * does (one bzip2 decoder worker; parsing, cleanup, conversion and the sink on this
 * thread). `--write-xml FILE.xml` writes the replicated pages as a dump to make one.
 * `--only out.txt,out.parquet` runs only those rows.
 *
 * @module
 */

import { parseArgs } from "node:util";
import process from "node:process";
import { PageTokenizerStream } from "../src/xml/mod.ts";
import { cleanPage, WikitextCleanupStream } from "../src/wikitext/mod.ts";
import { createPageConverter, VariantConversionStream } from "../src/zhconv/mod.ts";
import { pages as dumpPages } from "../src/pipeline.ts";
import {
  ArticleSink,
  type ArticleSinkOptions,
  type OutputTarget,
  shardName,
} from "../src/sink/mod.ts";
import { RunStats } from "../src/stats.ts";
import type { Article, PageRecord } from "../src/types.ts";

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "200" },
    rounds: { type: "string", default: "3" },
    "sink-only": { type: "boolean", default: false },
    e2e: { type: "string" },
    "write-xml": { type: "string" },
    only: { type: "string" },
  },
});
const corpus = new URL("../../shared/corpus/zhwiki-2018-head.xml", import.meta.url).pathname;
const file = await Deno.open(corpus).catch(() => null);
if (file === null) {
  console.log("(../shared/corpus/zhwiki-2018-head.xml is absent: nothing to measure)");
  Deno.exit(0);
}
const base: PageRecord[] = [];
for await (const p of file.readable.pipeThrough(new PageTokenizerStream())) base.push(p);
const enc = new TextEncoder();
const baseBytes = base.reduce((n, p) => n + enc.encode(p.text).length, 0);

function shift(text: string, r: number): string {
  if (r === 0) return text;
  return text.replace(
    /[\u4e00-\u9fff]/g,
    (c) => String.fromCharCode(0x4e00 + ((c.charCodeAt(0) - 0x4e00 + r * 7) % 0x5200)),
  );
}
const copies = Math.max(1, Math.ceil((Number(values.mb) * 1e6) / baseBytes));
const pages: PageRecord[] = [];
for (let r = 0; r < copies; r++) {
  for (const p of base) pages.push({ ...p, id: p.id + r * 1_000_000, text: shift(p.text, r) });
}
const converter = createPageConverter({});
if (values["write-xml"] !== undefined) {
  const esc = (t: string) =>
    t.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const out = await Deno.open(values["write-xml"], { write: true, create: true, truncate: true });
  const w = out.writable.getWriter();
  await w.write(enc.encode("<mediawiki>\n"));
  for (const p of pages) {
    const redirect = p.redirect === null ? "" : `<redirect title="${esc(p.redirect)}" />`;
    await w.write(enc.encode(
      `<page><title>${esc(p.title)}</title><ns>${p.ns}</ns><id>${p.id}</id>${redirect}` +
        `<revision><text>${esc(p.text)}</text></revision></page>\n`,
    ));
  }
  await w.write(enc.encode("</mediawiki>\n"));
  await w.close();
  Deno.exit(0);
}
const converted: Article[] | null = values["sink-only"]
  ? pages.map((p) => converter.convertPage(cleanPage(p)))
  : null;

const dir = await Deno.makeTempDir({ prefix: "wikizh-bench-sink-" });
/** Files in `dir`, written as the CLI would (one file per shard). */
function fileTarget(name: string): OutputTarget & { bytes: number } {
  const t = {
    bytes: 0,
    async create(shard: number, _keep: number) {
      const f = await Deno.open(`${dir}/${shardName(name, shard)}`, {
        write: true,
        create: true,
        truncate: true,
      });
      return new WritableStream<Uint8Array>({
        async write(c) {
          t.bytes += c.length;
          let off = 0;
          while (off < c.length) off += await f.write(c.subarray(off));
        },
        close: () => f.close(),
      });
    },
    finish: () => Promise.resolve(),
  };
  return t;
}

const FORMATS: [string, Partial<ArticleSinkOptions>][] = [
  ["out.txt", { format: "text" }],
  ["out.jsonl", { format: "jsonl" }],
  ["out.jsonl.gz", { format: "jsonl", compression: "gzip" }],
  ["out.jsonl.zst", { format: "jsonl", compression: "zstd" }],
  ["one.jsonl.gz", { format: "jsonl", compression: "gzip", compressionWorker: false }],
  ["one.jsonl.zst", { format: "jsonl", compression: "zstd", compressionWorker: false }],
  ["out.parquet", { format: "parquet" }],
];

if (values.only !== undefined) {
  const keep = values.only.split(",");
  FORMATS.splice(0, FORMATS.length, ...FORMATS.filter(([n]) => keep.includes(n)));
}

async function once(name: string, opts: Partial<ArticleSinkOptions>) {
  const target = fileTarget(name);
  const stats = new RunStats();
  let i = 0;
  const articles = values.e2e !== undefined
    ? dumpPages((await Deno.open(values.e2e)).readable, "bz2").stream
      .pipeThrough(new WikitextCleanupStream({}))
      .pipeThrough(new VariantConversionStream({}))
    : new ReadableStream<Article>({
      pull(c) {
        if (i >= pages.length) c.close();
        else if (converted !== null) c.enqueue(converted[i++]);
        else c.enqueue(converter.convertPage(cleanPage(pages[i++])));
      },
    }, { highWaterMark: 0 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await articles.pipeThrough(new ArticleSink({ ...opts, stats, target })).pipeTo(
    new WritableStream(),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, bytes: target.bytes, text: stats.bytesOut };
}

console.log(`${pages.length} pages, ${(baseBytes * copies / 1e6).toFixed(0)} MB of wikitext`);
const best = new Map<string, { wall: number; cpu: number; bytes: number; text: number }>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, opts] of FORMATS) {
    const r = await once(name, opts);
    const prev = best.get(name);
    if (prev === undefined || r.wall < prev.wall) best.set(name, r);
    console.log(`round ${round + 1} ${name.padEnd(14)} ${r.wall.toFixed(2)} s wall`);
  }
}
const plain = best.get("out.txt")!;
console.log("\n| output | size MB | wall s | CPU s | wall vs text |");
console.log("|---|---:|---:|---:|---:|");
for (const [name] of FORMATS) {
  const r = best.get(name)!;
  console.log(
    `| ${name} | ${(r.bytes / 1e6).toFixed(1)} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${
      (r.wall / plain.wall).toFixed(3)
    } |`,
  );
}
await Deno.remove(dir, { recursive: true });
