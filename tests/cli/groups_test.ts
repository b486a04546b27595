import { isConversionTitle, noteTaAliases } from "../../src/cli/_group_pages.ts";
import { assertEquals } from "../_assert.ts";

Deno.test("isConversionTitle picks conversion pages and NoteTA-like templates out of an index", () => {
  const yes = [
    "Module:CGroup/IT",
    "模块:CGroup/IT",
    "Template:CGroup/Movie",
    "MediaWiki:Conversiontable/zh-cn",
    "Template:NoteTA",
    "Template:TA",
    "Template:Note TA/doc",
    "Template:NoteTA-lang",
  ];
  const no = ["IT", "Template:Taiwan", "Template:Infobox", "Module:Convert", "CGroup/IT"];
  assertEquals(yes.filter(isConversionTitle), yes);
  assertEquals(no.filter(isConversionTitle), []);
});

Deno.test("noteTaAliases names the dump's templates that redirect to NoteTA", () => {
  const page = (title: string, redirect: string | null) => ({
    id: 1,
    ns: 10,
    title,
    redirect,
    text: "",
  });
  assertEquals(
    noteTaAliases([
      page("Template:TA", "Template:NoteTA"),
      page("Template:NoteTA-alt", "Template:NoteTA"),
      page("Template:NoteTA", null),
      page("Template:TAx", "Template:Other"),
    ]),
    ["TA", "NoteTA-alt"],
  );
});
