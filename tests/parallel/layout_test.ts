import { layout } from "../../src/parallel/mod.ts";
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
