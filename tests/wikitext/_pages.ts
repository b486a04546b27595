/**
 * A small `<page>` reader for the shared corpus, local to these tests (the XML stage is
 * written separately): enough for well-formed dumps, un-escaping the five XML entities.
 * @module
 */

import type { PageRecord } from "../../src/types.ts";

function unescapeXml(s: string): string {
  return s.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_m, e: string) =>
      e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" : "&",
  );
}

function field(page: string, re: RegExp): string | null {
  const m = re.exec(page);
  return m ? m[1] : null;
}

/** The pages of a MediaWiki XML dump held in a string. */
export function readPages(xml: string): PageRecord[] {
  const pages: PageRecord[] = [];
  let at = 0;
  for (;;) {
    const start = xml.indexOf("<page>", at);
    if (start < 0) break;
    const end = xml.indexOf("</page>", start);
    if (end < 0) break;
    const page = xml.slice(start, end);
    at = end + 7;
    const redirect = field(page, /<redirect title="([^"]*)"/);
    pages.push({
      id: Number(field(page, /<id>(\d+)<\/id>/) ?? 0),
      ns: Number(field(page, /<ns>(-?\d+)<\/ns>/) ?? 0),
      title: unescapeXml(field(page, /<title>([^<]*)<\/title>/) ?? ""),
      redirect: redirect === null ? null : unescapeXml(redirect),
      text: unescapeXml(field(page, /<text[^>]*>([^<]*)<\/text>/) ?? ""),
    });
  }
  return pages;
}
