/**
 * Benchmark of the bzip2 decoder against native tools, in one run so that the
 * ratios are comparable on a shared machine.
 *
 *   deno run --no-prompt --allow-read --allow-write --allow-run --allow-env \
 *     scripts/bench_bz2.ts [FILE.bz2] [--threads N] [--repeat R] [--unbzip2]
 *
 * Without FILE it builds (once) ~200 MB of XML from ../shared/corpus
 * (jawiki-2023-head.xml.xz and the zhwiki fragment, repeated), compressed with
 * `bzip2 -9` as one stream and as a multistream file, in bench-data/.
 * Times: our decoder with 1 worker and with N (default: all cores), `bzip2 -dc`,
 * and `lbzip2 -dc -n N` when installed; `--unbzip2` adds npm:unbzip2-stream on
 * the first file (once: it is slow). Each decoder runs in its own
 * process; wall times include process start-up for all of them. With
 * `--repeat R` every measurement is taken R times, interleaved, and the
 * fastest is kept (the machine is shared: the minimum is the least disturbed).
 * The last line is `bz2 ratio_vs_bzip2=<our wall / bzip2 wall> threads=<N>`.
 *
 * @module
 */

import { Bzip2DecompressionStream } from "../src/bz2/mod.ts";
import { exists, peakRssMB, takeFlag } from "./_bench.ts";

const args = [...Deno.args];
const self = new URL(import.meta.url).pathname;

// Child mode: decode one file, print bytes and peak RSS as JSON.
if (args[0] === "--decode") {
  const [, file, how] = args;
  const t0 = performance.now();
  let bytes = 0;
  if (how === "unbzip2") {
    const { default: unbzip2 } = await import("unbzip2-stream");
    const { createReadStream } = await import("node:fs");
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(file).pipe(unbzip2());
      s.on("data", (c: Uint8Array) => (bytes += c.length));
      s.on("end", () => resolve());
      s.on("error", reject);
    });
  } else {
    const threads = Number(how);
    const input = await Deno.open(file);
    const output = input.readable.pipeThrough(new Bzip2DecompressionStream({ threads }));
    for await (const c of output) bytes += c.length;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ bytes, ms, peakRssMB: peakRssMB() }));
  Deno.exit(0);
}

function flag(name: string): string | undefined {
  return takeFlag(args, name);
}
const unbzip2Wanted = args.includes("--unbzip2");
if (unbzip2Wanted) args.splice(args.indexOf("--unbzip2"), 1);
const cores = navigator.hardwareConcurrency;
const threads = Number(flag("--threads") ?? cores);
const repeat = Math.max(1, Number(flag("--repeat") ?? 1));

