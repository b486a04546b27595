import { BalancedChainStream, PageBytesChainStream } from "../../src/parallel/mod.ts";
import { Bz2Reader } from "../../src/bz2/mod.ts";
import { Bz2FormatError, XmlSyntaxError } from "../../src/errors.ts";
import type { Article } from "../../src/types.ts";
import { assert, assertEquals, chunk, type Chunking, collect, streamOf } from "../_assert.ts";

const fixture = (name: string) =>
  Deno.readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const many = fixture("many-blocks.xml.bz2");
const badNs = fixture("many-blocks-bad-ns.xml.bz2");
const stages = { cleanup: {}, conversion: {} };
const SCANS = ["never", "always", "auto"] as const;

const view = (list: Article[]) => list.map((a) => [a.id, a.status, a.title, a.text]);
const errorView = (e: unknown) =>
  e instanceof XmlSyntaxError
    ? [e.name, e.message, e.line, e.column, e.byteOffset]
    : e instanceof Bz2FormatError
    ? [e.name, e.message, e.byteOffset]
    : [String(e)];

/** The one-thread result: decoded on this thread up to any damage, then the fused chain. */
async function oneThread(bz2: Uint8Array): Promise<{ articles: Article[]; error: unknown }> {
  const pieces: Uint8Array[] = [];
  let error: unknown = null;
  try {
    const r = new Bz2Reader(bz2);
    for (let p; (p = r.next()) !== null;) pieces.push(p);
  } catch (e) {
    error = e;
  }
  const articles = await collect(
    streamOf(pieces).pipeThrough(new PageBytesChainStream(stages, (e) => (error ??= e))),
  );
  return { articles, error };
}

async function balanced(
  bz2: Uint8Array,
  scan: (typeof SCANS)[number] | "alternate",
  how: Chunking,
  fragmentBytes?: number,
): Promise<{ articles: Article[]; error: unknown; there: number; fragments: number }> {
  let error: unknown = null;
  const s = new BalancedChainStream({
    stages,
    scan,
    fragmentBytes,
    onError: (e) => (error ??= e),
  });
  await s.ready;
  const articles = await collect(streamOf(chunk(bz2, how, 7)).pipeThrough(s));
  return { articles, error, there: s.pagesReadThere, fragments: s.fragments };
}

Deno.test("BalancedChainStream gives the one-thread articles whichever thread reads the pages", async () => {
  const expected = await oneThread(many);
  assertEquals(expected.error, null);
  assert(expected.articles.length === 3000, `${expected.articles.length} pages`);
  for (const scan of SCANS) {
    for (const how of ["whole", "random", "empty"] as const) {
      const got = await balanced(many, scan, how);
      assertEquals(got.error, null, `${scan} ${how}`);
      assertEquals(view(got.articles), view(expected.articles), `${scan} ${how}`);
      // Every fragment after the one holding the header is read there when asked to.
      if (scan === "never") assertEquals(got.there, 0);
      if (scan === "always") assert(got.there > 2000, `${got.there} pages read there`);
    }
  }
});

Deno.test("BalancedChainStream cuts decoded blocks into fragments at page ends", async () => {
  const expected = await oneThread(many);
  const whole = await balanced(many, "never", "whole");
  for (const scan of SCANS) {
    for (const size of [1, 3000, 20000]) {
      const got = await balanced(many, scan, "random", size);
      assertEquals(got.error, null, `${scan} ${size}`);
      assertEquals(view(got.articles), view(expected.articles), `${scan} ${size}`);
      // 1.9 MB of XML in 3,000 pages of about 650 bytes: a fragment per page at size 1.
      const least = size === 1 ? 2900 : Math.floor(1.9e6 / (size + 700));
      assert(got.fragments >= least, `${got.fragments} fragments at ${size} (${least} expected)`);
      assert(got.fragments > whole.fragments, `${got.fragments} vs ${whole.fragments} whole`);
    }
  }
});

Deno.test("BalancedChainStream takes compressed bytes one at a time", async () => {
  const expected = await oneThread(many);
  const got = await balanced(many, "always", "bytes1");
  assertEquals(got.error, null);
  assertEquals(view(got.articles), view(expected.articles));
});

Deno.test("BalancedChainStream writes the articles before bzip2 damage, then reports it", async () => {
  const broken = many.slice();
  broken[Math.floor(broken.length * 0.6)] ^= 0x55;
  const expected = await oneThread(broken);
  assert(expected.error instanceof Bz2FormatError, String(expected.error));
  assert(expected.articles.length > 500 && expected.articles.length < 3000);
  for (const scan of SCANS) {
    const got = await balanced(broken, scan, "random");
    assertEquals(errorView(got.error), errorView(expected.error), scan);
    assertEquals(view(got.articles), view(expected.articles), scan);
  }
});

Deno.test("BalancedChainStream reports XML damage at the same place whichever thread reads it", async () => {
  const expected = await oneThread(badNs);
  assert(expected.error instanceof XmlSyntaxError, String(expected.error));
  assertEquals(expected.error.message.startsWith('bad <ns> value "x"'), true);
  assert(expected.error.line > 50_000, `line ${expected.error.line}`);
  for (const scan of SCANS) {
    const got = await balanced(badNs, scan, "whole");
    assertEquals(errorView(got.error), errorView(expected.error), scan);
    assertEquals(view(got.articles), view(expected.articles), scan);
  }
});

Deno.test("BalancedChainStream reports XML damage at the same place when the threads take turns", async () => {
  // Every other fragment read on each thread: each reader must count what the other read.
  const expected = await oneThread(badNs);
  for (const fragmentBytes of [1, 1000, 2000, 7000, 40_000]) {
    const got = await balanced(badNs, "alternate", "whole", fragmentBytes);
    assertEquals(errorView(got.error), errorView(expected.error), `${fragmentBytes}`);
    assertEquals(view(got.articles), view(expected.articles), `${fragmentBytes}`);
    assert(got.there > 0 && got.there < got.articles.length, `both read (${fragmentBytes})`);
  }
});

Deno.test("BalancedChainStream errors its output when no one takes errors", async () => {
  const s = new BalancedChainStream({ stages, scan: "always" });
  await s.ready;
  let caught: unknown = null;
  try {
    await collect(streamOf([badNs]).pipeThrough(s));
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof XmlSyntaxError, String(caught));
});
