/**
 * Writes the bzip2 test fixtures into tests/fixtures/bz2/ with the system
 * `bzip2`. Originals are generated from fixed seeds, so running this again
 * gives the same files. Usage: deno run -A scripts/make_bz2_fixtures.ts
 *
 * @module
 */

import { rng } from "../tests/_assert.ts";

const dir = new URL("../tests/fixtures/bz2/", import.meta.url).pathname;
await Deno.mkdir(dir, { recursive: true });

async function bzip2(data: Uint8Array, level: number): Promise<Uint8Array> {
  const p = new Deno.Command("bzip2", {
    args: [`-${level}`, "-c"],
    stdin: "piped",
    stdout: "piped",
  })
    .spawn();
  // Read while writing: bzip2 blocks on a full stdout pipe.
  const result = p.output();
  const w = p.stdin.getWriter();
  await w.write(data);
  await w.close();
  const { code, stdout } = await result;
  if (code !== 0) throw new Error(`bzip2 -${level} failed`);
  return stdout;
}

/** Pseudo-wikitext: XML-ish lines of Latin and CJK words, ~280 KB (3 blocks at -1). */
function text(): Uint8Array {
  const next = rng(7);
  const latin = [
    "the",
    "of",
    "wiki",
    "page",
    "title",
    "revision",
    "text",
    "link",
    "[[",
    "]]",
    "{{",
    "}}",
  ];
  const cjk = "中文维基百科是一个自由的百科全书人口城市历史文化地理政治经济";
  let s = "";
  let id = 1;
  while (s.length < 180_000) {
    s += `  <page>\n    <title>${
      cjk.slice(id % 20, (id % 20) + 3)
    } ${id}</title>\n    <id>${id}</id>\n`;
    const words = 20 + Math.floor(next() * 200);
    s += "    <text>";
    for (let w = 0; w < words; w++) {
      s += next() < 0.5
        ? latin[Math.floor(next() * latin.length)] + " "
        : cjk[Math.floor(next() * cjk.length)] + cjk[Math.floor(next() * cjk.length)];
      if (next() < 0.05) s += "\n";
    }
    s += "</text>\n  </page>\n";
    id++;
  }
  return new TextEncoder().encode(s);
}

/** Incompressible bytes. */
function random(n: number): Uint8Array {
  const next = rng(11);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/**
 * Runs of every length around the format's thresholds (4 for the first
 * run-length step, 255 for its count byte) and very long ones, over all 256
 * byte values.
 */
function runs(): Uint8Array {
  const next = rng(13);
  const parts: number[] = [];
  for (let len = 1; len <= 520; len++) {
    const b = Math.floor(next() * 256);
    for (let k = 0; k < len; k++) parts.push(b);
  }
  for (let b = 0; b < 256; b++) parts.push(b);
  for (let k = 0; k < 70_000; k++) parts.push(0x41);
  for (let k = 0; k < 2000; k++) parts.push(k & 1 ? 0x61 : 0x62);
  return new Uint8Array(parts);
}

/**
 * Random bytes drawn from a set chosen so that the block header's symbol map
 * (16 bits per used group of 16 byte values) spells the block magic and the
 * end-of-stream magic: every block then holds two false magics that the
 * decoder must see through.
 */
function falseMagic(): Uint8Array {
  const groups = [
    0x8001,
    0x3141,
    0x5926,
    0x5359,
    0x0100,
    0x1772,
    0x4538,
    0x5090,
    0x00f0,
    0x0001,
    0x8000,
    0x0400,
    0x0020,
    0x0002,
    0x4000,
    0x0008,
  ];
  const set: number[] = [];
  groups.forEach((v, g) => {
    for (let j = 0; j < 16; j++) if (v & (0x8000 >>> j)) set.push(g * 16 + j);
  });
  const next = rng(17);
  const out = new Uint8Array(250_000);
  for (let i = 0; i < out.length; i++) out[i] = set[Math.floor(next() * set.length)];
  return out;
}

const originals: Record<string, Uint8Array> = {
  "false-magic": falseMagic(),
  "text": text(),
  "random": random(100_000),
  "runs": runs(),
  "one": new Uint8Array([0x78]),
  "empty": new Uint8Array(0),
};
for (const [name, data] of Object.entries(originals)) {
  await Deno.writeFile(`${dir}${name}.bin`, data);
}
for (let level = 1; level <= 9; level++) {
  await Deno.writeFile(`${dir}text-${level}.bz2`, await bzip2(originals.text, level));
}
for (const name of ["random", "runs", "one", "empty"]) {
  await Deno.writeFile(`${dir}${name}.bz2`, await bzip2(originals[name], 9));
}
await Deno.writeFile(`${dir}false-magic.bz2`, await bzip2(originals["false-magic"], 1));
// Periodic blocks: whole-block repeats make the inverse BWT split into several cycles.
// The tests rebuild these originals (kept out of the folder to keep it small).
const periodic8 = new TextEncoder().encode("abcdefgh".repeat(37_500));
const periodic3 = new TextEncoder().encode("xyz".repeat(100_000));
await Deno.writeFile(`${dir}periodic8.bz2`, await bzip2(periodic8, 9));
await Deno.writeFile(`${dir}periodic3.bz2`, await bzip2(periodic3, 1));
// Multistream: the text in uneven parts, each its own stream, with an empty stream inside.
const cuts = [0, 1000, 50_000, 50_001, 140_000, originals.text.length];
const streams: Uint8Array[] = [];
for (let i = 0; i + 1 < cuts.length; i++) {
  streams.push(await bzip2(originals.text.subarray(cuts[i], cuts[i + 1]), 1 + (i % 9)));
  if (i === 2) streams.push(await bzip2(new Uint8Array(0), 9));
}
const multi = new Uint8Array(streams.reduce((n, s) => n + s.length, 0));
let at = 0;
for (const s of streams) {
  multi.set(s, at);
  at += s.length;
}
await Deno.writeFile(`${dir}multistream.bz2`, multi);
// 50 MB of zeros: blocks whose first run-length step expands ~50×, the worst case for output size.
await Deno.writeFile(`${dir}zeros-50m.bz2`, await bzip2(new Uint8Array(50_000_000), 9));
console.log(`fixtures written to ${dir}`);
