import { assert, assertEquals } from "../_assert.ts";
import { RulesError } from "../../src/errors.ts";
import type { CleanPage, PageRecord } from "../../src/types.ts";
import { PageTokenizerStream } from "../../src/xml/mod.ts";
import { cleanPage } from "../../src/wikitext/mod.ts";
import {
  cgroupName,
  cgroupRules,
  CGROUPS_INFO,
  collectRules,
  createPageConverter,
  groupSource,
  isRulesPageTitle,
  parseConversionTable,
  parseRulesFile,
  readLua,
  type RulesFile,
  rulesFromPages,
  serializeRulesFile,
} from "../../src/zhconv/mod.ts";

const dumpUrl = new URL("./fixtures/cgroup-dump.xml", import.meta.url);

async function pagesOf(url: URL): Promise<PageRecord[]> {
  const file = await Deno.open(url);
  const out: PageRecord[] = [];
  for await (const p of file.readable.pipeThrough(new PageTokenizerStream())) out.push(p);
  return out;
}

const dumpPages = () => pagesOf(dumpUrl);

async function* iterate<T>(xs: T[]): AsyncIterable<T> {
  for (const x of xs) yield x;
}

function throwsRulesError(f: () => unknown, what: string): void {
  try {
    f();
  } catch (e) {
    assert(e instanceof RulesError, `${what}: expected RulesError, got ${e}`);
    return;
  }
  throw new Error(`${what}: did not throw`);
}

Deno.test("collectRules reads CGroup modules and the conversion table of a dump", async () => {
  const rules = await collectRules(iterate(await dumpPages()));
  assertEquals(rules, {
    version: 1,
    groups: {
      "IT": [
        "zh-cn:软件; zh-tw:軟體; zh-hk:軟件;",
        "zh-cn:博客;zh-tw:部落格;zh-hk:網誌;",
        "zh-cn:服务器;zh-tw:伺服器;",
        "zh-cn:网络;zh-tw:網路;",
        "zh-cn:程序;zh-tw:程式;",
      ],
      "物理学": ["zh-cn:量子力学;zh-tw:量子力學;", "zh-cn:激光;zh-tw:雷射;zh-hk:激光;"],
    },
    conversionTable: { "zh-cn": { "香農": "香农", "雪梨": "悉尼" } },
    // Module:CGroup/Old redirects to the IT module.
    aliases: { "Old": "IT" },
  });
});

Deno.test("a rules file survives serializeRulesFile and parseRulesFile", async () => {
  const rules = await collectRules(iterate(await dumpPages()));
  const text = serializeRulesFile(rules);
  assertEquals(parseRulesFile(text), rules);
  assertEquals(serializeRulesFile(parseRulesFile(text)), text);
});

Deno.test("NoteTA groups from the fixture dump convert the article", async () => {
  const pages = await dumpPages();
  const rules = await collectRules(iterate(pages));
  const article = pages.find((p) => p.ns === 0)!;
  const clean = cleanPage(article);
  assertEquals(clean.status, "article");

  const withRules = createPageConverter({ rules, converter: "opencc" }).convertPage(clean);
  assertEquals(withRules.title, "网络博客");
  assertEquals(
    withRules.text,
    "网络博客是在服务器上执行的软件程序，作者在悉尼研究量子力学与激光，也用打印机。",
  );
  assertEquals(withRules.unresolvedGroups, ["不存在的组"]);

  // Without a rules file (and no snapshot) the in-page rules still apply and every group is
  // reported.
  const without = createPageConverter({ converter: "opencc", snapshot: false }).convertPage(clean);
  assertEquals(
    without.text,
    "网路部落格是在伺服器上执行的软体程式，作者在雪梨研究量子力学与雷射，也用打印机。",
  );
  assertEquals(without.unresolvedGroups, ["IT", "物理学", "不存在的组"]);

  const tw = createPageConverter({ variant: "zh-tw", rules, converter: "opencc" }).convertPage(
    clean,
  );
  assertEquals(
    tw.text,
    "網路部落格是在伺服器上執行的軟體程式，作者在雪梨研究量子力學與雷射，也用印表機。",
  );
});

