/**
 * Builds the end-to-end benchmark's dumps from ../shared/corpus: a zhwiki-only dump (the
 * zhwiki fragment's pages replicated) and a mixed one (half zhwiki, half jawiki by bytes,
 * interleaved), each as one bzip2 stream and in Wikimedia's multistream layout with its
 * index. Pages are renumbered in order (resume and the index expect ascending ids) and
 * every title is unique, as in a real dump. Like a real dump, each also holds zhwiki's
 * conversion groups (../shared/data/zhwiki-cgroups, as `Template:CGroup/…` pages), placed
 * after the articles: only the multistream index can bring them in before the first one.
 *
 * @module
 */

const PAGES_PER_STREAM = 100;

/** The files of one benchmark dump. */
export interface BenchDump {
  /** Short name used in tables and in the last line (`zh`, `mixed`, `file`). */
  label: string;
  single: string;
  /** The multistream file (its index lies beside it), or null for a FILE given by hand. */
  multi: string | null;
  /** Bytes of XML once decompressed. */
  xmlBytes: number;
}

/** Whether `p` exists. */
export function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Runs `cmd`, feeding it `stdin`, and returns its stdout; throws when it fails. */
export async function run(cmd: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  // Read while writing: a full stdout pipe would otherwise stall the child, and us.
  const output = child.output();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await output;
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return out.stdout;
}

/** Splits a dump's text into its header and its complete pages (a cut last page is left out). */
function splitDump(xml: string): { header: string; pages: string[] } {
  const first = xml.indexOf("<page>");
  const header = xml.slice(0, xml.lastIndexOf("\n", first) + 1);
  const pages: string[] = [];
  let at = first;
  for (;;) {
    const start = xml.indexOf("<page>", at);
    if (start < 0) break;
    const end = xml.indexOf("</page>", start);
    if (end < 0) break; // the jawiki fragment is cut mid-page
    pages.push("  " + xml.slice(start, end + 7) + "\n");
    at = end + 7;
  }
  return { header, pages };
}

const titleOf = (page: string) => /<title>([^<]*)<\/title>/.exec(page)![1];

/**
 * A page with a new id and, for copies after the first, a numbered title; `tag` marks a
 * title the other side also has (数学 is a zhwiki and a jawiki title).
 */
function relabel(page: string, id: number, copy: number, tag: string): string {
  const titled = copy === 0 && tag === "" ? page : page.replace(
    /<title>([^<]*)<\/title>/,
    (_m, t) => `<title>${t}${tag}${copy === 0 ? "" : ` ${copy}`}</title>`,
  );
  // The first <id> is the page's; the revision's comes later.
  return titled.replace(/<id>\d+<\/id>/, `<id>${id}</id>`);
}

