/**
 * MediaWiki's own zh LanguageConverter parser tests (fixtures/mw-parser-tests.txt) through
 * the wikitext stage (`cleanPage`, with `<pre>` kept as MediaWiki shows it) and the default
 * converter, scored by text per test and
 * variant: the pass rate must stay at 95% or more; failures are listed.
 * @module
 */

import { assert } from "../_assert.ts";
import { cleanPage } from "../../src/wikitext/mod.ts";
import { createPageConverter, type Variant, VARIANTS } from "../../src/zhconv/mod.ts";

interface ParserTest {
  name: string;
  variants: Variant[];
  wikitext: string;
  expect: string;
  expectTitle?: string;
  /** Why the wikitext stage makes this test fail, when it does. */
  known?: string;
}

function readTests(src: string): ParserTest[] {
  const tests: ParserTest[] = [];
  let cur: ParserTest | null = null;
  let section = "";
  let body: string[] = [];
  const flush = () => {
    if (!cur) return;
    const text = body.join("\n").replace(/\n+$/, "");
    if (section === "wikitext") cur.wikitext = text;
    else if (section === "expect") cur.expect = text;
    else if (section === "expect-title") cur.expectTitle = text;
    body = [];
  };
  for (const line of src.split("\n")) {
    if (line.startsWith("=== ")) {
      flush();
      cur = { name: line.slice(4).trim(), variants: [], wikitext: "", expect: "" };
      tests.push(cur);
      section = "";
    } else if (line.startsWith("--- ")) {
      flush();
      section = line.slice(4).trim();
    } else if (cur && section === "" && line.startsWith("variants:")) {
      cur.variants = line.slice(9).trim().split(/\s+/) as Variant[];
    } else if (cur && section === "" && line.startsWith("known:")) {
      cur.known = line.slice(6).trim();
    } else if (cur && section !== "") body.push(line);
  }
  flush();
  return tests;
}

/** Text as the parser tests are scored: lines trimmed, blank lines dropped. */
function norm(s: string): string {
  return s.split("\n").map((l) => l.trim()).filter((l) => l !== "").join("\n");
}

/**
 * MediaWiki shows a `<pre>` block's text, which wikizh drops by default (zhwiki-markup.md §4:
 * code, not prose); `--pre keep` shows it as MediaWiki does, and the tests run with it.
 */
const PARSER_TEST_CLEANUP = { pre: "keep" } as const;

const tests = readTests(
  Deno.readTextFileSync(new URL("./fixtures/mw-parser-tests.txt", import.meta.url)),
);

Deno.test("MediaWiki's zh parser tests pass at 95% or more in the variants wikizh offers", () => {
  let runs = 0;
  let knownRuns = 0;
  let knownFailed = 0;
  const failures: string[] = [];
  const fixed: string[] = [];
  for (const t of tests) {
    assert(t.variants.length > 0 && t.variants.every((v) => VARIANTS.includes(v)), t.name);
    for (const variant of t.variants) {
      const clean = cleanPage({
        id: 1,
        ns: 0,
        title: "Parser test",
        redirect: null,
        text: t.wikitext,
      }, PARSER_TEST_CLEANUP);
      const a = createPageConverter({ variant, snapshot: false }).convertPage(clean);
      const textOk = norm(a.text) === norm(t.expect);
      const titleOk = t.expectTitle === undefined || a.title === t.expectTitle;
      if (t.known !== undefined) {
        knownRuns++;
        if (!textOk || !titleOk) knownFailed++;
        else fixed.push(`${t.name} (${variant})`);
        continue;
      }
      runs++;
      if (!textOk || !titleOk) {
        failures.push(
          `${t.name} (${variant}): got ${JSON.stringify(a.text)}` +
            (titleOk ? "" : ` title ${JSON.stringify(a.title)}`) +
            `, expected ${JSON.stringify(norm(t.expect))}` +
            (titleOk ? "" : ` title ${JSON.stringify(t.expectTitle)}`),
        );
      }
    }
  }
  const rate = (runs - failures.length) / runs;
  const all = runs + knownRuns;
  const passedAll = runs - failures.length + knownRuns - knownFailed;
  console.log(
    `  ${passedAll}/${all} passed through cleanPage (${(passedAll / all * 100).toFixed(1)}%); ` +
      `without the ${knownRuns} runs marked as wikitext-side failures: ` +
      `${runs - failures.length}/${runs} (${(rate * 100).toFixed(1)}%)`,
  );
  for (const f of failures) console.log(`  FAIL ${f}`);
  assert(tests.length >= 60, `only ${tests.length} tests read`);
  assert(rate >= 0.95, `pass rate ${(rate * 100).toFixed(1)}% < 95%`);
  // A marked test that passes now: the wikitext stage was fixed, the mark must go.
  assert(fixed.length === 0, `marked as wikitext-side failures but passing: ${fixed.join("; ")}`);
});