Deno.test("cgroupName accepts Module: and 模块: titles, not /doc or helpers", () => {
  assertEquals(cgroupName("Module:CGroup/IT"), "IT");
  assertEquals(cgroupName("模块:CGroup/物理学"), "物理学");
  assertEquals(cgroupName("Module:CGroup/computer_science"), "Computer science");
  assertEquals(cgroupName("Module:CGroup/IT/doc"), null);
  assertEquals(cgroupName("Module:CGroup/core"), null);
  assertEquals(cgroupName("Module:NoteTA"), null);
});

Deno.test("parseConversionTable reads -{ … }- blocks of from => to entries", () => {
  assertEquals(
    parseConversionTable("说明\n-{\n* 甲 => 乙;\n* '丙'=>丁;坏的;\n}-\n-{ 戊 => 己 }-外面 => 不算"),
    { "甲": "乙", "丙": "丁", "戊": "己" },
  );
});

Deno.test("parseRulesFile rejects malformed files with RulesError", () => {
  throwsRulesError(() => parseRulesFile("{"), "not JSON");
  throwsRulesError(() => parseRulesFile("[]"), "array");
  throwsRulesError(() => parseRulesFile('{"version":2,"groups":{}}'), "version");
  throwsRulesError(() => parseRulesFile('{"version":1}'), "no groups");
  throwsRulesError(() => parseRulesFile('{"version":1,"groups":{"IT":"x"}}'), "group not list");
  throwsRulesError(() => parseRulesFile('{"version":1,"groups":{"IT":[1]}}'), "rule not string");
  throwsRulesError(
    () => parseRulesFile('{"version":1,"groups":{},"conversionTable":{"xx":{}}}'),
    "bad variant",
  );
  throwsRulesError(
    () => parseRulesFile('{"version":1,"groups":{},"conversionTable":{"zh-cn":{"a":1}}}'),
    "bad table",
  );
  const ok: RulesFile = parseRulesFile('{"version":1,"groups":{"it":["zh-cn:a;zh-tw:b"]}}');
  assertEquals(ok.groups, { "It": ["zh-cn:a;zh-tw:b"] });
});

Deno.test("readLua reads strings, long brackets, escapes, comments and nesting", () => {
  const src = `
    --[[ comment ]] -- line comment
    local t = {
      a = 'x\\'y', b = "tab\\tnl\\n\\65\\u{4E2D}", c = [==[
long ]] string]==],
      [ "key" ] = 1.5, 'pos', true, nil, { inner = { 1, 2 } },
      call = f.g('arg', { z = 'w' }),
      s = 'a' .. "b" .. [[c]],
    }`;
  const [t] = readLua(src).filter((v) => typeof v === "object" && v?.kind === "table");
  assert(t !== undefined && typeof t === "object" && t !== null && t.kind === "table");
  assertEquals(t.fields.get("a"), "x'y");
  assertEquals(t.fields.get("b"), "tab\tnl\nA中");
  assertEquals(t.fields.get("c"), "long ]] string");
  assertEquals(t.fields.get("key"), 1.5);
  assertEquals(t.fields.get("s"), "abc");
  assertEquals(t.items.slice(0, 3), ["pos", true, null]);
  const call = t.fields.get("call");
  assert(typeof call === "object" && call !== null && call.kind === "call");
  assertEquals(call.name, "f.g");
  assertEquals(call.args[0], "arg");
});

Deno.test("readLua reports unterminated strings and tables with RulesError", () => {
  throwsRulesError(() => readLua("return { 'abc }"), "unterminated quote");
  throwsRulesError(() => readLua("return { [[abc }"), "unterminated long bracket");
  throwsRulesError(() => readLua("return { content = {"), "unclosed table");
  throwsRulesError(() => readLua("return { } }"), "extra brace");
});

Deno.test("readLua handles very deep nesting without exhausting the stack", () => {
  const n = 200_000;
  const values = readLua("return " + "{".repeat(n) + "'x'" + "}".repeat(n));
  assertEquals(values.length, 1);
  // The CGroup walk over such a table is iterative too.
  assertEquals(cgroupRules("return {content = {" + "{".repeat(n) + "}".repeat(n) + "}}"), []);
});