async function has(cmd: string): Promise<boolean> {
  try {
    await new Deno.Command(cmd, { args: ["--help"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** Runs a command with stdin from `input` (or none) and stdout to a file; fails loudly. */
async function run(cmd: string, cmdArgs: string[], outPath: string, input?: string): Promise<void> {
  const out = await Deno.open(outPath, { write: true, create: true, truncate: true });
  const child = new Deno.Command(cmd, {
    args: cmdArgs,
    stdin: input ? "piped" : "null",
    stdout: "piped",
  }).spawn();
  const piping = child.stdout.pipeTo(out.writable);
  if (input) {
    const src = await Deno.open(input);
    await src.readable.pipeTo(child.stdin);
  }
  await piping;
  const { success } = await child.status;
  if (!success) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed`);
}

const dataDir = new URL("../bench-data/", import.meta.url).pathname;

async function buildDefault(): Promise<string[]> {
  const corpus = new URL("../../shared/corpus/", import.meta.url).pathname;
  const xml = `${dataDir}bench-200m.xml`;
  const single = `${dataDir}bench-200m.xml.bz2`;
  const multi = `${dataDir}bench-200m-multistream.xml.bz2`;
  await Deno.mkdir(dataDir, { recursive: true });
  if (!(await exists(xml))) {
    console.log("building bench-data/bench-200m.xml from ../shared/corpus …");
    await run("xz", ["-dc", `${corpus}jawiki-2023-head.xml.xz`], `${dataDir}ja.xml.tmp`);
    const ja = await Deno.readFile(`${dataDir}ja.xml.tmp`);
    const zh = await Deno.readFile(`${corpus}zhwiki-2018-head.xml`);
    const f = await Deno.open(`${xml}.tmp`, { write: true, create: true, truncate: true });
    let size = 0;
    while (size < 200_000_000) {
      for (const part of [ja, zh]) {
        for (let at = 0; at < part.length;) at += await f.write(part.subarray(at));
        size += part.length;
      }
    }
    f.close();
    await Deno.remove(`${dataDir}ja.xml.tmp`);
    await Deno.rename(`${xml}.tmp`, xml);
  }
  if (!(await exists(single))) {
    console.log("compressing with bzip2 -9 (single stream) …");
    await run("bzip2", ["-9", "-c", xml], `${single}.tmp`);
    await Deno.rename(`${single}.tmp`, single);
  }
  if (!(await exists(multi))) {
    // Like Wikimedia's multistream dumps: many small streams (here ~512 KiB of XML each).
    console.log("compressing with bzip2 -9 (multistream) …");
    const data = await Deno.readFile(xml);
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < data.length;) {
      let end = Math.min(data.length, at + 512 * 1024);
      while (end < data.length && data[end - 1] !== 0x0a) end++;
      pieces.push(data.subarray(at, end));
      at = end;
    }
    const compressed: Uint8Array[] = new Array(pieces.length);
    let next = 0;
    const worker = async () => {
      while (next < pieces.length) {
        const i = next++;
        const child = new Deno.Command("bzip2", {
          args: ["-9", "-c"],
          stdin: "piped",
          stdout: "piped",
        })
          .spawn();
        const result = child.output();
        const w = child.stdin.getWriter();
        await w.write(pieces[i]);
        await w.close();
        compressed[i] = (await result).stdout;
      }
    };
    await Promise.all(Array.from({ length: cores }, worker));
    const f = await Deno.open(`${multi}.tmp`, { write: true, create: true, truncate: true });
    for (const c of compressed) {
      for (let at = 0; at < c.length;) at += await f.write(c.subarray(at));
    }
    f.close();
    await Deno.rename(`${multi}.tmp`, multi);
  }
  return [single, multi];
}

interface Timing {
  ms: number;
  bytes?: number;
  peakRssMB?: number;
}

async function timeOurs(file: string, how: string): Promise<Timing> {
  const t0 = performance.now();
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    // -A only so that the child may read its own /proc/self/status (peak RSS).
    args: ["run", "--no-prompt", "-A", self, "--decode", file, how],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!success) {
    throw new Error(`our decoder failed on ${file}: ${new TextDecoder().decode(stderr)}`);
  }
  const r = JSON.parse(new TextDecoder().decode(stdout));
  return { ms, bytes: r.bytes, peakRssMB: r.peakRssMB };
}

async function timeNative(cmd: string, cmdArgs: string[]): Promise<Timing> {
  const t0 = performance.now();
  const { success } = await new Deno.Command(cmd, {
    args: cmdArgs,
    stdout: "null",
    stderr: "inherit",
  })
    .output();
  if (!success) throw new Error(`${cmd} failed`);
  return { ms: performance.now() - t0 };
}

const files = args.length > 0 ? args : await buildDefault();
const haveLbzip2 = await has("lbzip2");
let ourTotal = 0;
let bzip2Total = 0;
const fmt = (t: Timing, base: number) =>
  `${(t.ms / 1000).toFixed(2).padStart(7)} s  ${(t.ms / base).toFixed(2)}× bzip2` +
  (t.peakRssMB ? `  peak RSS ${t.peakRssMB} MB` : "") +
  (t.bytes !== undefined ? `  ${(t.bytes / 1e6).toFixed(1)} MB out` : "");

/** Runs every measurement `repeat` times, round-robin, and keeps each one's fastest run. */
async function best(ms: (() => Promise<Timing>)[]): Promise<Timing[]> {
  const out: Timing[] = [];
  for (let r = 0; r < repeat; r++) {
    for (let i = 0; i < ms.length; i++) {
      const t = await ms[i]();
      if (!out[i] || t.ms < out[i].ms) out[i] = t;
    }
  }
  return out;
}

for (const file of files) {
  const size = (await Deno.stat(file)).size;
  console.log(`\n${file} (${(size / 1e6).toFixed(1)} MB compressed), ${cores} cores`);
  const ms = [
    () => timeNative("bzip2", ["-dc", file]),
    () => timeOurs(file, "1"),
    () => timeOurs(file, String(threads)),
  ];
  if (haveLbzip2) ms.push(() => timeNative("lbzip2", ["-dc", "-n", String(threads), file]));
  const [native, one, all, lb] = await best(ms);
  console.log(`  bzip2 -dc               ${fmt(native, native.ms)}`);
  console.log(`  ours, 1 worker          ${fmt(one, native.ms)}`);
  console.log(`  ours, ${threads} workers         ${fmt(all, native.ms)}`);
  if (lb) console.log(`  lbzip2 -dc -n ${threads}         ${fmt(lb, native.ms)}`);
  else console.log("  lbzip2: not installed, skipped");
  ourTotal += all.ms;
  bzip2Total += native.ms;
}

if (unbzip2Wanted) {
  const file = files[0];
  console.log(`\n${file}: npm:unbzip2-stream`);
  const un = await timeOurs(file, "unbzip2");
  const [native, one, all] = await best([
    () => timeNative("bzip2", ["-dc", file]),
    () => timeOurs(file, "1"),
    () => timeOurs(file, String(threads)),
  ]);
  console.log(`  bzip2 -dc               ${fmt(native, native.ms)}`);
  console.log(`  unbzip2-stream          ${fmt(un, native.ms)}`);
  console.log(
    `  ours, 1 worker          ${fmt(one, native.ms)}  ${(un.ms / one.ms).toFixed(1)}× faster`,
  );
  console.log(
    `  ours, ${threads} workers         ${fmt(all, native.ms)}  ${
      (un.ms / all.ms).toFixed(1)
    }× faster`,
  );
}

console.log(`bz2 ratio_vs_bzip2=${(ourTotal / bzip2Total).toFixed(3)} threads=${threads}`);
