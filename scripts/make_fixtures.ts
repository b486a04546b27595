/**
 * Regenerates the compressed forms of the bundled sample dump from
 * `tests/fixtures/sample.xml`, with the system `bzip2`:
 * - `sample.xml.bz2`: one bzip2 stream;
 * - `sample-multistream.xml.bz2` + `sample-multistream-index.txt`: Wikimedia's multistream
 *   layout (a stream for the header, one per group of pages, one for the footer) and its
 *   `offset:id:title` index;
 * - `many-blocks.xml.bz2`: the sample's pages 300 times over (new ids and titles), in
 *   100 KB blocks (`bzip2 -1`), so that the XML comes in many pieces (the two-thread
 *   layout's tests), and `many-blocks-bad-ns.xml.bz2` with one late page's `<ns>` damaged.
 *
 * Run: deno run --allow-read=tests/fixtures --allow-write=tests/fixtures --allow-run=bzip2 scripts/make_fixtures.ts
 */

const dir = new URL("../tests/fixtures/", import.meta.url);
const xml = await Deno.readTextFile(new URL("sample.xml", dir));

async function bzip2(text: string, level = "-9"): Promise<Uint8Array> {
  const child = new Deno.Command("bzip2", { args: [level, "-c"], stdin: "piped", stdout: "piped" })
    .spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(text));
  await w.close();
  const out = await child.output();
  if (!out.success) throw new Error("bzip2 failed");
  return out.stdout;
}

/** Splits the dump into header, pages and footer at `<page>` boundaries. */
function split(text: string): { header: string; pages: string[]; footer: string } {
  const first = text.indexOf("  <page>");
  const end = text.lastIndexOf("</mediawiki>");
  const body = text.slice(first, end);
  const pages = body.split(/(?<=<\/page>\n)/).filter((p) => p.length > 0);
  return { header: text.slice(0, first), pages, footer: text.slice(end) };
}

await Deno.writeFile(new URL("sample.xml.bz2", dir), await bzip2(xml));

/** Writes `name`-multistream.xml.bz2 and its index: a header stream, `groups` page streams, a footer. */
async function multistream(
  name: string,
  header: string,
  pages: string[],
  footer: string,
  n: number,
) {
  const size = Math.ceil(pages.length / n);
  const groups = Array.from({ length: n }, (_, i) => pages.slice(i * size, (i + 1) * size))
    .filter((g) => g.length > 0);
  const chunks: Uint8Array[] = [await bzip2(header)];
  const index: string[] = [];
  let offset = chunks[0].length;
  for (const group of groups) {
    const data = await bzip2(group.join(""));
    for (const page of group) {
      const id = /<id>(\d+)<\/id>/.exec(page)![1];
      const title = /<title>([^<]*)<\/title>/.exec(page)![1];
      index.push(`${offset}:${id}:${title}`);
    }
    chunks.push(data);
    offset += data.length;
  }
  chunks.push(await bzip2(footer));
  const total = chunks.reduce((k, c) => k + c.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  await Deno.writeFile(new URL(`${name}-multistream.xml.bz2`, dir), all);
  await Deno.writeTextFile(new URL(`${name}-multistream-index.txt`, dir), index.join("\n") + "\n");
}

const { header, pages, footer } = split(xml);
await multistream("sample", header, pages, footer, 2);
// The same pages with the conversion group's module last, after the article that uses it:
// only the index finds it in time.
const isGroup = (p: string) => p.includes("<title>模块:CGroup/IT</title>");
const late = [...pages.filter((p) => !isGroup(p)), ...pages.filter(isGroup)];
await multistream("groups-late", header, late, footer, 3);
const copies: string[] = [];
for (let k = 0; k < 300; k++) {
  for (const p of pages) {
    copies.push(
      p.replace(/<id>(\d+)<\/id>/, (_, id) => `<id>${k * 1000 + Number(id)}</id>`)
        .replace(/<title>([^<]*)<\/title>/, (_, t) => `<title>${t} ${k}</title>`),
    );
  }
}
await Deno.writeFile(
  new URL("many-blocks.xml.bz2", dir),
  await bzip2(header + copies.join("") + footer, "-1"),
);
// The same with one page's <ns> damaged late in the dump: a syntax error deep in the input.
const bad = copies.slice();
bad[bad.length - 300] = bad[bad.length - 300].replace(/<ns>\d+<\/ns>/, "<ns>x</ns>");
await Deno.writeFile(
  new URL("many-blocks-bad-ns.xml.bz2", dir),
  await bzip2(header + bad.join("") + footer, "-1"),
);
console.log(
  "wrote many-blocks-bad-ns.xml.bz2, sample.xml.bz2, sample-multistream.xml.bz2, groups-late-multistream.xml.bz2, indexes, many-blocks.xml.bz2",
);
