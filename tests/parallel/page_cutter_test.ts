import { PageCutterStream } from "../../src/parallel/mod.ts";
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
