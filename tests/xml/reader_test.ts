import { MAX_TEXT_BYTES, newlines, PageReader, PageTokenizerStream } from "../../src/xml/mod.ts";
import { XmlSyntaxError } from "../../src/errors.ts";
import type { PageRecord } from "../../src/types.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  chunk,
  CHUNKINGS,
  concat,
  corpusPath,
  rng,
  streamOf,
} from "../_assert.ts";

const enc = new TextEncoder();
const fixtures = new URL("./fixtures/", import.meta.url);

/** Pages the stream emits before it ends, and how it ended (onError: the pipeline's way). */
async function readAll(chunks: Uint8Array[], maxTextBytes?: number) {
  const pages: PageRecord[] = [];
  let error: unknown = null;
  const stream = streamOf(chunks).pipeThrough(
    new PageTokenizerStream({ onError: (e) => (error = e), maxTextBytes }),
  );
  for await (const p of stream) pages.push(p);
  return { pages, error };
}

/** Reads `bytes` with one PageReader, collecting pages until it throws. */
function readerAll(bytes: Uint8Array, options = {}): { pages: PageRecord[]; error: unknown } {
  const reader = new PageReader(options);
  const pages: PageRecord[] = [];
  try {
    pages.push(...reader.push(bytes));
    pages.push(...reader.end());
  } catch (e) {
    return { pages, error: e };
  }
  return { pages, error: null };
}

function hex(line: string): Uint8Array {
  return new Uint8Array(line.trim().split(/\s+/).map((h) => parseInt(h, 16)));
}

Deno.test("PageReader points an invalid UTF-8 error at the bad byte and keeps the pages before it", async () => {
  const template = Deno.readTextFileSync(new URL("bad-utf8.xml", fixtures));
  const cases = Deno.readTextFileSync(new URL("bad-utf8.cases.txt", fixtures)).split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const [before, after] = template.split("{BAD}").map((s) => enc.encode(s));
  for (const c of cases) {
    const input = concat([before, hex(c), after]);
    for (const how of CHUNKINGS) {
      const { pages, error } = await readAll(chunk(input, how, 3));
      assert(error instanceof XmlSyntaxError, `${c} ${how}: ${error}`);
      assertEquals(
        [error.message, error.line, error.column, error.byteOffset],
        ["invalid UTF-8 data", 16, 3, before.length],
        `${c} ${how}`,
      );
      assertEquals(pages.map((p) => p.title), ["甲"], `${c} ${how}`);
    }
  }
});

Deno.test("PageReader points at bad UTF-8 outside the fields it keeps too", () => {
  const head = `<mediawiki><page><title>甲</title><ns>0</ns><id>1</id><revision>` +
    `<text>a</text></revision></page>\n<page><title>乙</title><ns>0</ns><id>2</id>` +
    `<revision><comment>改`;
  const input = concat([enc.encode(head), new Uint8Array([0xe6, 0x41]), enc.encode("x")]);
  const { pages, error } = readerAll(input);
  assert(error instanceof XmlSyntaxError, String(error));
  assertEquals([error.line, error.column, error.byteOffset], [2, 63, enc.encode(head).length]);
  assertEquals(pages.map((p) => p.title), ["甲"]);
});

/** The zhwiki fragment cut before `<page>` lines into three parts. */
function fragments(xml: Uint8Array): Uint8Array[] {
  const s = new TextDecoder().decode(xml);
  const starts: number[] = [];
  for (let i = s.indexOf("  <page>"); i >= 0; i = s.indexOf("  <page>", i + 1)) starts.push(i);
  const cuts = [0, starts[3], starts[Math.floor(starts.length / 2)], s.length];
  const parts: Uint8Array[] = [];
  for (let k = 0; k < 3; k++) parts.push(enc.encode(s.slice(cuts[k], cuts[k + 1])));
  return parts;
}

/** Reads fragments as workers do: each its own reader, positions carried over. */
function readFragments(parts: Uint8Array[]): { pages: PageRecord[]; error: unknown } {
  const pages: PageRecord[] = [];
  let offset = 0;
  let lines = 0;
  for (let k = 0; k < parts.length; k++) {
    const reader = new PageReader({
      baseOffset: offset,
      baseLine: lines,
      startInRoot: k > 0,
      endInRoot: k < parts.length - 1,
    });
    try {
      pages.push(...reader.push(parts[k]));
      pages.push(...reader.end());
    } catch (e) {
      return { pages, error: e };
    }
    offset += parts[k].length;
    lines += reader.lines;
  }
  return { pages, error: null };
}

