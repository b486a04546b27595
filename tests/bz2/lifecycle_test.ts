import { Bzip2DecompressionStream } from "../../src/bz2/mod.ts";
import { Bz2FormatError } from "../../src/errors.ts";
import { crc32 } from "../../src/bz2/_crc.ts";
import { assert, assertEquals, assertStringIncludes, concat, streamOf } from "../_assert.ts";
import { fixedChunks, fixture } from "./_util.ts";

// These tests run with Deno's op and resource sanitizers: a worker or timer
// left behind by the stream makes them fail.

Deno.test("Bzip2DecompressionStream stops its workers when the reader cancels", async () => {
  // Ten streams of three blocks each.
  const one = fixture("text-1.bz2");
  const chunks = fixedChunks(concat(Array.from({ length: 10 }, () => one)), 1000);
  let pulled = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled < chunks.length) c.enqueue(chunks[pulled++]);
      else c.close();
    },
  });
  const reader = source.pipeThrough(new Bzip2DecompressionStream({ threads: 2 })).getReader();
  const first = await reader.read();
  assert(!first.done && first.value.length > 0, "one block arrives");
  await reader.cancel("enough");
  // Let the pipe notice; the source must not be read to the end.
  await new Promise((r) => setTimeout(r, 50));
  assert(pulled < chunks.length, `source read to the end (${pulled} chunks)`);
});

Deno.test("Bzip2DecompressionStream stops its workers when cancelled unused", async () => {
  const s = new Bzip2DecompressionStream({ threads: 2 });
  await s.readable.cancel();
  await s.writable.abort();
});

Deno.test("Bzip2DecompressionStream passes on an error from its source", async () => {
  const data = fixture("text-1.bz2");
  let sent = false;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(data.subarray(0, 30000));
      } else c.error(new Error("disk on fire"));
    },
  });
  let error: unknown = null;
  try {
    for await (const _ of source.pipeThrough(new Bzip2DecompressionStream({ threads: 2 }))) {
      // drain
    }
  } catch (e) {
    error = e;
  }
  assert(error instanceof Error && error.message === "disk on fire", `got ${error}`);
});

Deno.test("Bzip2DecompressionStream write side rejects after a format error", async () => {
  const s = new Bzip2DecompressionStream({ threads: 2 });
  const writer = s.writable.getWriter();
  const reading = (async () => {
    for await (const _ of s.readable) { /* drain */ }
  })();
  let writeError: unknown = null;
  try {
    await writer.write(new TextEncoder().encode("not bzip2 at all"));
    await writer.write(new Uint8Array(10));
  } catch (e) {
    writeError = e;
  }
  assert(writeError instanceof Bz2FormatError, `write: ${writeError}`);
  let readError: unknown = null;
  await reading.catch((e) => (readError = e));
  assert(readError instanceof Bz2FormatError, `read: ${readError}`);
  assertEquals(readError.message, "bad bzip2 magic");
});

Deno.test("Bzip2DecompressionStream works over a long input read slowly", async () => {
  // Many small chunks and a slow reader: backpressure must not deadlock or drop data.
  const original = fixture("text.bin");
  const out = new Uint8Array(original.length);
  let at = 0;
  const s = streamOf(fixedChunks(fixture("text-1.bz2"), 333))
    .pipeThrough(new Bzip2DecompressionStream({ threads: 2, maxInFlight: 1 }));
  for await (const c of s) {
    await new Promise((r) => setTimeout(r, 5));
    out.set(c, at);
    at += c.length;
  }
  assertEquals(at, original.length);
  assertEquals(crc32(out), crc32(original));
});

async function probe(file: string, mode = ""): Promise<string> {
  // By name, so that the test task's --allow-run=deno covers it.
  const cmd = new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-read",
      new URL("./_probe.ts", import.meta.url).pathname,
      file,
      mode,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  const err = new TextDecoder().decode(stderr);
  assertEquals(code, 0, `probe exited with ${code} (killed if it hung): ${err}`);
  return new TextDecoder().decode(stdout).trim();
}

Deno.test("Bzip2DecompressionStream decodes after read permission is revoked, then exits", async () => {
  const path = new URL("../fixtures/bz2/text-1.bz2", import.meta.url).pathname;
  const original = fixture("text.bin");
  assertEquals(await probe(path), `ok ${original.length} ${crc32(original)}`);
});

Deno.test("Bzip2DecompressionStream lets the process exit after a format error", async () => {
  const path = new URL("../fixtures/bz2/text-1.bz2", import.meta.url).pathname;
  assertStringIncludes(await probe(path, "flip"), "error ");
});
