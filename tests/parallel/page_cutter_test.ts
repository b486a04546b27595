import { pageChain, PageCutterStream, PageJobStream } from "../../src/parallel/mod.ts";
import { PageTokenizerStream } from "../../src/xml/mod.ts";
import { assert, assertEquals, chunk, CHUNKINGS, collect, concat, streamOf } from "../_assert.ts";

const dec = new TextDecoder();
const sample = Deno.readFileSync(new URL("../fixtures/sample.xml", import.meta.url));

Deno.test("PageCutterStream cuts after </page> into fragments that rebuild the dump, for every chunking", async () => {
  for (const how of CHUNKINGS) {
    const jobs = await collect(
      streamOf(chunk(sample, how, 3)).pipeThrough(new PageCutterStream(1000)),
    );
    const xml = jobs.map((j) => (j.kind === "xml" ? j.bytes : new Uint8Array(0)));
    assertEquals(dec.decode(concat(xml)), dec.decode(sample), how);
    assert(jobs.length >= 4, `${how}: ${jobs.length} fragments`);
    for (const [i, j] of jobs.entries()) {
      if (j.kind !== "xml") throw new Error(j.kind);
      const text = dec.decode(j.bytes);
      if (i < jobs.length - 1) assert(text.trimEnd().endsWith("</page>"), `${how}: fragment ${i}`);
      // Later fragments carry the header with the siteinfo, so each parses as a dump.
      assertEquals(j.header === null, i === 0);
      if (j.header) assert(dec.decode(j.header).includes("<namespaces>"));
    }
  }
});

Deno.test("PageCutterStream keeps a page larger than the fragment size whole", async () => {
  const big = `<mediawiki><page><title>a</title><text>${"x".repeat(100_000)}</text></page>` +
    `<page><title>b</title></page></mediawiki>`;
  const jobs = await collect(
    streamOf(chunk(new TextEncoder().encode(big), "random", 9)).pipeThrough(
      new PageCutterStream(10),
    ),
  );
  assertEquals(jobs.length, 3);
  assert(dec.decode((jobs[0] as { bytes: Uint8Array }).bytes).endsWith("</page>"));
});

Deno.test("PageCutterStream marks only the last job, even when the input ends at a cut", async () => {
  const text = dec.decode(sample);
  const cutAt = text.indexOf("</page>", text.indexOf("</page>") + 1) + "</page>".length;
  const truncated = new TextEncoder().encode(text.slice(0, cutAt));
  const jobs = await collect(streamOf([truncated]).pipeThrough(new PageCutterStream(100)));
  const lasts = jobs.map((j) => j.kind === "xml" && j.last);
  assertEquals(lasts.slice(0, -1).every((x) => !x), true);
  assertEquals(lasts.at(-1), true);
  // The cut fell on the end of the input: the last job is empty, so the worker sees the
  // root element unclosed and reports the truncation.
  assertEquals((jobs.at(-1) as { bytes: Uint8Array }).bytes.length, 0);
});

/** The sample with a 60 KB page and 50 KB of white space after the third page. */
function withHugeParts(): Uint8Array {
  const text = dec.decode(sample);
  const p = text.indexOf("<page>", text.indexOf("<page>", text.indexOf("<page>") + 1) + 1);
  const huge = `<page><title>巨</title><ns>0</ns><id>99</id><revision><text>` +
    `${"巨大的页面。".repeat(3000)}</text></revision></page>` + " \n".repeat(25_000);
  return new TextEncoder().encode(text.slice(0, p) + huge + text.slice(p));
}

Deno.test("PageCutterStream passes a run with no page end past its bound as chunk jobs", async () => {
  const input = withHugeParts();
  for (const how of CHUNKINGS) {
    const jobs = await collect(
      streamOf(chunk(input, how, 5)).pipeThrough(new PageCutterStream(1000, 4000)),
    );
    assertEquals(dec.decode(concat(jobs.map((j) => j.bytes))), dec.decode(input), how);
    const kinds = jobs.map((j) => j.kind === "chunk" ? (j.end ? "C" : "c") : "x").join("");
    // Streamed (not one chunk of everything), the run passes as chunks, and every passage
    // of chunks ends, just after a page end.
    if (how !== "whole") assert(/^x+(c+C)+x+$/.test(kinds), `${how}: ${kinds}`);
    let at = 0;
    for (const j of jobs) {
      at += j.bytes.length;
      if (j.kind === "xml" && how !== "whole") {
        assert(j.bytes.length < 1000 + 4000 + 65536, `${how}: ${j.bytes.length}`);
      }
      if (j.kind === "chunk" && j.end && !j.last) {
        assertEquals(dec.decode(input.subarray(at - 7, at)), "</page>", how);
      }
    }
  }
});

Deno.test("PageJobStream gives the same articles with chunk jobs as the page chain on one thread", async () => {
  const input = withHugeParts();
  const stages = { cleanup: {}, conversion: {} };
  const inline = (await collect(streamOf([input]).pipeThrough(new PageTokenizerStream()))).map(
    pageChain(stages),
  );
  const pool = new PageJobStream({ threads: 1, init: stages });
  await pool.ready;
  const pooled = await collect(
    streamOf(chunk(input, "random", 7)).pipeThrough(new PageCutterStream(1000, 4000)).pipeThrough(
      pool,
    ),
  );
  assertEquals(pooled.map((a) => [a.id, a.text]), inline.map((a) => [a.id, a.text]));
  assert(pooled.some((a) => a.id === 99 && a.text.startsWith("巨大的页面")));
});
