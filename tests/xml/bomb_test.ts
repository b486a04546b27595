import { Bzip2DecompressionStream } from "../../src/bz2/mod.ts";
import { PageTokenizerStream } from "../../src/xml/mod.ts";
import type { PageRecord } from "../../src/types.ts";
import { assert, assertEquals, concat, streamOf } from "../_assert.ts";
import { bzip2Cli } from "../bz2/_util.ts";

const enc = new TextEncoder();

const PAGE =
  "<page><title>甲</title><ns>0</ns><id>1</id><revision><text>x</text></revision></page>";

// Issue 13.5: such a file once ended in "RangeError: Invalid string length".
Deno.test("PageTokenizerStream reads a few KB of bzip2 holding 2 GB of whitespace in bounded memory", async () => {
  const spaces = await bzip2Cli(new Uint8Array(40_000_000).fill(0x20));
  const head = await bzip2Cli(enc.encode(`<mediawiki>\n${PAGE}\n`));
  const tail = await bzip2Cli(enc.encode(`\n${PAGE}\n</mediawiki>\n`));
  if (spaces === null || head === null || tail === null) {
    console.log("skipped: bzip2 is not installed");
    return;
  }
  // A multistream file: 50 streams of 40 MB of spaces each between two pages.
  const file = concat([head, ...Array.from({ length: 50 }, () => spaces), tail]);
  assert(file.length < 20_000, `${file.length} bytes`);
  const rss0 = Deno.memoryUsage().rss;
  let peak = 0;
  let samples = 0;
  // The stages yield between chunks, so the sampler sees memory while the data flows.
  const sampler = setInterval(() => {
    samples++;
    peak = Math.max(peak, Deno.memoryUsage().rss - rss0);
  }, 20);
  const pages: PageRecord[] = [];
  const stream = streamOf([file])
    .pipeThrough(new Bzip2DecompressionStream({ threads: 1 }))
    .pipeThrough(new PageTokenizerStream());
  try {
    for await (const p of stream) pages.push(p);
  } finally {
    clearInterval(sampler);
  }

  assertEquals(pages.map((p) => p.title), ["甲", "甲"]);
  assert(samples > 10, `only ${samples} memory samples`);
  assert(peak < 256 << 20, `RSS grew by ${peak >> 20} MB`);
});