Deno.test("cgroupRules skips text items and takes rule strings, item tables and Item calls", () => {
  assertEquals(
    cgroupRules(`return { content = {
      { type = 'text', text = 'zh-cn:不要;zh-tw:這個' },
      'zh-cn:甲;zh-tw:乙',
      { type = 'item', original = 'o', rule = 'zh-cn:丙;zh-tw:丁' },
      Item('o', 'zh-cn:戊;zh-tw:己'),
      core.Item('o', 'zh-cn:庚;zh-tw:辛'),
      Other('o', 'zh-cn:不;zh-tw:要'),
    } }`),
    ["zh-cn:甲;zh-tw:乙", "zh-cn:丙;zh-tw:丁", "zh-cn:戊;zh-tw:己", "zh-cn:庚;zh-tw:辛"],
  );
});

const templatesUrl = new URL("./fixtures/cgroup-templates.xml", import.meta.url);

const templatePages = () => pagesOf(templatesUrl);

Deno.test("collectRules reads Template:CGroup pages, their redirects and own names", async () => {
  const rules = await collectRules(iterate(await templatePages()));
  assertEquals(rules.groups["Movies"], [
    "zh-cn:泰坦尼克号;zh-tw:鐵達尼號;zh-hk:鐵達尼號;",
    "zh-cn:阿凡达;zh-tw:阿凡達;zh-hk:化身;",
    "zh-cn:星球大战;zh-tw:星際大戰;",
    "教父=>zh-cn:教父;教父=>zh-hk:教父;",
    "zh-cn:终结者;zh-tw:魔鬼終結者;",
    "zh-cn:异形;zh-tw:異形;",
    "zh-cn:大白鲨;zh-tw:大白鯊;",
  ]);
  // The module of the same name wins over the template; /doc is no group.
  assertEquals(rules.groups["Films"], ["zh-cn:泰坦尼克号;zh-tw:鐵達尼號;"]);
  assertEquals(Object.keys(rules.groups).sort(), ["Films", "Movies", "Music"]);
  assertEquals(rules.aliases, { "Cinema": "Movies", "Movie": "Movies", "Songs": "Music" });
});

Deno.test("rulesFromPages gives what collectRules gives, and aliases resolve in NoteTA", async () => {
  const pages = await templatePages();
  const rules = rulesFromPages(pages);
  assertEquals(rules, await collectRules(iterate(pages)));
  assertEquals(
    pages.filter((p) => !isRulesPageTitle(p.title)).map((p) => p.title),
    ["Template:CGroup/doc"],
  );
  assert(!isRulesPageTitle("Template:NoteTA") && !isRulesPageTitle("電影"), "other titles");
  const page = (groups: string[], text = "阿凡達與披頭四"): CleanPage => ({
    id: 1,
    ns: 0,
    title: "電影",
    status: "article",
    redirect: null,
    segments: [
      ...groups.map((g) => ({ kind: "group" as const, text: g })),
      { kind: "text", text },
    ],
    categories: [],
    unknownTemplates: [],
  });
  const conv = createPageConverter({ rules, rulesSource: "index" });
  assertEquals(conv.convertPage(page(["Cinema", "Songs"])).text, "阿凡达与披头士");
  // Movie is the template's own name (CGroupH); Songs redirects to Music.
  assertEquals(conv.convertPage(page(["Movie"], "化身與星際大戰")).text, "阿凡达与星球大战");
  assertEquals(conv.convertPage(page([], "化身")).text, "化身");
  const missing = conv.convertPage(page(["不存在"]));
  assertEquals(missing.unresolvedGroups, ["不存在"]);
  assertEquals(groupSource({ rules, rulesSource: "index" }), "index");
  assertEquals(groupSource({ rules }), "rules file");
  assertEquals(groupSource({}), "snapshot");
  assertEquals(groupSource({ snapshot: false }), "none");
});

