/**
 * Census of the templates the wikitext cleaner does not know, told apart as inline (used
 * inside running text) or block (on a line of their own): what to add to the families next.
 *
 *   deno run --allow-read scripts/template_census.ts [--top N] [FILE.xml|FILE.wiki|DIR]…
 *
 * With no file it reads ../shared/corpus/zhwiki-2018-head.xml and tests/wikitext/articles/.
 * Counts are uses (a template used twice on a page counts twice) and pages.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { cleanPage } from "../src/wikitext/mod.ts";
import type { PageRecord } from "../src/types.ts";
import { readPages } from "../tests/wikitext/_pages.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { top: { type: "string", default: "25" } },
  allowPositionals: true,
});
const top = Number(values.top);

const defaults = [
  new URL("../../shared/corpus/zhwiki-2018-head.xml", import.meta.url).pathname,
  new URL("../tests/wikitext/articles/", import.meta.url).pathname,
];

function pagesOf(path: string): PageRecord[] {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    console.error(`(${path} is absent: skipped)`);
    return [];
  }
  if (info.isDirectory) {
    const out: PageRecord[] = [];
    for (const e of [...Deno.readDirSync(path)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      if (e.isFile && (e.name.endsWith(".wiki") || e.name.endsWith(".xml"))) {
        out.push(...pagesOf(path.replace(/\/?$/, "/") + e.name));
      }
    }
    return out;
  }
  const text = Deno.readTextFileSync(path);
  if (path.endsWith(".xml")) return readPages(text);
  return [{
    id: 0,
    ns: 0,
    title: path.replace(/^.*\//, "").replace(/\.wiki$/, ""),
    redirect: null,
    text,
  }];
}

interface Count {
  inline: number;
  block: number;
  pages: Set<number>;
}

const counts = new Map<string, Count>();
let pageCount = 0;
let bytes = 0;
const sources = positionals.length > 0 ? positionals : defaults;
let serial = 0;
for (const src of sources) {
  for (const page of pagesOf(src)) {
    if (page.ns !== 0 || page.redirect !== null || page.text === "") continue;
    const id = serial++;
    pageCount++;
    bytes += page.text.length;
    const out = cleanPage(page, { keepDisambig: true });
    const inline = new Map<string, number>();
    for (const n of out.unknownInline ?? []) inline.set(n, (inline.get(n) ?? 0) + 1);
    for (const n of out.unknownTemplates) {
      let c = counts.get(n);
      if (c === undefined) counts.set(n, c = { inline: 0, block: 0, pages: new Set() });
      const left = inline.get(n) ?? 0;
      if (left > 0) {
        c.inline++;
        inline.set(n, left - 1);
      } else c.block++;
      c.pages.add(id);
    }
  }
}

function table(title: string, key: (c: Count) => number): void {
  const rows = [...counts].filter(([, c]) => key(c) > 0).sort((a, b) =>
    key(b[1]) - key(a[1]) || b[1].pages.size - a[1].pages.size || (a[0] < b[0] ? -1 : 1)
  ).slice(0, top);
  console.log(`\n${title}`);
  console.log("| template | uses | inline | block | pages |\n|---|---:|---:|---:|---:|");
  for (const [name, c] of rows) {
    console.log(`| ${name} | ${c.inline + c.block} | ${c.inline} | ${c.block} | ${c.pages.size} |`);
  }
}

console.log(`${pageCount} articles, ${(bytes / 1e6).toFixed(2)} M characters of wikitext`);
table("Unknown templates used inline (inside running text), most used first:", (c) => c.inline);
table("Unknown templates on their own line (block), most used first:", (c) => c.block);
