import { readIndex } from "../../src/parallel/mod.ts";
import { IoError } from "../../src/errors.ts";
import { assertEquals, assertRejects, streamOf } from "../_assert.ts";

const enc = new TextEncoder();
const bytes = (parts: string[]) => streamOf(parts.map((p) => enc.encode(p)));

Deno.test("readIndex returns distinct ascending offsets and names bad lines", async () => {
  const index = await readIndex(
    bytes(["628:1:A\n628:2:B\n", "900:3:C:D\r\n900:4:E\n1200:5:F"]),
    { path: "idx.txt", compressed: false, wanted: (t) => t.includes(":") || t === "F" },
  );
  assertEquals(index.offsets, [628, 900, 1200]);
  // Titles keep their own colons.
  assertEquals(index.found, [
    { offset: 900, id: 3, title: "C:D" },
    { offset: 1200, id: 5, title: "F" },
  ]);
  await assertRejects(
    () => readIndex(bytes(["628:1:A\nx:2:B\n"]), { path: "idx.txt", compressed: false }),
    IoError,
    'idx.txt: line 2 is not "offset:id:title"',
  );
  await assertRejects(
    () => readIndex(bytes(["9:1:A\n8:2:B\n"]), { path: "idx.txt", compressed: false }),
    IoError,
    "idx.txt: line 2: offsets go backwards",
  );
  await assertRejects(
    () => readIndex(bytes(["9:1:" + "x".repeat(70_000)]), { path: "idx.txt", compressed: false }),
    IoError,
    "is too long",
  );
});