Deno.test("the bundled snapshot resolves zhwiki's groups when no rules are given", () => {
  assertEquals(CGROUPS_INFO.groups, 444);
  assertEquals(CGROUPS_INFO.rules, 73850);
  const page: CleanPage = {
    id: 1,
    ns: 0,
    title: "人工智慧",
    status: "article",
    redirect: null,
    segments: [
      { kind: "group", text: "IT" },
      { kind: "group", text: "沒有這個組" },
      { kind: "text", text: "人工智慧" },
    ],
    categories: [],
    unknownTemplates: [],
  };
  const a = createPageConverter().convertPage(page);
  assertEquals(a.text, "人工智能");
  assertEquals(a.unresolvedGroups, ["沒有這個組"]);
  // With the snapshot off the group is unresolved and the tables alone convert.
  const off = createPageConverter({ snapshot: false }).convertPage(page);
  assertEquals(off.unresolvedGroups, ["IT", "沒有這個組"]);
});

Deno.test("pages that start with the same groups convert as each would alone", () => {
  const rules = {
    version: 1 as const,
    groups: {
      G1: ["zh-cn:甲一;zh-tw:乙一;", "zh-cn:甲二;zh-tw:乙二;"],
      G2: ["zh-cn:丙一;zh-tw:丁一;"],
    },
  };
  const page = (segments: CleanPage["segments"]): CleanPage => ({
    id: 1,
    ns: 0,
    title: "頁",
    status: "article",
    redirect: null,
    segments,
    categories: [],
    unknownTemplates: [],
  });
  const text = "乙一乙二丁一";
  const pages: CleanPage[] = [
    page([{ kind: "group", text: "G1" }, { kind: "group", text: "G2" }, { kind: "text", text }]),
    // The same groups, then a rule that removes one of theirs and one that adds a rule.
    page([
      { kind: "group", text: "G1" },
      { kind: "group", text: "G2" },
      { kind: "conv", text: "-|zh-cn:甲一;zh-tw:乙一;" },
      { kind: "conv", text: "H|zh-cn:戊;zh-tw:乙二;" },
      { kind: "text", text },
    ]),
    page([{ kind: "group", text: "G1" }, { kind: "group", text: "G2" }, { kind: "text", text }]),
    page([{ kind: "group", text: "G1" }, { kind: "text", text }]),
    // A rule before the groups: the groups are added to it, not copied.
    page([
      { kind: "conv", text: "H|zh-cn:己;zh-tw:丁一;" },
      { kind: "group", text: "G1" },
      { kind: "text", text },
    ]),
    page([{ kind: "group", text: "G1" }, { kind: "group", text: "G2" }, { kind: "text", text }]),
  ];
  const shared = createPageConverter({ rules });
  const got = pages.map((p) => shared.convertPage(p).text);
  const alone = pages.map((p) => createPageConverter({ rules }).convertPage(p).text);
  assertEquals(got, alone);
  assertEquals(got, [
    "甲一甲二丙一",
    "乙一戊丙一",
    "甲一甲二丙一",
    "甲一甲二丁一",
    "甲一甲二己",
    "甲一甲二丙一",
  ]);
});

Deno.test("a CGroup module with 200,000 items is read without exhausting the stack", () => {
  const n = 200_000;
  const items: string[] = [];
  for (let k = 0; k < n; k++) items.push(`Item('o${k}', 'zh-cn:甲${k};zh-tw:乙${k};'),`);
  const src = "return { name = 'Big', content = {\n" + items.join("\n") + "\n} }";
  const rules = cgroupRules(src);
  assertEquals(rules.length, n);
  assertEquals(rules[n - 1], `zh-cn:甲${n - 1};zh-tw:乙${n - 1};`);
  // And a page naming the group gets all its pairs.
  const conv = createPageConverter({ rules: { version: 1, groups: { Big: rules } } });
  const a = conv.convertPage({
    id: 1,
    ns: 0,
    title: "大",
    status: "article",
    redirect: null,
    segments: [{ kind: "group", text: "Big" }, { kind: "text", text: `乙0與乙${n - 1}` }],
    categories: [],
    unknownTemplates: [],
  });
  assertEquals(a.text, `甲0与甲${n - 1}`);
});