Deno.test("PageReader reads a dump in fragments as it reads it whole", () => {
  const path = corpusPath("zhwiki-2018-head.xml");
  if (path === null) return;
  const xml = Deno.readFileSync(path);
  const whole = readerAll(xml);
  assertEquals(whole.error, null);
  assertEquals(whole.pages.length, 33);
  const parts = fragments(xml);
  assertEquals(readFragments(parts), whole);
  const reader = new PageReader();
  reader.push(xml);
  reader.end();
  assertEquals(reader.lines, xml.filter((b) => b === 10).length);
});

Deno.test("PageReader reports an error in a later fragment at its place in the whole dump", () => {
  const path = corpusPath("broken/zhwiki-broken-3.xml");
  if (path === null) return;
  const xml = Deno.readFileSync(path);
  const whole = readerAll(xml);
  const parts = readFragments(fragments(xml));
  assert(whole.error instanceof XmlSyntaxError && parts.error instanceof XmlSyntaxError);
  const where = (e: XmlSyntaxError) => [e.message, e.line, e.column, e.byteOffset];
  assertEquals(where(parts.error), where(whole.error));
  assertEquals(whole.error.line, 374);
  assertEquals(parts.pages, whole.pages);
});

Deno.test("PageReader returns the pages before an error, then throws it", () => {
  const xml = enc.encode(
    `<mediawiki><page><title>甲</title><ns>0</ns><id>1</id><revision><text>a</text>` +
      `</revision></page><page><title>乙</title></titel>`,
  );
  const reader = new PageReader();
  assertEquals(reader.push(xml).map((p) => p.title), ["甲"]);
  assert(reader.error instanceof XmlSyntaxError);
  const err = assertThrows(() => reader.end());
  assertEquals(err, reader.error);
  assert(err instanceof XmlSyntaxError);
  assertEquals(err.message, "</titel> does not close <page>");
});

