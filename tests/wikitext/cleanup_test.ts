/**
 * The cleaner on the real zhwiki fragment, on adversarial input, and as a stream.
 */

import {
  cleanPage,
  type CleanupOptions,
  DEFAULT_DROP_SECTIONS,
  WikitextCleanupStream,
} from "../../src/wikitext/mod.ts";
import type { CleanPage, PageRecord } from "../../src/types.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
  collect,
  corpusPath,
  rng,
  streamOf,
} from "../_assert.ts";
import { readPages } from "./_pages.ts";

const corpus = corpusPath("zhwiki-2018-head.xml");
const pages = corpus ? readPages(Deno.readTextFileSync(corpus)) : [];

function textOf(p: CleanPage): string {
  return p.segments.filter((s) => s.kind !== "heading").map((s) => s.text).join("");
}

function page(text: string, extra: Partial<PageRecord> = {}): PageRecord {
  return { id: 7, ns: 0, title: "测试", redirect: null, text, ...extra };
}

const FORBIDDEN = [
  "{{",
  "}}",
  "[[",
  "]]",
  "{|",
  "|}",
  "<ref",
  "</",
  "colspan",
  "thumb|",
  "缩略图",
  "File:",
  "Category:",
  "分类:",
];

Deno.test({
  name: "cleanPage leaves no markup in any article of the zhwiki fragment",
  ignore: corpus === null,
  fn() {
    const articles = pages.filter((p) => p.ns === 0);
    assertEquals(articles.length, 23);
    for (const options of [{}, { tables: "text" }, { dropSections: [] }] as CleanupOptions[]) {
      for (const p of articles) {
        const out = cleanPage(p, options);
        assertEquals(out.status, "article", p.title);
        // With default options even TeX is free of these; elsewhere raw TeX may hold `}}`.
        const text = Object.keys(options).length === 0
          ? textOf(out)
          : out.segments.filter((s) => s.kind !== "raw").map((s) => s.text).join("");
        assert(text.length > 200, `${p.title}: only ${text.length} characters`);
        for (const bad of FORBIDDEN) {
          const at = text.indexOf(bad);
          assert(at < 0, `${p.title}: "${bad}" in …${text.slice(at - 40, at + 40)}…`);
        }
        assert(!/\n\s*\n/.test(text), `${p.title}: empty line`);
        assert(!/（[，、\s]*）/.test(textOf(out)), `${p.title}: empty brackets`);
        assert(out.categories.length > 0, `${p.title}: no categories`);
      }
    }
  },
});

Deno.test({
  name: "cleanPage keeps the inline words of le, lang, link-en and tsl in the zhwiki fragment",
  ignore: corpus === null,
  fn() {
    const all = pages.filter((p) => p.ns === 0).map((p) => cleanPage(p));
    const text = all.map(textOf).join("\n");
    for (
      const phrase of [
        "埃利亚学派", // {{le|埃利亚学派|Eleatics}}
        "伯多祿·蓬波纳齐", // {{le|伯多祿·蓬波纳齐|Pietro Pomponazzi}}
        "蘇美文學", // {{le|蘇美文學|Sumerian literature}}
        "形式主义电影理论", // {{le|…|Formalist film theory}}
        "特萊奇克", // {{le|特萊奇克|Heinrich von Treitschke}}
        "馬拉蓋天文台", // {{le|馬拉蓋天文台|Maragheh observatory}}
        "生物聲學", // {{le|生物聲學|bioacoustics}}
        "布兰希维克", // {{link-en|布兰希维克|Léon Brunschvicg}}
        "IEEE计算机协会", // {{link-en|IEEE计算机协会|IEEE Computer Society}}
        "地质史", // {{link-en|地质史|Geological history of Earth}}
        "佛教哲學", // {{link-en|佛教哲學|Buddhist philosophy}}
        "美國數學會通報", // {{tsl|en|Bulletin of the American Mathematical Society|美國數學會通報}}
        "the art of transformation", // {{lang|en|the art of transformation}}
        "φίλος", // {{lang|grc|φίλος}}
      ]
    ) assertStringIncludes(text, phrase);
    // Foreign text is verbatim (raw), so the variant stage leaves it alone.
    const raws = all.flatMap((p) => p.segments.filter((s) => s.kind === "raw").map((s) => s.text));
    assert(raws.includes("φίλος"), "φίλος is not a raw segment");
    assert(raws.includes("philosophy"), "{{lang-en|philosophy}} is not a raw segment");
  },
});

