import { assertEquals } from "../_assert.ts";
import { createPageConverter, parseRulesFile } from "../../src/zhconv/mod.ts";
import type { CleanPage } from "../../src/types.ts";
import { readCases } from "./_cases.ts";

const dir = new URL("./fixtures/", import.meta.url);
// cases.txt describes the OpenCC converter, mw-cases.txt MediaWiki's (the default).
const cases = [
  ...readCases(Deno.readTextFileSync(new URL("cases.txt", dir)), "opencc"),
  ...readCases(Deno.readTextFileSync(new URL("mw-cases.txt", dir)), "mediawiki"),
  ...readCases(Deno.readTextFileSync(new URL("sections.txt", dir)), "mediawiki"),
];
const rules = parseRulesFile(Deno.readTextFileSync(new URL("groups.json", dir)));

Deno.test("fixture file has cases and every case an expectation", () => {
  assertEquals(cases.length > 40, true);
  for (const c of cases) assertEquals(c.segments.length > 0, true, c.name);
});

for (const c of cases) {
  Deno.test(`PageConverter (${c.converter}): ${c.name}`, () => {
    const conv = createPageConverter({
      variant: c.variant,
      converter: c.converter,
      keepCornerQuotes: c.keepCornerQuotes,
      rules,
    });
    const page: CleanPage = {
      id: 1,
      ns: 0,
      title: c.title,
      status: c.status,
      redirect: null,
      segments: c.segments,
      categories: [],
      unknownTemplates: [],
    };
    const a = conv.convertPage(page);
    assertEquals(a.text, c.expect, `${c.name}: text`);
    if (c.expectTitle !== undefined) assertEquals(a.title, c.expectTitle, `${c.name}: title`);
    assertEquals(a.unresolvedGroups, c.expectUnresolved ?? [], `${c.name}: unresolved groups`);
    if (c.expectSections !== undefined) {
      assertEquals(a.sections, c.expectSections, `${c.name}: sections`);
    }
    assertEquals(a.sourceTitle, c.title, `${c.name}: source title`);
  });
}
