/**
 * Seeded mutation of real inputs for fuzz tests: insert, delete, duplicate and swap
 * markup tokens. The same seed gives the same inputs, so a failure can be replayed.
 */
import { rng } from "../_assert.ts";

/** How many fuzz inputs to run: small in `deno task test`, large in `deno task fuzz`. */
export function fuzzCount(fallback: number): number {
  const n = Number(Deno.env.get("WIKIZH_FUZZ_N") ?? "");
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export const WIKITEXT_TOKENS = [
  "{{",
  "}}",
  "[[",
  "]]",
  "-{",
  "}-",
  "<ref>",
  "</ref>",
  "<ref name=a/>",
  "{|",
  "|}",
  "|-",
  "'''",
  "''",
  "|",
  "=",
  "==",
  "\n",
  "<!--",
  "-->",
  "<math>",
  "</math>",
  "<nowiki>",
  "</nowiki>",
  "[",
  "]",
  "{{lang|ja|",
  "{{le|",
  "{{NoteTA|1=zh-cn:",
  ";zh-tw:",
  "-{H|",
  "-{zh-hans:",
  "zh-hant:",
  "=>",
  "__NOCC__",
  "<gallery>",
  "</gallery>",
  "[[File:",
  "[[Category:",
  "&nbsp;",
  "&#",
  "<",
  ">",
  "/",
  "*",
  "#",
  ":",
  ";",
  "{{{",
  "}}}",
];

export const XML_TOKENS = [
  "<page>",
  "</page>",
  "<title>",
  "</title>",
  "<ns>",
  "</ns>",
  "<id>",
  "</id>",
  "<text>",
  "</text>",
  "<revision>",
  "</revision>",
  "<",
  ">",
  "&amp;",
  "&",
  '"',
  "<![CDATA[",
  "]]>",
  "<!--",
  "-->",
  "</",
  "/>",
  '<redirect title="x"/>',
  "\u0000",
  "\uFFFE",
];

/** Returns a mutator over `base` that applies 1–4 token edits per call. */
export function mutator(base: string, tokens: string[], seed: number): () => string {
  const next = rng(seed);
  const pick = (n: number) => Math.floor(next() * n);
  return () => {
    let s = base;
    const edits = 1 + pick(4);
    for (let e = 0; e < edits; e++) {
      const at = pick(s.length + 1);
      const tok = tokens[pick(tokens.length)];
      switch (pick(4)) {
        case 0: // insert a token
          s = s.slice(0, at) + tok + s.slice(at);
          break;
        case 1: { // delete a span
          const n = 1 + pick(16);
          s = s.slice(0, at) + s.slice(at + n);
          break;
        }
        case 2: { // duplicate a span many times (nesting, long runs)
          const n = 1 + pick(8);
          s = s.slice(0, at) + s.slice(at, at + n).repeat(1 + pick(50)) + s.slice(at);
          break;
        }
        default: { // swap two spans
          const b = pick(s.length + 1);
          const [x, y] = at < b ? [at, b] : [b, at];
          const n = Math.min(1 + pick(12), y - x);
          s = s.slice(0, x) + s.slice(y, y + n) + s.slice(x + n, y) + s.slice(x, x + n) +
            s.slice(y + n);
        }
      }
    }
    return s;
  };
}