/** A title as the index writes it: the XML entities undone. */
function unescapeXml(s: string): string {
  return s.replace(
    /&(lt|gt|quot|#039|amp);/g,
    (_m, e) => ({ lt: "<", gt: ">", quot: '"', "#039": "'", amp: "&" })[e as string]!,
  );
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}

/** Feeds `chunks` to `bzip2 -9 -c`, writing its output to `path`. */
async function compressTo(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const child = new Deno.Command("bzip2", {
    args: ["-9", "-c"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const written = child.stdout.pipeTo(file.writable);
  const w = child.stdin.getWriter();
  for (const c of chunks) await w.write(c);
  await w.close();
  await written;
  if (!(await child.status).success) throw new Error(`bzip2 failed on ${path}`);
}

/**
 * Pages of about `targetBytes` of XML: the zhwiki pages replicated, or (mixed) zhwiki and
 * jawiki pages alternating so that each side holds half the bytes at every point.
 */
function* pageStream(
  zh: string[],
  ja: string[] | null,
  targetBytes: number,
): Generator<{ xml: string; bytes: Uint8Array }> {
  const enc = new TextEncoder();
  const zhTitles = new Set(zh.map(titleOf));
  const sides = [zh, ...(ja ? [ja] : [])].map((pages, n) => ({
    pages,
    tags: pages.map((p) => (n > 0 && zhTitles.has(titleOf(p)) ? " (ja)" : "")),
    at: 0,
    copy: 0,
    bytes: 0,
  }));
  let id = 0;
  let total = 0;
  while (total < targetBytes) {
    // The side that is behind in bytes goes next: half and half, interleaved.
    const side = sides.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    const xml = relabel(side.pages[side.at], ++id, side.copy, side.tags[side.at]);
    if (++side.at === side.pages.length) {
      side.at = 0;
      side.copy++;
    }
    const bytes = enc.encode(xml);
    side.bytes += bytes.length;
    total += bytes.length;
    yield { xml, bytes };
  }
}

/** Text as XML writes it: the undoing of {@link unescapeXml}. */
function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Escapes text for a template parameter (`=` and `|` as zhwiki writes them) inside XML. */
function param(s: string): string {
  return escapeXml(s.replace(/=/g, "{{=}}").replace(/\|/g, "{{!}}"));
}

/** zhwiki's conversion groups as `Template:CGroup/…` pages (namespace 10), or none. */
function groupPages(groupsDir: string): string[] {
  if (!exists(groupsDir)) return [];
  const pages: string[] = [];
  const files = [...Deno.readDirSync(groupsDir)].map((e) => e.name).filter((n) =>
    n.endsWith(".json")
  ).sort();
  for (const file of files) {
    const g = JSON.parse(Deno.readTextFileSync(`${groupsDir}/${file}`)) as {
      name: string;
      description?: string;
      rules: { original?: string; conv: string }[];
    };
    const lines = [`{{CGroupH|name=${param(g.name)}|desc=${param(g.description ?? "")}}}`];
    for (const r of g.rules) {
      const original = r.original ? `|original=${param(r.original)}` : "";
      lines.push(`{{CItem${original}|1=${param(r.conv)}}}`);
    }
    const title = escapeXml(`Template:CGroup/${g.name}`);
    pages.push(
      `  <page>\n    <title>${title}</title>\n    <ns>10</ns>\n    <id>0</id>\n` +
        `    <revision>\n      <id>1</id>\n      <model>wikitext</model>\n` +
        `      <format>text/x-wiki</format>\n      <text xml:space="preserve">${
          lines.join("\n")
        }</text>\n    </revision>\n  </page>\n`,
    );
  }
  return pages;
}

/** `pages`, then `groups` numbered on from the last page id. */
function* withGroups(
  pages: Generator<{ xml: string; bytes: Uint8Array }>,
  groups: string[],
): Generator<{ xml: string; bytes: Uint8Array }> {
  let id = 0;
  for (const p of pages) {
    id = Number(/<id>(\d+)<\/id>/.exec(p.xml)![1]);
    yield p;
  }
  const enc = new TextEncoder();
  for (const g of groups) {
    const xml = g.replace("<id>0</id>", `<id>${++id}</id>`);
    yield { xml, bytes: enc.encode(xml) };
  }
}

/** Builds (once) one dump, single-stream and multistream with its index, from `pages()`. */
async function buildDump(
  label: string,
  stem: string,
  header: string,
  pages: () => Generator<{ xml: string; bytes: Uint8Array }>,
): Promise<BenchDump> {
  const single = `${stem}.xml.bz2`;
  const multi = `${stem}-multistream.xml.bz2`;
  const index = `${stem}-multistream-index.txt`;
  const sizeFile = `${single}.xml-bytes`;
  if ([single, multi, index, sizeFile].every(exists)) {
    return { label, single, multi, xmlBytes: Number(Deno.readTextFileSync(sizeFile)) };
  }
  console.log(`building ${single} and its multistream twin (once)…`);
  const enc = new TextEncoder();
  const footer = "</mediawiki>\n";
  let xmlBytes = 0;
  function* singleChunks(): Generator<Uint8Array> {
    yield enc.encode(header);
    let batch: string[] = [];
    for (const p of pages()) {
      batch.push(p.xml);
      if (batch.length === 200) {
        yield enc.encode(batch.join(""));
        batch = [];
      }
    }
    yield enc.encode(batch.join("") + footer);
  }
  // Written under temporary names: an interrupted build is never taken for a finished one.
  const singleDone = compressTo(`${single}.tmp`, singleChunks());
  // Multistream: header, groups of pages, footer, each its own stream, with the index.
  const file = await Deno.open(`${multi}.tmp`, { write: true, create: true, truncate: true });
  const indexFile = await Deno.open(`${index}.tmp`, { write: true, create: true, truncate: true });
  let offset = 0;
  const writeStream = async (bytes: Uint8Array) => {
    await writeAll(file, bytes);
    offset += bytes.length;
  };
  const headerBytes = enc.encode(header);
  xmlBytes += headerBytes.length;
  await writeStream(await run("bzip2", ["-9", "-c"], headerBytes));
  let group: string[] = [];
  const flush = async () => {
    const lines = group.map((p) => {
      const id = /<id>(\d+)<\/id>/.exec(p)![1];
      const title = unescapeXml(titleOf(p));
      return `${offset}:${id}:${title}\n`;
    });
    const bytes = enc.encode(group.join(""));
    xmlBytes += bytes.length;
    await writeStream(await run("bzip2", ["-9", "-c"], bytes));
    await writeAll(indexFile, enc.encode(lines.join("")));
    group = [];
  };
  for (const p of pages()) {
    group.push(p.xml);
    if (group.length === PAGES_PER_STREAM) await flush();
  }
  if (group.length > 0) await flush();
  const footerBytes = enc.encode(footer);
  xmlBytes += footerBytes.length;
  await writeStream(await run("bzip2", ["-9", "-c"], footerBytes));
  file.close();
  indexFile.close();
  await singleDone;
  Deno.renameSync(`${single}.tmp`, single);
  Deno.renameSync(`${multi}.tmp`, multi);
  Deno.renameSync(`${index}.tmp`, index);
  Deno.writeTextFileSync(sizeFile, String(xmlBytes));
  console.log(`  ${(xmlBytes / 1e6).toFixed(0)} MB of XML`);
  return { label, single, multi, xmlBytes };
}

/**
 * The zhwiki-only and mixed dumps of about `xmlMb` MB of XML each, built into `dataDir`
 * from `corpusDir` the first time they are asked for.
 */
export async function buildDumps(
  dataDir: string,
  corpusDir: string,
  xmlMb: number,
): Promise<BenchDump[]> {
  if (!exists(`${corpusDir}/zhwiki-2018-head.xml`)) {
    throw new Error("../shared/corpus is absent: pass a FILE.xml.bz2 to benchmark");
  }
  Deno.mkdirSync(dataDir, { recursive: true });
  const zh = splitDump(Deno.readTextFileSync(`${corpusDir}/zhwiki-2018-head.xml`));
  const target = xmlMb * 1e6;
  const groups = groupPages(`${corpusDir}/../data/zhwiki-cgroups`);
  // `-cg`: the dumps that hold the conversion groups (earlier ones did not).
  const dumps = [
    await buildDump(
      "zh",
      `${dataDir}/e2e-zh-${xmlMb}mb-cg`,
      zh.header,
      () => withGroups(pageStream(zh.pages, null, target), groups),
    ),
  ];
  const mixedStem = `${dataDir}/e2e-mixed-${xmlMb}mb-cg`;
  const ja = splitDump(
    new TextDecoder().decode(await run("xz", ["-dc", `${corpusDir}/jawiki-2023-head.xml.xz`])),
  );
  dumps.push(
    await buildDump(
      "mixed",
      mixedStem,
      zh.header,
      () => withGroups(pageStream(zh.pages, ja.pages, target), groups),
    ),
  );
  return dumps;
}
