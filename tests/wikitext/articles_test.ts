/**
 * Real zhwiki articles (tests/wikitext/articles/, see SOURCES.md there): the lead sentence of
 * a page starting with a language template keeps its subject and words; no empty heading, no
 * punctuation-only line, no markup leak.
 * @module
 */

import { cleanPage } from "../../src/wikitext/mod.ts";
import type { CleanPage } from "../../src/types.ts";
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";

const dir = new URL("./articles/", import.meta.url);

function clean(file: string): CleanPage {
  const text = Deno.readTextFileSync(new URL(file, dir));
  return cleanPage({ id: 1, ns: 0, title: file, redirect: null, text });
}

function prose(p: CleanPage): string {
  return p.segments.filter((s) => s.kind === "text" || s.kind === "raw").map((s) => s.text)
    .join("");
}

const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".wiki"))
  .sort();

Deno.test("real articles keep the subject and words of a lead sentence with a language template", () => {
  const leads: Record<string, string> = {
    "eot.wiki":
      "嵌入式OpenType字体（Embedded OpenType，简称EOT）是被微软设计用来在网页使用的字体格式。",
    "jooq.wiki":
      "面向Java对象查询（Java Object Oriented Querying，縮寫：JOOQ），是一个轻量级的JAVA数据库映射类库。",
    "yui.wiki": "雅虎UI库（Yahoo! UI Library，YUI）是一個開放原始碼的JavaScript函數庫，",
    "ip-core.wiki":
      "IP核，全称知识产权核（intellectual property core），是在集成电路的可重用设计方法学中，",
  };
  for (const [file, lead] of Object.entries(leads)) {
    assert(prose(clean(file)).startsWith(lead), `${file}: ${prose(clean(file)).slice(0, 80)}`);
  }
  // A date template in running text keeps its words (found by the template census).
  assertStringIncludes(prose(clean("yui.wiki")), "於2014年8月29日，由於缺乏積極維護");
});

Deno.test("real articles have no empty heading, no punctuation-only line and no markup leak", () => {
  for (const file of files) {
    const page = clean(file);
    const segs = page.segments;
    // Every heading marker is followed by text of its section (or a subsection).
    for (let i = 0; i < segs.length; i++) {
      if (segs[i].kind !== "heading") continue;
      let j = i + 1;
      let text = "";
      while (j < segs.length && segs[j].kind !== "heading") {
        if (segs[j].kind === "text" || segs[j].kind === "raw") text += segs[j].text;
        j++;
      }
      const own = text.replace(segs[i].text, "").trim();
      const sub = j < segs.length && (segs[j].level ?? 0) > (segs[i].level ?? 0);
      assert(own !== "" || sub, `${file}: heading ${segs[i].text} has nothing under it`);
    }
    const text = prose(page);
    for (const line of text.split("\n")) {
      assert(!/^[\s\p{P}]*$/u.test(line), `${file}: line ${JSON.stringify(line)}`);
    }
    for (const leak of ["{{", "}}", "[[", "]]", "<ref", "</", "-{", "''", "==", "http"]) {
      assert(!text.includes(leak), `${file}: ${leak} leaks into the text`);
    }
    // Table markup may only appear in verbatim TeX (`\\frac{|z|}{|1+z|}`), never in prose.
    const plain = segs.filter((s) => s.kind === "text").map((s) => s.text).join("");
    for (const leak of ["{|", "|}", "|-"]) {
      assert(!plain.includes(leak), `${file}: ${leak} leaks into the prose`);
    }
    // Reference and see-also sections are gone, with their headings.
    for (const title of ["参考资料", "參考資料", "参见", "外部链接", "外部連結", "详见"]) {
      assert(!segs.some((s) => s.kind === "heading" && s.text === title), `${file}: ${title}`);
    }
  }
});

Deno.test("real articles drop the headings of sections left empty", () => {
  // 新範式 and 正常退化 have no text of their own and no subsection.
  const headings = clean("unobtrusive-js.wiki").segments.filter((s) => s.kind === "heading")
    .map((s) => s.text);
  assertEquals(headings, ["行為與文件標籤的分離", "最佳實務"]);
  // Formulas stay verbatim inside their sentence.
  assertStringIncludes(
    prose(clean("m-circles.wiki")),
    "其閉迴路傳遞函數為T(s) = \\frac{G(s)}{1+G(s)}。",
  );
});

Deno.test("real articles report their categories and their sections", () => {
  assertEquals(clean("jooq.wiki").categories, ["Java平台", "Java企业平台"]);
  const headings = clean("yui.wiki").segments.filter((s) => s.kind === "heading").map((s) =>
    `${s.level} ${s.text}`
  );
  assertEquals(headings, ["2 功能", "3 工具", "3 控制項", "3 CSS資源"]);
});
