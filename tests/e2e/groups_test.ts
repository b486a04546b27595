/**
 * Conversion groups with no second pass: with a multistream index the streams holding
 * CGroup pages are read first, so a group applies even to articles that come before it.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { ROOT, tempDir, wikizh } from "../_cli.ts";

const fx = (name: string) => `${ROOT}tests/fixtures/${name}`;

Deno.test("wikizh applies a group whose module comes after its article, found through the index", async () => {
  const dir = tempDir();
  for (const threads of ["1", "2", "3"]) {
    const out = `${dir}/o${threads}.txt`;
    const r = await wikizh(["--threads", threads, fx("groups-late-multistream.xml.bz2"), out]);
    assertEquals(r.code, 0, r.stderr);
    const text = Deno.readTextFileSync(out);
    // The fixture's own IT module (in the dump's last stream) says 電腦 → 计算机 for zh-cn
    // readers; the bundled snapshot's IT group does not.
    assertStringIncludes(text, "又称计算机");
    assertMatch(
      r.stderr,
      /conversion groups from the dump's index \(1 pages from 1 streams, \d+\.\d s\)\n$/,
    );
    assert(!r.stderr.includes("not found"), r.stderr);
  }
});

Deno.test("wikizh with --rules names the rules file as the groups' source", async () => {
  const dir = tempDir();
  Deno.writeTextFileSync(
    `${dir}/r.json`,
    JSON.stringify({ version: 1, groups: { IT: ["zh-cn:信息网; zh-tw:網路;"] } }),
  );
  const r = await wikizh([
    "--rules",
    `${dir}/r.json`,
    fx("groups-late-multistream.xml.bz2"),
    `${dir}/o.txt`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stderr, /conversion groups from rules file .*r\.json\n$/);
  assertStringIncludes(Deno.readTextFileSync(`${dir}/o.txt`), "\n信息网是由程控的");
});

Deno.test("wikizh --stats tells unknown templates used inside running text from block ones", async () => {
  const dir = tempDir();
  const text = "{{某块模板}}\n'''甲'''是{{某未知模板|乙}}的一种。\n";
  Deno.writeTextFileSync(
    `${dir}/d.xml`,
    `<mediawiki><page><title>甲</title><ns>0</ns><id>1</id><revision><text>${text}</text></revision></page></mediawiki>`,
  );
  const r = await wikizh(["--stats", `${dir}/s.json`, `${dir}/d.xml`, `${dir}/o.txt`]);
  assertEquals(r.code, 0, r.stderr);
  const stats = JSON.parse(Deno.readTextFileSync(`${dir}/s.json`));
  assertEquals(stats.unknown_inline_templates, { "某未知模板": 1 });
  assertEquals(Object.keys(stats.unknown_templates).sort(), ["某块模板", "某未知模板"].sort());
  assertStringIncludes(r.stderr, "most used unknown templates inside running text:");
});