Deno.test({
  name: "cleanPage passes NoteTA, -{}- and groups of the zhwiki fragment to the variant stage",
  ignore: corpus === null,
  fn() {
    const byTitle = new Map(pages.map((p) => [p.title, cleanPage(p)]));
    const math = byTitle.get("数学")!;
    assertEquals(math.segments[0], { kind: "group", text: "Science" });
    assert(
      math.segments.some((s) => s.kind === "conv" && s.text === "zh-cn:域;zh-tw:體"),
      "数学: -{zh-cn:域;zh-tw:體}- missing",
    );
    const phil = byTitle.get("哲学")!;
    assertEquals(phil.segments[0].kind, "conv");
    assert(phil.segments[0].text.startsWith("H|zh-hans:经院哲学;"), phil.segments[0].text);
    const cs = byTitle.get("计算机科学")!;
    assert(
      cs.segments.some((s) => s.kind === "conv" && s.text.startsWith("H|zh-cn:计算机科学;")),
      "计算机科学: 各地中文名 rule missing",
    );
    for (const p of pages.filter((p) => p.ns !== 0)) {
      assertEquals(byTitle.get(p.title)!.status, "namespace");
    }
  },
});

Deno.test({
  name: "cleanPage reports unknown templates of the zhwiki fragment by normalized name",
  ignore: corpus === null,
  fn() {
    const counts = new Map<string, number>();
    for (const p of pages.filter((p) => p.ns === 0)) {
      for (const u of cleanPage(p).unknownTemplates) counts.set(u, (counts.get(u) ?? 0) + 1);
    }
    assert(counts.size > 0);
    for (const name of counts.keys()) {
      assert(name === name.trim() && !name.includes("_"), `not normalized: "${name}"`);
      assert(!/^[a-z]/.test(name), `first letter not upper case: "${name}"`);
    }
    // Known families are never reported.
    for (const known of ["Cite web", "Le", "Lang", "Main", "Reflist", "NoteTA", "Rp"]) {
      assert(!counts.has(known), `${known} reported as unknown`);
    }
  },
});

Deno.test("cleanPage finishes adversarial inputs quickly", () => {
  const inputs: [string, string][] = [
    ["100,000 nested {{", "{{".repeat(100_000) + "x"],
    ["100,000 nested closed templates", "{{a|".repeat(100_000) + "x" + "}}".repeat(100_000)],
    ["100,000 unclosed [[", "[[a".repeat(100_000)],
    ["10 MB of '''''", "'''''".repeat(2_000_000)],
    ["100,000 unclosed <ref>", "<ref>x".repeat(100_000)],
    ["100,000 unclosed -{", "-{a".repeat(100_000)],
    ["100,000 table openers", "{|\n".repeat(100_000)],
    ["100,000 ]] and }}", "]]}}|}".repeat(100_000)],
    ["100,000 headings", "== a ==\n".repeat(100_000)],
    ["1 MB of spaces and brackets", "（ ".repeat(500_000) + "）"],
    // Found by the fuzzer: links nested in link targets were rendered 2^depth times.
    ["100,000 links nested in link targets", "[[a".repeat(100_000) + "]]".repeat(100_000)],
    ["nested links and templates", "[[a{{b|".repeat(50_000) + "}}]]".repeat(50_000)],
  ];
  for (const [label, text] of inputs) {
    const t0 = performance.now();
    const out = cleanPage(page(text));
    const ms = performance.now() - t0;
    // Loose bound: the machine is shared; each takes well under a second on its own.
    assert(ms < 5000, `${label}: ${ms.toFixed(0)} ms`);
    const all = textOf(out);
    for (const bad of ["{{", "[[", "]]", "}}"]) assert(!all.includes(bad), `${label}: ${bad}`);
  }
});

Deno.test("cleanPage skips by namespace and redirect before reading the text", () => {
  assertEquals(cleanPage(page("正文", { ns: 1 })).status, "namespace");
  const r = cleanPage(page("正文", { redirect: "目标" }));
  assertEquals([r.status, r.redirect, r.segments], ["redirect", "目标", []]);
});

Deno.test("cleanPage defaults match the documented defaults", () => {
  const text = "== 参考资料 ==\n书\n== 历史 ==\n{|\n| 表\n|}\n史<math>x</math>";
  const a = cleanPage(page(text));
  const b = cleanPage(page(text), {
    tables: "drop",
    headings: "keep",
    dropSections: [...DEFAULT_DROP_SECTIONS],
    keepDisambig: false,
    langLabel: false,
    math: "keep",
  });
  assertEquals(a, b);
  assertEquals(textOf(a), "历史\n史x");
});

