/**
 * Reads tests/zhconv/fixtures/cases.txt (format described at its top) and turns
 * wikitext-like input into segments with a tiny `-{…}-` splitter.
 * @module
 */

import type { Section, Segment } from "../../src/types.ts";
import type { Converter, Variant } from "../../src/zhconv/mod.ts";

export interface Case {
  name: string;
  variant: Variant;
  converter: Converter;
  keepCornerQuotes: boolean;
  title: string;
  /** The page's status from the wikitext stage ("article" unless the case says "empty"). */
  status: "article" | "empty";
  segments: Segment[];
  expect: string;
  expectTitle?: string;
  expectUnresolved?: string[];
  expectSections?: Section[];
}

/** Splits text at top-level `-{…}-` nodes; nested nodes stay inside their parent's text. */
export function splitConv(s: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let textFrom = 0;
  while (i < s.length) {
    const open = s.indexOf("-{", i);
    if (open < 0) break;
    let depth = 0;
    let j = open;
    let close = -1;
    while (j < s.length) {
      if (s.startsWith("-{", j)) {
        depth++;
        j += 2;
      } else if (s.startsWith("}-", j)) {
        depth--;
        j += 2;
        if (depth === 0) {
          close = j;
          break;
        }
      } else j++;
    }
    if (close < 0) break; // unclosed: the rest is text
    if (open > textFrom) out.push({ kind: "text", text: s.slice(textFrom, open) });
    out.push({ kind: "conv", text: s.slice(open + 2, close - 2) });
    i = textFrom = close;
  }
  if (textFrom < s.length) out.push({ kind: "text", text: s.slice(textFrom) });
  return out;
}

const DEEP = 100_000;

/** Reads a case file; `converter` is the default of cases that name none. */
export function readCases(src: string, converter: Converter = "mediawiki"): Case[] {
  const cases: Case[] = [];
  let cur: Case | null = null;
  let section = "";
  const lines = src.split("\n");
  const body: string[] = [];
  const flush = () => {
    if (!cur) return;
    const text = body.join("\n").replace(/\n+$/, "");
    body.length = 0;
    if (section === "input") cur.segments = splitConv(text);
    else if (section === "segments") {
      cur.segments = text.split("\n").map((l) => {
        const bar = l.indexOf("|");
        const kind = l.slice(0, bar) as Segment["kind"];
        let t = l.slice(bar + 1).replaceAll("\\n", "\n");
        if (t === "DEEP") t = "-{".repeat(DEEP) + "深" + "}-".repeat(DEEP);
        if (kind === "heading") {
          // heading|LEVEL|title; a bare title is level 2.
          const m = /^([1-6])\|/.exec(t);
          return { kind, text: m ? t.slice(2) : t, level: m ? Number(m[1]) : 2 };
        }
        return { kind, text: t };
      });
    } else if (section === "expect") cur.expect = text;
    else if (section === "expect-title") cur.expectTitle = text;
    else if (section === "expect-unresolved") cur.expectUnresolved = text.split(",");
    else if (section === "expect-sections") {
      // level|title|text, one section per line (\n = newline in the text)
      cur.expectSections = text === "" ? [] : text.split("\n").map((l) => {
        const [level, title, ...rest] = l.split("|");
        return { level: Number(level), title, text: rest.join("|").replaceAll("\\n", "\n") };
      });
    }
  };
  for (const line of lines) {
    if (line.startsWith("=== ")) {
      flush();
      cur = {
        name: line.slice(4).trim(),
        variant: "zh-cn",
        converter,
        keepCornerQuotes: false,
        title: "標題",
        status: "article",
        segments: [],
        expect: "",
      };
      cases.push(cur);
      section = "";
    } else if (line.startsWith("--- ")) {
      flush();
      section = line.slice(4).trim();
    } else if (cur && section === "") {
      const m = /^([a-z-]+):\s*(.*)$/.exec(line);
      if (m?.[1] === "variant") cur.variant = m[2] as Variant;
      else if (m?.[1] === "converter") cur.converter = m[2] as Converter;
      else if (m?.[1] === "title") cur.title = m[2];
      else if (m?.[1] === "status") cur.status = m[2] === "empty" ? "empty" : "article";
      else if (m?.[1] === "keep-corner-quotes") cur.keepCornerQuotes = m[2] === "yes";
    } else if (cur && !(section === "" && line.startsWith("#"))) body.push(line);
  }
  flush();
  return cases;
}
