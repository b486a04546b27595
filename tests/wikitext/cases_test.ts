/**
 * Fixture-driven tests of the wikitext cleaner: every `cases/*.txt` file holds cases as
 *
 *     ### name | option option…
 *     input wikitext
 *     ---
 *     expected text
 *     @status: disambig          (optional checks, any order)
 *     @categories: 数学, 物理
 *     @unknown: Foo, Bar
 *     @redirect: 目标
 *     @headings: 2 历史, 3 早期    (the heading segments: level and title)
 *     @inline: Foo                 (the unknown templates used in running text)
 *
 * The expected text is the concatenation of the page's segments, with non-prose segments
 * shown as ⟦raw:…⟧, ⟦conv:…⟧, ⟦group:…⟧ and ⟦nocc⟧; heading markers are not shown (the
 * `@headings` check lists them). Options: `tables=text`,
 * `headings=drop`, `drop-sections=none|A,B|+A,-B`, `noteta-aliases=A,B`, `keep-disambig`, `lang-label`, `math=drop`,
 * `pre=keep`,  * `ns=4`, `redirect=目标`, `title=…`.
 */

import { cleanPage, type CleanupOptions } from "../../src/wikitext/mod.ts";
import type { CleanPage, PageRecord } from "../../src/types.ts";
import { assert, assertEquals } from "../_assert.ts";

interface Case {
  file: string;
  name: string;
  options: CleanupOptions;
  page: PageRecord;
  expected: string;
  checks: Map<string, string>;
}

const dir = new URL("./cases/", import.meta.url);

function parseOptions(spec: string, page: PageRecord): CleanupOptions {
  const o: CleanupOptions = {};
  for (const word of spec.split(/\s+/).filter(Boolean)) {
    const [k, v = ""] = word.split("=");
    if (k === "tables") o.tables = v as "drop" | "text";
    else if (k === "headings") o.headings = v as "keep" | "drop";
    else if (k === "drop-sections") o.dropSections = v === "none" ? [] : v.split(",");
    else if (k === "keep-disambig") o.keepDisambig = true;
    else if (k === "lang-label") o.langLabel = true;
    else if (k === "math") o.math = v as "keep" | "drop";
    else if (k === "pre") o.pre = v as "keep" | "drop";
    else if (k === "noteta-aliases") o.noteTaAliases = v.split(",");
    else if (k === "ns") page.ns = Number(v);
    else if (k === "redirect") page.redirect = v;
    else if (k === "title") page.title = v;
    else throw new Error(`unknown fixture option ${word}`);
  }
  return o;
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".txt"))
    .sort();
  for (const file of files) {
    const lines = Deno.readTextFileSync(new URL(file, dir)).split("\n");
    let i = 0;
    while (i < lines.length && !lines[i].startsWith("### ")) i++;
    while (i < lines.length) {
      const header = lines[i].slice(4);
      const bar = header.indexOf(" | ");
      const name = (bar < 0 ? header : header.slice(0, bar)).trim();
      const page: PageRecord = { id: 1, ns: 0, title: "测试", redirect: null, text: "" };
      const options = parseOptions(bar < 0 ? "" : header.slice(bar + 3), page);
      i++;
      const input: string[] = [];
      while (i < lines.length && lines[i] !== "---") input.push(lines[i++]);
      if (i >= lines.length) throw new Error(`${file}: case "${name}" has no --- line`);
      i++;
      const expected: string[] = [];
      const checks = new Map<string, string>();
      while (i < lines.length && !lines[i].startsWith("### ")) {
        const m = /^@(status|categories|unknown|redirect|headings|inline): ?(.*)$/.exec(lines[i]);
        if (m) checks.set(m[1], m[2]);
        else expected.push(lines[i]);
        i++;
      }
      while (expected.length > 0 && expected[expected.length - 1] === "") expected.pop();
      page.text = input.join("\n");
      cases.push({ file, name, options, page, expected: expected.join("\n"), checks });
    }
  }
  return cases;
}

/** The segments with non-prose kinds made visible. */
export function show(out: CleanPage): string {
  return out.segments.filter((s) => s.kind !== "heading").map((s) =>
    s.kind === "text" ? s.text : s.kind === "nocc" ? "⟦nocc⟧" : `⟦${s.kind}:${s.text}⟧`
  ).join("");
}

const cases = loadCases();

Deno.test("wikitext fixtures hold at least 150 cases with unique names", () => {
  assert(cases.length >= 150, `only ${cases.length} cases`);
  const names = new Set(cases.map((c) => `${c.file}/${c.name}`));
  assertEquals(names.size, cases.length, "duplicate case names");
});

for (const c of cases) {
  Deno.test(`cleanPage renders ${c.file.replace(".txt", "")}: ${c.name}`, () => {
    const out = cleanPage(structuredClone(c.page), c.options);
    assertEquals(show(out), c.expected, `case "${c.name}" in ${c.file}`);
    assertEquals(out.status, c.checks.get("status") ?? "article", "status");
    if (c.checks.has("categories")) {
      const want = c.checks.get("categories")!;
      assertEquals(out.categories, want === "" ? [] : want.split(/,\s*/), "categories");
    }
    if (c.checks.has("unknown")) {
      const want = c.checks.get("unknown")!;
      assertEquals(out.unknownTemplates, want === "" ? [] : want.split(/,\s*/), "unknown");
    }
    if (c.checks.has("headings")) {
      const want = c.checks.get("headings")!;
      const got = out.segments.filter((s) => s.kind === "heading").map((s) =>
        `${s.level} ${s.text}`
      );
      assertEquals(got, want === "" ? [] : want.split(/,\s*/), "heading segments");
    }
    if (c.checks.has("inline")) {
      const want = c.checks.get("inline")!;
      assertEquals(out.unknownInline, want === "" ? [] : want.split(/,\s*/), "unknownInline");
    }
    if (c.checks.has("redirect")) assertEquals(out.redirect, c.checks.get("redirect"), "redirect");
    // Layout invariants hold for every case.
    const text = out.segments.filter((s) => s.kind !== "heading").map((s) => s.text).join("");
    for (const line of text.split("\n")) {
      if (out.status !== "article") break;
      assert(line.trim() !== "" || text === "", `empty line in ${JSON.stringify(text)}`);
      assert(line === line.trim(), `untrimmed line ${JSON.stringify(line)}`);
    }
    for (let k = 1; k < out.segments.length; k++) {
      const a = out.segments[k - 1].kind;
      assert(!(a === "text" && out.segments[k].kind === "text"), "adjacent text segments");
    }
  });
}