Deno.test("WikitextCleanupStream gives cleanPage's result for every page, whatever the batching", async () => {
  const input: PageRecord[] = [
    page("'''甲'''是[[乙]]。", { id: 1 }),
    page("#REDIRECT [[丙]]", { id: 2 }),
    page("正文", { id: 3, ns: 4 }),
    page("", { id: 4 }),
    page("可以指：{{disambig}}", { id: 5 }),
    ...pages,
  ];
  const options: CleanupOptions = { tables: "text" };
  const expected = input.map((p) => cleanPage(p, options));
  assertEquals(expected.map((p) => p.status).slice(0, 5), [
    "article",
    "redirect",
    "namespace",
    "empty",
    "disambig",
  ]);
  const next = rng(42);
  for (let round = 0; round < 3; round++) {
    // Pages arrive with random pauses between them; the output must not depend on it.
    let i = 0;
    const source = new ReadableStream<PageRecord>({
      async pull(c) {
        if (next() < 0.3) await new Promise((r) => setTimeout(r, 0));
        if (i < input.length) c.enqueue(input[i++]);
        else c.close();
      },
    });
    const got = await collect(source.pipeThrough(new WikitextCleanupStream(options)));
    assertEquals(got, expected);
  }
  assertEquals(
    await collect(streamOf<PageRecord>([]).pipeThrough(new WikitextCleanupStream())),
    [],
  );
});

Deno.test("cleanPage keeps its layout promises on random markup soup", () => {
  const pieces = [
    "{{",
    "}}",
    "[[",
    "]]",
    "|",
    "-{",
    "}-",
    "<ref>",
    "</ref>",
    "<ref name=a/>",
    "<!--",
    "-->",
    "\n",
    "\n\n",
    "'''",
    "''",
    "==",
    "*",
    "#",
    ":",
    ";",
    "{|",
    "|}",
    "|-",
    "|+",
    "!",
    "!!",
    "||",
    "[http://x.org ",
    "]",
    "文字",
    "abc",
    "=",
    "&amp;",
    "&#x4e2d;",
    "&nbsp;",
    "__NOTOC__",
    "<math>",
    "</math>",
    "<nowiki>",
    "</nowiki>",
    "<br>",
    "http://example.com ",
    " ",
    "　",
    "（",
    "）",
    "，",
    "cite web",
    "lang",
    "en",
    "le",
    "NoteTA",
    "G1=IT",
    "File:",
    "Category:",
    "zh-cn:",
    ";",
    "H|",
    "{{{",
    "}}}",
    "<div>",
    "</div>",
    "<code>",
    "</code>",
    "#REDIRECT",
  ];
  const next = rng(7);
  for (let round = 0; round < 5000; round++) {
    let text = "";
    const n = 1 + Math.floor(next() * 60);
    for (let k = 0; k < n; k++) text += pieces[Math.floor(next() * pieces.length)];
    const out = cleanPage(page(text));
    const all = textOf(out);
    if (out.status !== "article") {
      assertEquals(out.segments, [], `segments of a ${out.status} page`);
      continue;
    }
    for (const line of all.split("\n")) {
      assert(line.trim() !== "", `empty line for ${JSON.stringify(text)}`);
      assert(line === line.trim(), `untrimmed line for ${JSON.stringify(text)}`);
    }
    // Single braces and brackets are literal text (`}}}` closing `{{a` leaves a `}`), so two
    // can meet by chance in this soup (delimiters are checked on the corpus); ref tags cannot.
    const prose = out.segments.filter((s) => s.kind === "text").map((s) => s.text).join("");
    for (const bad of ["<ref", "</ref"]) {
      assert(!prose.includes(bad), `${bad} leaked for ${JSON.stringify(text)}`);
    }
  }
});

Deno.test("cleanPage handles templates with 100,000 parameters in linear time", () => {
  for (const name of ["key press", "hlist", "chem", "NoteTA", "地区用词", "Unknown thing"]) {
    const text = "{{" + name + "|" + "a|".repeat(100_000) + "99999999=x}}正文";
    const t0 = performance.now();
    const out = cleanPage(page(text));
    const ms = performance.now() - t0;
    assert(ms < 5000, `${name}: ${ms.toFixed(0)} ms`);
    assert(textOf(out).endsWith("正文"), name);
  }
});
