import { PageTokenizerStream } from "../../src/xml/mod.ts";
import { XmlSyntaxError } from "../../src/errors.ts";
import type { PageRecord } from "../../src/types.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  chunk,
  CHUNKINGS,
  collect,
  corpusPath,
  streamOf,
} from "../_assert.ts";

const enc = new TextEncoder();
const sample = Deno.readFileSync(new URL("../fixtures/sample.xml", import.meta.url));

function parse(bytes: Uint8Array, how: (typeof CHUNKINGS)[number] = "whole", seed = 1) {
  return collect(streamOf(chunk(bytes, how, seed)).pipeThrough(new PageTokenizerStream()));
}

function dump(pages: string, head = ""): Uint8Array {
  return enc.encode(
    `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/">${head}${pages}</mediawiki>`,
  );
}

function page(title: string, ns: number | null, id: number, text: string, extra = ""): string {
  const nsEl = ns === null ? "" : `<ns>${ns}</ns>`;
  return `<page><title>${title}</title>${nsEl}<id>${id}</id>${extra}<revision><id>9${id}</id>` +
    `<text xml:space="preserve">${text}</text></revision></page>`;
}

Deno.test("PageTokenizerStream emits every page of the sample dump with its fields", async () => {
  const pages = await parse(sample);
  assertEquals(pages.map((p) => [p.id, p.ns, p.title, p.redirect]), [
    [101, 0, "計算機", null],
    [102, 0, "電腦", "計算機"],
    [103, 4, "Wikipedia:沙盒", null],
    [104, 0, "Re:從零開始的異世界生活", null],
    [105, 0, "空頁面", null],
    [106, 828, "模块:CGroup/IT", null],
    [107, 0, "網路", null],
    [108, 0, "數學", null],
    [109, 0, "水星 (消歧義)", null],
    [110, 0, "電子計算機", null],
  ]);
  // XML entities are decoded: the wikitext sees real angle brackets.
  assert(pages[0].text.includes("<ref>{{cite book"));
  assertEquals(pages[4].text, "");
  assertEquals(pages[1].text, "#重定向 [[計算機]]");
});

Deno.test("PageTokenizerStream gives identical pages for one-byte, random and empty chunks", async () => {
  const expected = await parse(sample);
  for (const how of CHUNKINGS) {
    for (const seed of [1, 2, 3]) {
      assertEquals(await parse(sample, how, seed), expected, `chunking ${how} seed ${seed}`);
      if (how === "whole" || how === "bytes1") break;
    }
  }
});

Deno.test("PageTokenizerStream takes the page id, not the revision or contributor id", async () => {
  const xml = dump(
    `<page><title>甲</title><ns>0</ns><id>7</id><revision><id>70</id><contributor><id>700</id>` +
      `</contributor><text>x</text></revision></page>`,
  );
  const [p] = await parse(xml);
  assertEquals(p.id, 7);
});

Deno.test("PageTokenizerStream keeps the last revision of a full-history page", async () => {
  const xml = dump(
    `<page><title>甲</title><ns>0</ns><id>1</id><revision><text>old</text></revision>` +
      `<revision><text>new</text></revision></page>`,
  );
  assertEquals((await parse(xml))[0].text, "new");
});

Deno.test("PageTokenizerStream derives a missing <ns> from the title prefix and siteinfo", async () => {
  const head = `<siteinfo><namespaces><namespace key="4">Wikipedia</namespace>` +
    `<namespace key="828">模块</namespace></namespaces></siteinfo>`;
  const pages = await parse(
    dump(
      page("Wikipedia:关于", null, 1, "a") + page("模块:CGroup/IT", null, 2, "b") +
        page("Re:从零开始", null, 3, "c") + page("Template:Foo", null, 4, "d") +
        page("数学", null, 5, "e"),
      head,
    ),
  );
  assertEquals(pages.map((p) => p.ns), [4, 828, 0, 10, 0]);
});

Deno.test("PageTokenizerStream never guesses a namespace when <ns> is present", async () => {
  const [p] = await parse(dump(page("Wikipedia:关于", 0, 1, "a")));
  assertEquals(p.ns, 0);
});

