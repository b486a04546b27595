import { PageBytesChainStream, pageChain, parseFragment } from "../../src/parallel/mod.ts";
import { READ_PIECE } from "../../src/parallel/_chain.ts";
import { PageReader, PageTokenizerStream } from "../../src/xml/mod.ts";
import { XmlSyntaxError } from "../../src/errors.ts";
import type { Article } from "../../src/types.ts";
import { assert, assertEquals, chunk, CHUNKINGS, collect, streamOf } from "../_assert.ts";

const sample = Deno.readFileSync(new URL("../fixtures/sample.xml", import.meta.url));
const stages = { cleanup: {}, conversion: {} };

const view = (list: Article[]) => list.map((a) => [a.id, a.status, a.title, a.text]);

/** The two-stage form the fused stream replaces: tokenizer, then the page chain. */
async function twoStages(input: Uint8Array[], onError?: (e: unknown) => void) {
  const pages = await collect(streamOf(input).pipeThrough(new PageTokenizerStream({ onError })));
  return pages.map(pageChain(stages));
}

Deno.test("PageBytesChainStream gives the articles of the tokenizer and the page chain, for every chunking", async () => {
  const expected = await twoStages([sample]);
  assert(expected.length >= 5, `${expected.length} pages`);
  assert(expected.some((a) => a.status === "article" && a.text.length > 0));
  for (const how of CHUNKINGS) {
    const got = await collect(
      streamOf(chunk(sample, how, 5)).pipeThrough(new PageBytesChainStream(stages)),
    );
    assertEquals(view(got), view(expected), how);
  }
});

Deno.test("PageBytesChainStream writes the pages before damage, then reports it and ends cleanly", async () => {
  const text = new TextDecoder().decode(sample);
  const cut = text.indexOf("</page>", text.indexOf("</page>") + 1) + 7;
  const broken = new TextEncoder().encode(text.slice(0, cut) + "\n  <page><title>x</titel>");
  for (const how of CHUNKINGS) {
    const errors: unknown[] = [];
    const expectedErrors: unknown[] = [];
    const expected = await twoStages([broken], (e) => expectedErrors.push(e));
    const got = await collect(
      streamOf(chunk(broken, how, 3)).pipeThrough(
        new PageBytesChainStream(stages, (e) => errors.push(e)),
      ),
    );
    assertEquals(view(got), view(expected), how);
    assertEquals(got.length, 2, how);
    assertEquals(errors.length, 1, how);
    const e = errors[0] as XmlSyntaxError;
    const x = expectedErrors[0] as XmlSyntaxError;
    assert(e instanceof XmlSyntaxError, how);
    assertEquals([e.line, e.column, e.byteOffset], [x.line, x.column, x.byteOffset], how);
  }
});

Deno.test("PageBytesChainStream errors the stream when no onError is given", async () => {
  const bad = new TextEncoder().encode("<mediawiki><page><title>x</titel></page></mediawiki>");
  let caught: unknown = null;
  try {
    await collect(streamOf([bad]).pipeThrough(new PageBytesChainStream(stages)));
  } catch (err) {
    caught = err;
  }
  assert(caught instanceof XmlSyntaxError, String(caught));
});

/** A dump of `n` pages of about 700 bytes of UTF-8 each, so that pieces split pages and characters. */
function bigDump(n: number, damageAt = -1): Uint8Array {
  const parts = ["<mediawiki><siteinfo><namespaces></namespaces></siteinfo>\n"];
  for (let i = 1; i <= n; i++) {
    const text = i === damageAt ? "<oops>" : `第${i}頁的内容，'''粗體'''與[[連結]]。`.repeat(12);
    parts.push(
      `<page><title>頁${i}</title><ns>0</ns><id>${i}</id><revision><text>${text}</text></revision></page>\n`,
    );
  }
  parts.push("</mediawiki>\n");
  return new TextEncoder().encode(parts.join(""));
}

Deno.test("parseFragment gives the pages of a fragment larger than READ_PIECE as one push does", () => {
  const dump = bigDump(1500);
  assert(dump.length > 3 * READ_PIECE, `${dump.length} bytes`);
  const reader = new PageReader({});
  const whole = [...reader.push(dump), ...reader.end()];
  assertEquals(whole.length, 1500);
  const seen: number[] = [];
  const [ids, error] = parseFragment(null, [dump], true, (p) => {
    seen.push(p.id);
    return p.id;
  });
  assertEquals(error, null);
  assertEquals(ids, whole.map((p) => p.id));
  assertEquals(seen, ids);
  const [pages] = parseFragment(null, [dump], true, (p) => p);
  assertEquals(pages, whole);
});

Deno.test("parseFragment past READ_PIECE gives the pages before damage and the error at its place", () => {
  const dump = bigDump(1500, 1000);
  const [ids, error] = parseFragment(null, [dump], true, (p) => p.id);
  assertEquals(ids, Array.from({ length: 999 }, (_, i) => i + 1));
  assert(error instanceof XmlSyntaxError, String(error));
  const at = new TextDecoder().decode(dump).indexOf("<oops>");
  const bytesBefore = new TextEncoder().encode(new TextDecoder().decode(dump).slice(0, at)).length;
  assert(bytesBefore > READ_PIECE, `${bytesBefore}`);
  assertEquals(error.byteOffset, bytesBefore);
});