function assertThrows(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

function bigPage(title: string, n: number): string {
  return `<page><title>${title}</title><ns>0</ns><id>9</id><revision><text>` +
    `${"大&amp;小 ".repeat(n)}</text></revision></page>`;
}

Deno.test("PageReader skips a page whose text passes the limit and counts it as oversize", async () => {
  const xml = enc.encode(
    `<mediawiki>${bigPage("甲", 2)}${bigPage("乙", 50)}${bigPage("丙", 3)}</mediawiki>`,
  );
  for (const how of CHUNKINGS) {
    const { pages, error } = await readAll(chunk(xml, how, 5), 200);
    assertEquals(error, null, how);
    assertEquals(
      pages.map((p) => [p.title, p.text.length, p.skip]),
      [["甲", 8, undefined], ["乙", 0, "oversize"], ["丙", 12, undefined]],
      how,
    );
  }
  assertEquals(MAX_TEXT_BYTES, 64 * 1024 * 1024);
});

Deno.test("PageReader still checks the text it drops", async () => {
  const xml = enc.encode(`<mediawiki>${bigPage("乙", 50).replace("</text>", "&bad;</text>")}`);
  await assertRejects(
    () => readAll([xml], 200).then((r) => Promise.reject(r.error)),
    XmlSyntaxError,
    "undefined entity &bad;",
  );
});

/** Peak-free check: RSS after feeding `total` bytes of `filler` between `head` and `tail`. */
function feed(head: string, filler: number, total: number, tail: string, max?: number) {
  const reader = new PageReader({ maxTextBytes: max });
  const pages = reader.push(enc.encode(head));
  const piece = new Uint8Array(1 << 20).fill(filler);
  const rss0 = Deno.memoryUsage().rss;
  for (let sent = 0; sent < total; sent += piece.length) pages.push(...reader.push(piece));
  pages.push(...reader.push(enc.encode(tail)), ...reader.end());
  return { pages, grew: Deno.memoryUsage().rss - rss0 };
}

const PAGE =
  "<page><title>甲</title><ns>0</ns><id>1</id><revision><text>x</text></revision></page>";

Deno.test("PageReader keeps memory bounded on a huge run of whitespace, comment or text", () => {
  const MB = 1 << 20;
  const ws = feed(`<mediawiki>${PAGE}`, 0x20, 512 * MB, `${PAGE}</mediawiki>`);
  assertEquals(ws.pages.length, 2);
  assert(ws.grew < 64 * MB, `whitespace: RSS grew ${ws.grew >> 20} MB`);
  const comment = feed(`<mediawiki>${PAGE}<!--`, 0x41, 256 * MB, `-->${PAGE}</mediawiki>`);
  assertEquals(comment.pages.length, 2);
  assert(comment.grew < 64 * MB, `comment: RSS grew ${comment.grew >> 20} MB`);
  const text = feed(
    `<mediawiki><page><title>乙</title><ns>0</ns><id>2</id><revision><text>`,
    0x41,
    256 * MB,
    `</text></revision></page>${PAGE}</mediawiki>`,
    8 * MB,
  );
  assertEquals(text.pages.map((p) => [p.title, p.skip]), [["乙", "oversize"], ["甲", undefined]]);
  assert(text.grew < 64 * MB, `text: RSS grew ${text.grew >> 20} MB`);
});

Deno.test("PageReader skip counts the pages another reader read in later positions", () => {
  const text = new TextDecoder().decode(
    Deno.readFileSync(new URL("../fixtures/sample.xml", import.meta.url)),
  );
  // Damage after the third page; pages two and three are read elsewhere.
  const ends: number[] = [];
  for (let i = text.indexOf("</page>"); i >= 0; i = text.indexOf("</page>", i + 1)) {
    ends.push(i + 7);
  }
  const broken = text.slice(0, ends[2]) + "\n  <page><title>x</titel>" + text.slice(ends[2]);
  const bytes = enc.encode(broken);
  const at = (chars: number) => enc.encode(broken.slice(0, chars)).length;
  const whole = readerAll(bytes);
  assert(whole.error instanceof XmlSyntaxError);
  const r = new PageReader({});
  const pages = r.push(bytes.subarray(0, at(ends[0])));
  const skipped = bytes.subarray(at(ends[0]), at(ends[2]));
  const lines = skipped.filter((b) => b === 10).length;
  const tail = broken.slice(ends[0], ends[2]);
  r.skip({
    bytes: skipped.length,
    lines,
    tailChars: [...tail.slice(tail.lastIndexOf("\n") + 1)].length,
  });
  let error: unknown = null;
  try {
    for (const p of r.push(bytes.subarray(at(ends[2])))) pages.push(p);
    if (r.error) throw r.error;
    r.end();
  } catch (e) {
    error = e;
  }
  assert(error instanceof XmlSyntaxError, String(error));
  const e = whole.error as XmlSyntaxError;
  assertEquals([error.message, error.line, error.column, error.byteOffset], [
    e.message,
    e.line,
    e.column,
    e.byteOffset,
  ]);
  assertEquals(pages.map((p) => p.title), whole.pages.slice(0, 1).map((p) => p.title));
});

Deno.test("PageReader skip is refused inside a page", () => {
  const r = new PageReader({});
  r.push(enc.encode("<mediawiki>\n  <page><title>a</title>"));
  let refused = false;
  try {
    r.skip({ bytes: 10, lines: 1, tailChars: 0 });
  } catch {
    refused = true;
  }
  assert(refused);
});

Deno.test("newlines counts the line feeds of any view, aligned or not", () => {
  const buf = new Uint8Array(1000);
  const next = rng(3);
  for (let i = 0; i < buf.length; i++) buf[i] = next() < 0.2 ? 10 : next() < 0.5 ? 0x0b : 0xe4;
  for (let from = 0; from < 40; from++) {
    for (let to = from; to <= buf.length; to += 37) {
      const view = buf.subarray(from, to);
      assertEquals(newlines(view), view.filter((b) => b === 10).length, `${from}..${to}`);
    }
  }
});

Deno.test("PageReader keeps a U+FFFD that the dump holds, written or as an entity", () => {
  // The reader decodes without validating first and checks again where U+FFFD appears:
  // valid text holding one must come out unchanged, and damage next to one is still damage.
  const page = (title: string, text: string) =>
    `<page><title>${title}</title><ns>0</ns><id>1</id><revision><text>${text}</text>` +
    `</revision></page>`;
  const xml = `<mediawiki>${page("甲\uFFFD", "前\uFFFD後")}${page("乙", "&amp;\uFFFD&#xFFFD;")}` +
    `</mediawiki>`;
  const { pages, error } = readerAll(enc.encode(xml));
  assertEquals(error, null);
  assertEquals(pages.map((p) => [p.title, p.text]), [
    ["甲\uFFFD", "前\uFFFD後"],
    ["乙", "&\uFFFD\uFFFD"],
  ]);
  const head = enc.encode(
    `<mediawiki><page><title>丙</title><ns>0</ns><id>1</id><revision><text>\uFFFD`,
  );
  const bad = concat([head, new Uint8Array([0xff]), enc.encode("</text></revision></page>")]);
  const r = readerAll(bad);
  assert(r.error instanceof XmlSyntaxError, String(r.error));
  assertEquals([r.error.message, r.error.byteOffset], ["invalid UTF-8 data", head.length]);
});