Deno.test("PageTokenizerStream decodes UTF-16 dumps with a byte-order mark", async () => {
  const text = new TextDecoder().decode(dump(page("数学", 0, 1, "数学是&amp;科学")));
  const le = new Uint8Array(2 + text.length * 2);
  le[0] = 0xff;
  le[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    le[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  for (const how of ["whole", "bytes1"] as const) {
    const [p] = await parse(le, how);
    assertEquals([p.title, p.text], ["数学", "数学是&科学"]);
  }
});

Deno.test("PageTokenizerStream reads CDATA text", async () => {
  const [p] = await parse(dump(page("甲", 0, 1, "<![CDATA[a < b]]>")));
  assertEquals(p.text, "a < b");
});

async function xmlError(bytes: Uint8Array): Promise<XmlSyntaxError> {
  return await assertRejects(() => parse(bytes), XmlSyntaxError);
}

Deno.test("PageTokenizerStream reports a page without <title> with its position", async () => {
  const err = await xmlError(
    dump(`<page><ns>0</ns><id>5</id><revision><text>x</text></revision></page>`),
  );
  assertEquals(err.message, "page without <title> (id 5)");
  assertEquals(err.line, 1);
});

Deno.test("PageTokenizerStream reports a misspelt <text> element", async () => {
  const err = await xmlError(
    dump(
      `<page><title>数学</title><ns>0</ns><id>5</id><revision><texts>x</texts></revision></page>`,
    ),
  );
  assertEquals(err.message, 'revision of page "数学" has no <text> (found <texts>)');
});

Deno.test("PageTokenizerStream reports mismatched tags, truncation and non-dumps", async () => {
  const mismatched = await xmlError(
    enc.encode("<mediawiki><page><title>a</titel></page></mediawiki>"),
  );
  assert(mismatched.message.length > 0 && mismatched.line === 1, mismatched.message);
  const full = dump(page("数学", 0, 1, "数学是一门学科"));
  const truncated = await xmlError(full.subarray(0, full.length - 40));
  assert(truncated.message.startsWith("input ended inside <"), truncated.message);
  assertEquals(truncated.byteOffset, full.length - 40);
  assertEquals(
    (await xmlError(enc.encode("<html><body>502</body></html>"))).message,
    "not a MediaWiki XML dump (root element <html>)",
  );
  assertEquals((await xmlError(enc.encode("PK\x03\x04"))).message, "not an XML file");
  assertEquals((await xmlError(new Uint8Array(0))).message, "empty input: no XML document");
  assertEquals(
    (await xmlError(new Uint8Array([0x3c, 0x6d, 0xff, 0xfe, 0x3e]))).message,
    "invalid UTF-8 data",
  );
});

Deno.test("PageTokenizerStream reads the shared zhwiki fragment and its broken variants", async (t) => {
  const head = corpusPath("zhwiki-2018-head.xml");
  if (head === null) return;
  const pages: PageRecord[] = await parse(Deno.readFileSync(head));
  assertEquals(pages.length, 33);
  assertEquals(pages.filter((p) => p.ns === 0).length, 23);
  assert(pages.some((p) => p.title === "数学" && p.ns === 0 && p.text.length > 20000));
  const broken = (n: number) => Deno.readFileSync(corpusPath(`broken/zhwiki-broken-${n}.xml`)!);
  await t.step("1: a page without <title> is an error", async () => {
    assertEquals((await xmlError(broken(1))).message, "page without <title> (id 13)");
  });
  await t.step("2: a page without <ns> takes it from the title", async () => {
    const p = await parse(broken(2));
    assertEquals(p.map((x) => [x.title, x.ns]), [
      ["Wikipedia:Upload log", 4],
      ["Wikipedia:删除纪录/档案馆/2004年3月", 4],
      ["数学", 0],
    ]);
  });
  await t.step("3: a mismatched tag is an error", async () => {
    const err = await xmlError(broken(3));
    assertEquals(err.message, 'revision of page "数学" has no <text> (found <texts>)');
    assertEquals(err.line, 374);
  });
  await t.step("4: only non-articles and an empty text is valid", async () => {
    const p = await parse(broken(4));
    assertEquals(p.map((x) => [x.ns, x.text.length === 0]), [[4, false], [4, false], [0, true]]);
  });
});
