/**
 * The families table of src/wikitext/_templates/families.ts against its fixture file: every
 * row is exercised by a case of cases/families.txt, and MediaWiki's name comparison holds.
 * @module
 */

import { FAMILIES } from "../../src/wikitext/_templates/families.ts";
import { cleanPage } from "../../src/wikitext/mod.ts";
import { assert, assertEquals } from "../_assert.ts";

const fixture = Deno.readTextFileSync(new URL("./cases/families.txt", import.meta.url));
const inputs = fixture.split("\n### ").map((c) => c.slice(0, c.indexOf("\n---")));

function usesName(name: string): boolean {
  // Case-insensitive on the first letter only, `_` and space alike, as MediaWiki compares.
  const first = name.charAt(0);
  const rest = name.slice(1).replace(/ /g, "[ _]");
  const escaped = rest.replace(/[.*+?^${}()|\\]/g, "\\$&").replace(/\\\[ _\\\]/g, "[ _]");
  const re = new RegExp(
    `\\{\\{\\s*[${first.toLowerCase()}${first.toUpperCase()}]${escaped}\\s*[|}]`,
  );
  return inputs.some((input) => re.test(input));
}

Deno.test("template families each have a fixture case using one of their names", () => {
  const missing: string[] = [];
  for (const f of FAMILIES) if (!f.names.some(usesName)) missing.push(f.names[0]);
  assertEquals(missing, []);
});

function text(wikitext: string): string {
  const page = { id: 1, ns: 0, title: "T", redirect: null, text: wikitext };
  return cleanPage(page).segments.filter((s) => s.kind !== "heading").map((s) => s.text)
    .join("");
}

Deno.test("template names compare as MediaWiki compares them", () => {
  // First letter case-insensitive, `_` = space.
  assertEquals(text("{{birth_date|1900|1|2}}"), text("{{Birth date|1900|1|2}}"));
  assertEquals(text("{{Birth date|1900|1|2}}"), "1900年1月2日");
  // Past the first letter, case matters where two templates differ only in case.
  assertEquals(text("甲{{BD|1885年||1968年|}}乙"), "甲（1885年－1968年）乙");
  assertEquals(text("甲{{bd|1885年||1968年|}}乙"), "甲1885年－1968年乙");
  // Where no other template owns the spelling, a case variant still finds its family.
  assertEquals(text("{{Death Date And Age|1980|4|15|1905|6|21}}"), "1980年4月15日（74岁）");
  // All-caps country codes are exact: `{{Usa}}` is another page.
  assertEquals(text("{{USA}}"), "美国");
  assert(!text("{{Usa}}").includes("美国"));
});
