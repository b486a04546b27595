import { articleUrl, normalizeTitle, SinkStream } from "../../src/sink/mod.ts";
import { RunStats } from "../../src/stats.ts";
import type { Article } from "../../src/types.ts";
import { assert, assertEquals, collect, concat, streamOf } from "../_assert.ts";
import { fixtureArticles, fixtureText } from "./_fixtures.ts";

function article(id: number, title: string, text: string, extra: Partial<Article> = {}): Article {
  return {
    id,
    ns: 0,
    title,
    status: "article",
    redirect: null,
    text,
    categories: [],
    unknownTemplates: [],
    unresolvedGroups: [],
    ...extra,
  };
}

async function run(
  articles: Article[],
  opts: Partial<ConstructorParameters<typeof SinkStream>[0]> = {},
) {
  const stats = new RunStats();
  const bytes = await collect(
    streamOf(articles).pipeThrough(new SinkStream({ stats, ...opts })),
  );
  return { text: new TextDecoder().decode(concat(bytes)), stats };
}

const pages: Article[] = [
  article(1, "数学", "数学是一门学科。\n分支", { categories: ["数学"] }),
  article(2, "电脑", "", { status: "redirect", redirect: "计算机" }),
  article(3, "Wikipedia:沙盒", "", { status: "namespace", ns: 4 }),
  article(4, "空页面", "", { status: "empty" }),
  article(5, "哲学", "哲学是研究。", { unknownTemplates: ["Foo", "Foo", "Bar"] }),
];

Deno.test("SinkStream writes 【标题】, the text and a blank line per article", async () => {
  const { text, stats } = await run(pages);
  assertEquals(text, "【数学】\n数学是一门学科。\n分支\n\n【哲学】\n哲学是研究。\n\n");
  assertEquals(stats.articlesWritten, 2);
  assertEquals(stats.pagesSeen, 5);
  assertEquals(stats.skipped, {
    namespace: 1,
    redirect: 1,
    empty: 1,
    disambig: 0,
    short: 0,
    oversize: 0,
  });
  assertEquals([...stats.unknownTemplates], [["Foo", 2], ["Bar", 1]]);
  assertEquals(stats.bytesOut, new TextEncoder().encode(text).length);
});

Deno.test("SinkStream writes sections, url from the source title and one-line titles", async () => {
  const chunks: Uint8Array[] = [];
  const redirects = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
  const jsonl = await run(fixtureArticles(), { format: "jsonl", redirects });
  assertEquals(jsonl.text, fixtureText("articles.expected.jsonl"));
  assertEquals(
    new TextDecoder().decode(concat(chunks)),
    fixtureText("articles.expected-redirects.tsv"),
  );
  const text = await run(fixtureArticles());
  assertEquals(text.text, fixtureText("articles.expected.txt"));
});

Deno.test("normalizeTitle turns line breaks, tabs and control characters into spaces", () => {
  assertEquals(normalizeTitle("A\n【Fake】"), "A 【Fake】");
  assertEquals(normalizeTitle("a\r\n\t\u0000b\u0085c\u2029"), "a b c");
  assertEquals(normalizeTitle("普通 标题"), "普通 标题");
});

Deno.test("SinkStream writes JSON lines with id, title, url, text and categories", async () => {
  const { text } = await run(pages, { format: "jsonl" });
  const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines[0], {
    id: 1,
    title: "数学",
    url: "https://zh.wikipedia.org/wiki/%E6%95%B0%E5%AD%A6",
    text: "数学是一门学科。\n分支",
    categories: ["数学"],
  });
  assertEquals(lines.length, 2);
});

Deno.test("SinkStream writes redirects as 别名<TAB>目标 lines", async () => {
  const chunks: Uint8Array[] = [];
  const redirects = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
  const { stats } = await run(pages, { redirects });
  assertEquals(new TextDecoder().decode(concat(chunks)), "电脑\t计算机\n");
  assertEquals(stats.redirectsWritten, 1);
});

Deno.test("SinkStream stops after --limit articles and cancels its source", async () => {
  let cancelled = false;
  let i = 0;
  const source = new ReadableStream<Article>({
    pull(c) {
      c.enqueue(article(++i, `条目${i}`, "正文"));
    },
    cancel() {
      cancelled = true;
    },
  });
  const stats = new RunStats();
  const out = await collect(source.pipeThrough(new SinkStream({ stats, limit: 3 })));
  assertEquals(new TextDecoder().decode(concat(out)).split("【").length - 1, 3);
  // The pipe notices the terminated sink asynchronously.
  for (let t = 0; t < 50 && !cancelled; t++) await new Promise((r) => setTimeout(r, 2));
  assert(cancelled, "the endless source was cancelled");
});

Deno.test("SinkStream skips articles shorter than --min-chars", async () => {
  const { text, stats } = await run(pages, { minChars: 8 });
  assertEquals(text, "【数学】\n数学是一门学科。\n分支\n\n");
  assertEquals(stats.skipped.short, 1);
});

Deno.test("articleUrl does MediaWiki's underscores and keeps : and / readable", () => {
  assertEquals(
    articleUrl("Re:从零开始 第1季/A"),
    "https://zh.wikipedia.org/wiki/Re:%E4%BB%8E%E9%9B%B6%E5%BC%80%E5%A7%8B_%E7%AC%AC1%E5%AD%A3/A",
  );
});
