import { layout } from "../../src/pipeline.ts";
import { ParallelDecodeStream } from "../../src/_pool.ts";
import { MultistreamSplitStream } from "../../src/_multistream.ts";
import { Bz2FormatError } from "../../src/errors.ts";
import { assert, assertEquals, chunk, CHUNKINGS, collect, concat, streamOf } from "../_assert.ts";

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const sample = Deno.readFileSync(fixture("sample.xml"));
const multi = Deno.readFileSync(fixture("sample-multistream.xml.bz2"));
const offsets = [
  ...new Set(
    Deno.readTextFileSync(fixture("sample-multistream-index.txt")).trimEnd().split("\n")
      .map((l) => Number(l.split(":")[0])),
  ),
];
const init = { cleanup: {}, conversion: {} };

Deno.test("layout puts decoding beside the page stages on 2 threads, and shares out more", () => {
  assertEquals(layout(1, "bz2", true), { decoders: 0, pageWorkers: 0, byStreams: false });
  assertEquals(layout(2, "bz2", false), { decoders: 1, pageWorkers: 0, byStreams: false });
  assertEquals(layout(2, "bz2", true), { decoders: 1, pageWorkers: 0, byStreams: true });
  assertEquals(layout(2, "xml", false), { decoders: 0, pageWorkers: 0, byStreams: false });
  assertEquals(layout(3, "bz2", false), { decoders: 1, pageWorkers: 2, byStreams: false });
  assertEquals(layout(4, "bz2", true), { decoders: 0, pageWorkers: 4, byStreams: true });
  assertEquals(layout(8, "bz2", false), { decoders: 4, pageWorkers: 4, byStreams: false });
  assertEquals(layout(8, "xml", false), { decoders: 0, pageWorkers: 8, byStreams: false });
  for (let t = 1; t <= 64; t++) {
    const l = layout(t, "bz2", false);
    // Busy threads: the decoders, and the page workers or else this thread.
    assertEquals(l.decoders + Math.max(1, l.pageWorkers), t, `${t}: ${JSON.stringify(l)}`);
  }
});

Deno.test("ParallelDecodeStream decodes runs of whole streams back to the dump, for every chunking", async () => {
  for (const how of CHUNKINGS) {
    for (const threads of [1, 2]) {
      const out = await collect(
        streamOf(chunk(multi, how, 5))
          .pipeThrough(new MultistreamSplitStream(offsets, undefined, 1))
          .pipeThrough(new ParallelDecodeStream({ threads, init })),
      );
      assertEquals(new TextDecoder().decode(concat(out)), new TextDecoder().decode(sample), how);
    }
  }
});

Deno.test("ParallelDecodeStream reports damage with its byte offset after the bytes before it", async () => {
  const cut = multi.subarray(0, offsets[offsets.length - 1] + 200);
  let error: unknown = null;
  const out = await collect(
    streamOf([cut])
      .pipeThrough(new MultistreamSplitStream(offsets, undefined, 1))
      .pipeThrough(new ParallelDecodeStream({ threads: 1, init, onError: (e) => (error = e) })),
  );
  assert(error instanceof Bz2FormatError, String(error));
  assert(error.byteOffset >= offsets[offsets.length - 1], `offset ${error.byteOffset}`);
  const text = new TextDecoder().decode(concat(out));
  assert(text.length > 0 && new TextDecoder().decode(sample).startsWith(text), text);
});
