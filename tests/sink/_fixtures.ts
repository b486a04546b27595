/**
 * The sink tests' hand-made articles (tests/sink/fixtures/articles.json) and their expected
 * outputs, and a larger stream of real zhwiki articles built from the shared corpus.
 * @module
 */

import type { Article } from "../../src/types.ts";

const dir = new URL("./fixtures/", import.meta.url);

export function fixtureText(name: string): string {
  return Deno.readTextFileSync(new URL(name, dir));
}

/** The hand-made articles (a fresh copy each call). */
export function fixtureArticles(): Article[] {
  return JSON.parse(fixtureText("articles.json")).articles;
}

/** `n` distinct articles of a few hundred bytes to a few KB, deterministic. */
export function manyArticles(n: number, seed = 7): Article[] {
  const out: Article[] = [];
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < n; i++) {
    const len = 50 + (next() % 1500);
    let text = "";
    for (let j = 0; j < len; j++) text += String.fromCharCode(0x4e00 + (next() % 400));
    out.push({
      id: 1000 + i * 3,
      ns: 0,
      title: `条目${i}`,
      status: i % 7 === 3 ? "redirect" : "article",
      redirect: i % 7 === 3 ? `目标${i}` : null,
      text: i % 7 === 3 ? "" : text,
      categories: i % 3 === 0 ? [] : [`分类${i % 5}`, `类${i % 11}`],
      sections: [{ title: "", level: 1, text }],
      unknownTemplates: [],
      unresolvedGroups: [],
    });
  }
  return out;
}
