import {
  IndexOffsetsStream,
  MultistreamSplitStream,
  XmlSplitStream,
} from "../../src/_multistream.ts";
import type { Job } from "../../src/_pool.ts";
import { Bz2FormatError, IoError } from "../../src/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  chunk,
  CHUNKINGS,
  collect,
  concat,
  streamOf,
} from "../_assert.ts";

const dec = new TextDecoder();
const sample = Deno.readFileSync(new URL("../fixtures/sample.xml", import.meta.url));

Deno.test("XmlSplitStream cuts after </page> into fragments that rebuild the dump, for every chunking", async () => {
  for (const how of CHUNKINGS) {
    const jobs = await collect(
      streamOf(chunk(sample, how, 3)).pipeThrough(new XmlSplitStream(1000)),
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

Deno.test("XmlSplitStream keeps a page larger than the fragment size whole", async () => {
  const big = `<mediawiki><page><title>a</title><text>${"x".repeat(100_000)}</text></page>` +
    `<page><title>b</title></page></mediawiki>`;
  const jobs = await collect(
    streamOf(chunk(new TextEncoder().encode(big), "random", 9)).pipeThrough(new XmlSplitStream(10)),
  );
  assertEquals(jobs.length, 3);
  assert(dec.decode((jobs[0] as { bytes: Uint8Array }).bytes).endsWith("</page>"));
});

Deno.test("IndexOffsetsStream returns distinct ascending offsets and names bad lines", async () => {
  const [offsets] = await collect(
    streamOf(["628:1:A\n628:2:B\n", "900:3:C:D\r\n900:4:E\n1200:5:F"]).pipeThrough(
      new IndexOffsetsStream("idx.txt"),
    ),
  );
  assertEquals(offsets, [628, 900, 1200]);
  await assertRejects(
    () => collect(streamOf(["628:1:A\nx:2:B\n"]).pipeThrough(new IndexOffsetsStream("idx.txt"))),
    IoError,
    'idx.txt: line 2 is not "offset:id:title"',
  );
});

Deno.test("MultistreamSplitStream cuts at stream starts and rejects an index that does not match", async () => {
  const data = Deno.readFileSync(
    new URL("../fixtures/sample-multistream.xml.bz2", import.meta.url),
  );
  const index = Deno.readTextFileSync(
    new URL("../fixtures/sample-multistream-index.txt", import.meta.url),
  );
  const offsets = [...new Set(index.trim().split("\n").map((l) => Number(l.split(":")[0])))];
  const jobs: Job[] = await collect(
    streamOf(chunk(data, "bytes1")).pipeThrough(new MultistreamSplitStream(offsets, undefined, 1)),
  );
  assertEquals(jobs.map((j) => (j.kind === "streams" ? [j.base, j.first] : [])), [
    [0, true],
    [offsets[0], false],
    [offsets[1], false],
  ]);
  const err = await assertRejects(
    () =>
      collect(
        streamOf([data]).pipeThrough(new MultistreamSplitStream([offsets[0] + 1], undefined, 1)),
      ),
    Bz2FormatError,
    "the multistream index does not match this dump",
  );
  assertEquals(err.byteOffset, offsets[0] + 1);
});

Deno.test("XmlSplitStream marks only the last job, even when the input ends at a cut", async () => {
  const text = dec.decode(sample);
  const cutAt = text.indexOf("</page>", text.indexOf("</page>") + 1) + "</page>".length;
  const truncated = new TextEncoder().encode(text.slice(0, cutAt));
  const jobs = await collect(streamOf([truncated]).pipeThrough(new XmlSplitStream(100)));
  const lasts = jobs.map((j) => j.kind === "xml" && j.last);
  assertEquals(lasts.slice(0, -1).every((x) => !x), true);
  assertEquals(lasts.at(-1), true);
  // The cut fell on the end of the input: the last job is empty, so the worker sees the
  // root element unclosed and reports the truncation.
  assertEquals((jobs.at(-1) as { bytes: Uint8Array }).bytes.length, 0);
});
