/**
 * Builds the mixed text used by the zhconv equality test and benchmark (cached in
 * `bench-data/zhconv-corpus.txt`): the jawiki and zhwiki corpus fragments as they are,
 * their opencc-js s2t, s2tw and s2hk conversions, and jawiki's jp2t conversion — about
 * 54 MB of XML with simplified, traditional, Taiwan, Hong Kong and Japanese forms.
 *
 * Usage: deno run --allow-read --allow-write --allow-run=xz scripts/make_zhconv_corpus.ts
 *
 * @module
 */

import * as OpenCC from "opencc-js";

const corpusDir = new URL("../../shared/corpus/", import.meta.url);
const cacheFile = new URL("../bench-data/zhconv-corpus.txt", import.meta.url);
const CACHE_VERSION = "zhconv-corpus v1\n";

/** Why the corpus cannot be built here, or null when it can. */
export function corpusMissing(): string | null {
  for (const f of ["zhwiki-2018-head.xml", "jawiki-2023-head.xml.xz"]) {
    try {
      Deno.statSync(new URL(f, corpusDir));
    } catch {
      return `../shared/corpus/${f} is absent`;
    }
  }
  return null;
}

async function xzText(url: URL): Promise<string> {
  const out = await new Deno.Command("xz", { args: ["-dc", url.pathname], stdout: "piped" })
    .output();
  if (!out.success) throw new Error(`xz -dc ${url.pathname} failed`);
  return new TextDecoder().decode(out.stdout);
}

/** The mixed corpus text (built once, then read from the cache). */
export async function loadZhconvCorpus(): Promise<string> {
  try {
    const cached = await Deno.readTextFile(cacheFile);
    if (cached.startsWith(CACHE_VERSION)) return cached.slice(CACHE_VERSION.length);
  } catch {
    // not built yet
  }
  const zh = await Deno.readTextFile(new URL("zhwiki-2018-head.xml", corpusDir));
  const ja = await xzText(new URL("jawiki-2023-head.xml.xz", corpusDir));
  const parts = [ja, zh];
  for (const to of ["t", "tw", "hk"] as const) {
    const conv = OpenCC.Converter({ from: "cn", to });
    parts.push(conv(ja), conv(zh));
  }
  parts.push(OpenCC.Converter({ from: "jp", to: "t" })(ja));
  const text = parts.join("\n");
  await Deno.mkdir(new URL(".", cacheFile), { recursive: true });
  await Deno.writeTextFile(cacheFile, CACHE_VERSION + text);
  return text;
}

/** Splits the corpus after each `</page>` line: the per-article units of the tests. */
export function splitArticles(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const k = text.indexOf("</page>\n", from);
    if (k < 0) break;
    out.push(text.slice(from, k + 8));
    from = k + 8;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

/**
 * Splits text into pieces of about `size` code units, each ending just after a newline
 * (a piece longer than `size` is kept whole when it has no newline).
 */
export function splitPieces(text: string, size: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (from < text.length) {
    let cut = from + size;
    if (cut >= text.length) cut = text.length;
    else {
      const nl = text.lastIndexOf("\n", cut - 1);
      cut = nl >= from ? nl + 1 : text.indexOf("\n", cut) + 1 || text.length;
    }
    out.push(text.slice(from, cut));
    from = cut;
  }
  return out;
}

if (import.meta.main) {
  const why = corpusMissing();
  if (why) {
    console.error(`cannot build: ${why}`);
    Deno.exit(1);
  }
  const text = await loadZhconvCorpus();
  const mb = new TextEncoder().encode(text).length / 1e6;
  console.log(`${cacheFile.pathname}: ${mb.toFixed(1)} MB, ${splitArticles(text).length} articles`);
}
