import { defaultThreads, layout, threadLimit, usefulThreads } from "../../src/parallel/mod.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("layout puts decoding beside the page stages on 2 threads, and shares out more", () => {
  assertEquals(layout(1, "bz2", true), { decoders: 0, pageWorkers: 0, byStreams: false });
  assertEquals(layout(2, "bz2", false), { decoders: 1, pageWorkers: 0, byStreams: false });
  assertEquals(layout(2, "bz2", true), { decoders: 1, pageWorkers: 0, byStreams: false });
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

Deno.test("threadLimit allows 4 threads per core within 64, and usefulThreads fits small inputs", () => {
  assertEquals([1, 2, 8, 16, 32].map(threadLimit), [4, 8, 32, 64, 64]);
  assertEquals(defaultThreads(2), 2);
  assertEquals(defaultThreads(100), 64);
  // A 2-article file never starts 64 heaps; stdin (size unknown) keeps what was asked.
  assertEquals(usefulThreads(64, 20_000), 3);
  assertEquals(usefulThreads(64, 0), 64);
  assertEquals(usefulThreads(4, 1e9), 4);
});
