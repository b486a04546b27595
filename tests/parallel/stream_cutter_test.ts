import { type Job, StreamCutterStream } from "../../src/parallel/mod.ts";
import { Bz2FormatError } from "../../src/errors.ts";
import { assertEquals, assertRejects, chunk, collect, streamOf } from "../_assert.ts";

Deno.test("StreamCutterStream cuts at stream starts and rejects an index that does not match", async () => {
  const data = Deno.readFileSync(
    new URL("../fixtures/sample-multistream.xml.bz2", import.meta.url),
  );
  const index = Deno.readTextFileSync(
    new URL("../fixtures/sample-multistream-index.txt", import.meta.url),
  );
  const offsets = [...new Set(index.trim().split("\n").map((l) => Number(l.split(":")[0])))];
  const jobs: Job[] = await collect(
    streamOf(chunk(data, "bytes1")).pipeThrough(new StreamCutterStream(offsets, undefined, 1)),
  );
  assertEquals(jobs.map((j) => (j.kind === "streams" ? [j.base, j.first] : [])), [
    [0, true],
    [offsets[0], false],
    [offsets[1], false],
  ]);
  const err = await assertRejects(
    () =>
      collect(
        streamOf([data]).pipeThrough(new StreamCutterStream([offsets[0] + 1], undefined, 1)),
      ),
    Bz2FormatError,
    "the multistream index does not match this dump",
  );
  assertEquals(err.byteOffset, offsets[0] + 1);
});
