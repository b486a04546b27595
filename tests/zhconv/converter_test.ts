import * as OpenCC from "opencc-js";
import { assert, assertEquals, corpusPath, rng } from "../_assert.ts";
import { ConverterChain, idsEnd, PIECE, pieceEnd } from "../../src/zhconv/_table.ts";
import { S2HK, S2T, S2TW, T2S } from "../../src/zhconv/_dicts.ts";
import { createTextConverter, VARIANTS } from "../../src/zhconv/mod.ts";
import TSPhrases from "opencc-js/dict/TSPhrases";

const refT2S = OpenCC.Converter({ from: "t", to: "cn" });
const t2s = new ConverterChain(T2S);

const TRICKY = [
  "",
  "a",
  "乾隆乾燥乾坤一目瞭然",
  "⿰木羊abc",
  "⿰⿱",
  "⿰",
  "a⿲木木木b",
  "⿰⿰木",
  "⿱⿰⿰⿰⿰木",
  "𥪕鍾⿰⿰⿰",
  "⿰\uD842\uDFB7乾",
  "𠀀𪚥乾隆乾燥",
  "\uD800x\uDC00",
  "\uD83D",
  "\uDE00乾",
  "豈更車賈滑",
  "\uD87E\uDC00\uD87E\uDC01",
  "丟並乾亂\n亙亞",
  "一目瞭\n然",
];

Deno.test("ConverterChain t2s equals opencc-js on tricky strings", () => {
  for (const s of TRICKY) assertEquals(t2s.convert(s), refT2S(s), JSON.stringify(s));
});

Deno.test("ConverterChain equals opencc-js for s2t, s2tw and s2hk", () => {
  const text = "软件和台湾的里程碑，着手于后来的发展。" + TRICKY.join("|") +
    "香港的电视台播出了节目";
  for (
    const [spec, to] of [[S2T, "t"], [S2TW, "tw"], [S2HK, "hk"]] as const
  ) {
    const ref = OpenCC.Converter({ from: "cn", to });
    assertEquals(new ConverterChain(spec).convert(text), ref(text), to);
  }
});

Deno.test("ConverterChain t2s equals opencc-js on random strings of interesting code points", () => {
  // Alphabet: phrase heads and bodies, mapped and unmapped CJK, compatibility ideographs,
  // description operators, surrogates (paired and lone), ASCII, newlines.
  const phrases = (TSPhrases as string).split("|").slice(0, 200).map((l) => l.split(" ")[0]);
  const atoms = [
    ...phrases,
    ..."乾隆燥坤一目瞭然丟並亂亙亞來侖侶個們豈更車賈汉字中文abc \n",
    "⿰",
    "⿱",
    "⿲",
    "⿳",
    "⿻",
    "\uD842\uDFB7",
    "\uD87E\uDC00",
    "\uD800",
    "\uDC00",
    "𠀀",
  ];
  const rand = rng(7);
  for (let k = 0; k < 3000; k++) {
    let s = "";
    const n = Math.floor(rand() * 30);
    for (let j = 0; j < n; j++) {
      const a = atoms[Math.floor(rand() * atoms.length)];
      // Sometimes only a prefix of a phrase, so that near-matches occur.
      s += a.length > 1 && rand() < 0.3 ? a.slice(0, a.length - 1) : a;
    }
    assertEquals(t2s.convert(s), refT2S(s), JSON.stringify(s));
  }
});

Deno.test("ConverterChain t2s equals opencc-js on strings dense in description operators", () => {
  const atoms = ["⿰", "⿱", "⿲", "⿳", "木", "乾", "隆", "\uD842\uDFB7", "\n", "\uD800", "豈"];
  const rand = rng(11);
  for (let k = 0; k < 5000; k++) {
    let s = "";
    const n = Math.floor(rand() * 40);
    for (let j = 0; j < n; j++) s += atoms[Math.floor(rand() * atoms.length)];
    assertEquals(t2s.convert(s), refT2S(s), JSON.stringify(s));
  }
});

Deno.test("ConverterChain converts long text in newline pieces without changing the result", () => {
  // A description sequence taking a newline as operand right where a piece would end.
  const s = "乾".repeat(PIECE - 3) + "⿰\n乾" + "乾隆\n".repeat(1000) + "⿱".repeat(10) + "\n" +
    "發".repeat(PIECE + 5) + "\n一目瞭然";
  assert(pieceEnd(s, 0) < s.length, "the text is long enough to be cut");
  assert(pieceEnd(s, 0) > PIECE - 3, "the cut avoids the description sequence");
  assertEquals(t2s.convert(s) === refT2S(s), true);
});

Deno.test("idsEnd stays linear on a long run of description operators", () => {
  const s = "⿰".repeat(200_000);
  const t0 = performance.now();
  assertEquals(idsEnd(s, 0, s.length, new Map()), 0);
  assertEquals(t2s.convert(s), s);
  assert(performance.now() - t0 < 5000, "took too long");
});

Deno.test("createTextConverter builds every variant's tables quickly and converts", () => {
  const expected: Record<string, string> = {
    "zh-cn": "软件“引号”",
    "zh-hans": "软件「引号」",
    "zh-sg": "软件「引号」",
    "zh-my": "软件「引号」",
    "zh-tw": "軟件「引號」",
    "zh-hk": "軟件「引號」",
    "zh-hant": "軟件「引號」",
  };
  for (const v of VARIANTS) {
    const t0 = performance.now();
    const c = createTextConverter(v, false, "opencc");
    const ms = performance.now() - t0;
    console.log(`  ${v}: tables in ${ms.toFixed(0)} ms`);
    assertEquals(c("軟件「引號」"), expected[v], v);
  }
});

const zhwikiXml = corpusPath("zhwiki-2018-head.xml");

Deno.test({
  name:
    "traditional variants equal opencc-js t2s followed by s2tw, s2hk or s2t on the zhwiki fragment",
  ignore: zhwikiXml === null,
  fn() {
    const zh = Deno.readTextFileSync(zhwikiXml!);
    // Both scripts: the fragment as is and its traditional form.
    const text = zh + OpenCC.Converter({ from: "cn", to: "t" })(zh);
    for (const [v, to] of [["zh-tw", "tw"], ["zh-hk", "hk"], ["zh-hant", "t"]] as const) {
      const second = OpenCC.Converter({ from: "cn", to });
      const expected = second(refT2S(text));
      assertEquals(createTextConverter(v, false, "opencc")(text) === expected, true, v);
    }
  },
});
