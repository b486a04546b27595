import * as OpenCC from "opencc-js";
import { assert, assertEquals, corpusPath } from "../_assert.ts";
import type { CleanPage } from "../../src/types.ts";
import { PageTokenizerStream } from "../../src/xml/mod.ts";
import { cleanPage } from "../../src/wikitext/mod.ts";
import { createPageConverter, createTextConverter, VARIANTS } from "../../src/zhconv/mod.ts";
import {
  corpusMissing,
  loadZhconvCorpus,
  splitArticles,
  splitPieces,
} from "../../scripts/make_zhconv_corpus.ts";

// Building the mixed corpus needs `xz` (cached afterwards in bench-data/).
function mixedCorpusUnavailable(): string | null {
  const why = corpusMissing();
  if (why) return why;
  try {
    Deno.statSync(new URL("../../bench-data/zhconv-corpus.txt", import.meta.url));
    return null;
  } catch {
    const run = Deno.permissions.querySync({ name: "run", command: "xz" });
    if (run.state !== "granted") return "building it needs --allow-run=xz";
    try {
      new Deno.Command("xz", { args: ["--version"], stdout: "null" }).outputSync();
      return null;
    } catch {
      return "building it needs the xz program";
    }
  }
}
const unavailable = mixedCorpusUnavailable();
if (unavailable) console.log(`(skipping the 50 MB equality test: ${unavailable})`);

Deno.test({
  name:
    "t2s converter output is byte-identical to opencc-js on ≥ 50 MB, whole, per article and in 64 KB pieces",
  ignore: unavailable !== null,
  async fn() {
    const text = await loadZhconvCorpus();
    const bytes = new TextEncoder().encode(text).length;
    assert(bytes >= 50e6, `corpus has only ${bytes} bytes`);
    const ours = createTextConverter("zh-cn", true, "opencc");
    const ref = OpenCC.Converter({ from: "t", to: "cn" });

    const expected = ref(text);
    assertEquals(ours(text) === expected, true, "whole text differs");
    assert(expected !== text, "the corpus must contain traditional text");

    const articles = splitArticles(text);
    assert(articles.length > 1000, `only ${articles.length} articles`);
    let differing = 0;
    for (const a of articles) if (ours(a) !== ref(a)) differing++;
    assertEquals(differing, 0, "articles whose conversion differs");

    const pieces = splitPieces(text, 65536);
    assert(pieces.length > 400, `only ${pieces.length} pieces`);
    assertEquals(pieces.map(ours).join("") === expected, true, "64 KB pieces differ");
  },
});

async function zhwikiPages(path: string): Promise<CleanPage[]> {
  const file = await Deno.open(path);
  const out: CleanPage[] = [];
  for await (const rec of file.readable.pipeThrough(new PageTokenizerStream())) {
    out.push(cleanPage(rec));
  }
  return out;
}

const zhwiki = corpusPath("zhwiki-2018-head.xml");

Deno.test({
  name: "convertPage leaves no -{ or }- in the zhwiki fragment for any variant",
  ignore: zhwiki === null,
  async fn() {
    const pages = await zhwikiPages(zhwiki!);
    const articles = pages.filter((p) => p.status === "article");
    const convs = articles.flatMap((p) => p.segments.filter((s) => s.kind === "conv"));
    assert(convs.length > 20, `only ${convs.length} -{}- nodes: the check would be weak`);
    const outputs = new Map<string, string>();
    for (const variant of VARIANTS) {
      const conv = createPageConverter({ variant });
      let all = "";
      for (const p of articles) {
        const a = conv.convertPage(p);
        for (const s of [a.title, a.text]) {
          for (const marker of ["-{", "}-"]) {
            const k = s.indexOf(marker);
            assert(
              k < 0,
              `${variant}: ${marker} in ${a.title}: …${s.slice(Math.max(0, k - 30), k + 30)}…`,
            );
          }
        }
        all += a.text;
      }
      outputs.set(variant, all);
    }
    // Page rules make zh-cn differ from zh-hans (NoteTA vocabulary), and zh-tw from zh-hk.
    assert(outputs.get("zh-cn") !== outputs.get("zh-hans"), "zh-cn equals zh-hans");
    assert(outputs.get("zh-tw") !== outputs.get("zh-hk"), "zh-tw equals zh-hk");
  },
});
