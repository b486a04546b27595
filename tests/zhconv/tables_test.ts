import * as OpenCC from "opencc-js";
import { assertEquals, corpusPath } from "../_assert.ts";
import { build } from "../../scripts/build_zhtables.ts";
import { mwLayers } from "../../src/zhconv/_mw.ts";
import { ZH_TO_CN, ZH_TO_HANS, ZH_TO_HANT, ZH_TO_HK } from "../../src/zhconv/_mw_tables.ts";
import { createTextConverter, type RulesFile } from "../../src/zhconv/mod.ts";

const dataDir = new URL("../../../shared/data/", import.meta.url);
let shared = true;
try {
  Deno.statSync(new URL("mediawiki/ZhConversion.php", dataDir));
} catch {
  shared = false;
  console.log("(skipping the vendored-data check: ../shared/data is absent)");
}

Deno.test({
  name: "the vendored tables and group snapshot are what scripts/build_zhtables.ts builds",
  ignore: !shared,
  async fn() {
    for (const [name, text] of await build(dataDir)) {
      const committed = await Deno.readTextFile(
        new URL(`../../src/zhconv/${name}`, import.meta.url),
      );
      assertEquals(
        committed === text,
        true,
        `${name} is out of date: run deno task build:zhtables`,
      );
    }
  },
});

Deno.test("mwLayers stacks a variant's tables in MediaWiki's order", () => {
  const site = { "zh-cn": { "甲": "乙" }, "zh-hans": { "丙": "丁" }, "zh-hk": { "戊": "己" } };
  assertEquals(mwLayers("zh-cn", site), [[["甲", "乙"]], ZH_TO_CN, [["丙", "丁"]], ZH_TO_HANS]);
  assertEquals(mwLayers("zh-sg", site), [ZH_TO_CN, [["丙", "丁"]], ZH_TO_HANS]);
  assertEquals(mwLayers("zh-hans", site), [[["丙", "丁"]], ZH_TO_HANS]);
  assertEquals(mwLayers("zh-hk", site), [[["戊", "己"]], ZH_TO_HK, ZH_TO_HANT]);
  assertEquals(mwLayers("zh-hant"), [ZH_TO_HANT]);
  assertEquals(mwLayers("zh"), []);
});

Deno.test("site conversion tables sit over the built-in tables, the variant's over its script's", () => {
  const rules: RulesFile = {
    version: 1,
    groups: {},
    conversionTable: {
      "zh-cn": { "軟體": "软体件", "雪梨": "悉尼" },
      "zh-hans": { "軟體": "不用", "雪梨": "不用", "香農": "香农" },
    },
  };
  assertEquals(
    createTextConverter("zh-cn", false, "mediawiki", rules)("軟體雪梨香農"),
    "软体件悉尼香农",
  );
  // zh-hans has no zh-cn layer: its own site table over ZH_TO_HANS.
  assertEquals(createTextConverter("zh-hans", false, "mediawiki", rules)("軟體雪梨"), "不用不用");
});

const zhwiki = corpusPath("zhwiki-2018-head.xml");

Deno.test({
  name: "the OpenCC zh-cn pass with corner quotes equals t2s followed by the four replacements",
  ignore: zhwiki === null,
  fn() {
    const text = Deno.readTextFileSync(zhwiki!);
    const t2s = OpenCC.Converter({ from: "t", to: "cn" });
    const expected = t2s(text).replaceAll("「", "“").replaceAll("」", "”").replaceAll("『", "‘")
      .replaceAll("』", "’");
    assertEquals(createTextConverter("zh-cn", false, "opencc")(text) === expected, true);
  },
});

Deno.test("createTextConverter gives the same text whatever its length, lone surrogates kept", () => {
  const zhCn = createTextConverter("zh-cn");
  // 發 → 发 and 體 → 体 one unit each; a lone surrogate must come out as it went in.
  for (const lone of ["", "\uD800", "\uDC00"]) {
    for (let n = 1; n <= 80; n++) {
      const input = ("發" + lone + "a體").repeat(n).slice(0, n);
      const expected = input.replaceAll("發", "发").replaceAll("體", "体");
      assertEquals(zhCn(input), expected, `${JSON.stringify(lone)} × ${n}`);
    }
    const long = ("發" + lone + "體").repeat(3000);
    assertEquals(zhCn(long), ("发" + lone + "体").repeat(3000));
  }
});
