/**
 * Files a dataset builder loads as they are, through the CLI: gzip by extension, Parquet
 * read back by DuckDB, shards that concatenate to the unsharded output, and `--resume`
 * after a SIGKILL at several points, single-stream and multistream.
 */
import { assert, assertEquals } from "../_assert.ts";
import { bzip2, exists, hasBzip2, ROOT, TASK_ARGS, TASK_ENV, tempDir, wikizh } from "../_cli.ts";
import { duckdb, tool } from "../sink/_helpers.ts";

const fx = (name: string) => `${ROOT}tests/fixtures/${name}`;
const dec = new TextDecoder();
const enc = new TextEncoder();

/** The sample's pages `copies` times over with fresh ids and titles: about 6 KB each. */
function bigDump(copies: number): { header: string; pages: string[]; footer: string } {
  const xml = Deno.readTextFileSync(fx("sample.xml"));
  const first = xml.indexOf("  <page>");
  const end = xml.lastIndexOf("</mediawiki>");
  const pages = xml.slice(first, end).split(/(?<=<\/page>\n)/).filter((p) => p.length > 0);
  const out: string[] = [];
  let id = 1;
  for (let c = 0; c < copies; c++) {
    for (const p of pages) {
      out.push(
        p.replace(/<id>\d+<\/id>/, `<id>${id++}</id>`)
          .replace(
            /<title>([^<]*)<\/title>/,
            (_, t) => `<title>${t}${c === 0 ? "" : ` ${c}`}</title>`,
          ),
      );
    }
  }
  return { header: xml.slice(0, first), pages: out, footer: xml.slice(end) };
}

/** Writes the dump as one bzip2 stream, and as a multistream file with its index. */
async function writeDumps(dir: string, copies: number): Promise<void> {
  const { header, pages, footer } = bigDump(copies);
  const all = header + pages.join("") + footer;
  Deno.writeFileSync(`${dir}/d.xml.bz2`, await bzip2(enc.encode(all)));
  const streams = [await bzip2(enc.encode(header))];
  const index: string[] = [];
  let offset = streams[0].length;
  for (let i = 0; i < pages.length; i += 20) {
    const group = pages.slice(i, i + 20);
    for (const p of group) {
      index.push(`${offset}:${/<id>(\d+)<\/id>/.exec(p)![1]}:${/<title>([^<]*)</.exec(p)![1]}`);
    }
    const s = await bzip2(enc.encode(group.join("")));
    streams.push(s);
    offset += s.length;
  }
  streams.push(await bzip2(enc.encode(footer)));
  const file = new Uint8Array(streams.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of streams) {
    file.set(s, at);
    at += s.length;
  }
  Deno.writeFileSync(`${dir}/d-multistream.xml.bz2`, file);
  Deno.writeTextFileSync(`${dir}/d-multistream-index.txt`, index.join("\n") + "\n");
}

/** `gzip -dc`, as users read it (a file of several gzip members, as wikizh writes). */
async function gunzip(bytes: Uint8Array): Promise<string> {
  return dec.decode(await tool("gzip", ["-dc"], bytes));
}

/** The shard files of `stem` (`o-00000.txt`, …) in order. */
function shards(dir: string, stem: string, ext: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => new RegExp(`^${stem}-\\d{5}${ext.replaceAll(".", "\\.")}$`).test(n)).sort()
    .map((n) => `${dir}/${n}`);
}

Deno.test({
  name: "wikizh writes gzip, Parquet and shards that load as they are",
  ignore: !hasBzip2,
  async fn() {
    const dir = tempDir();
    await writeDumps(dir, 40);
    const out = async (args: string[], name: string) => {
      const r = await wikizh(["-q", ...args, `${dir}/d.xml.bz2`, `${dir}/${name}`]);
      assertEquals(r.code, 0, `${name}: ${r.stderr}`);
    };
    await out([], "o.txt");
    await out(["--format", "jsonl"], "o.jsonl");
    await out([], "o.txt.gz");
    await out(["--shard-size", "5KB"], "s.txt");
    await out(["--format", "jsonl", "--shard-size", "2KB"], "s.jsonl.gz");
    await out([], "o.parquet");
    const text = Deno.readTextFileSync(`${dir}/o.txt`);
    const jsonl = Deno.readTextFileSync(`${dir}/o.jsonl`);
    assertEquals(await gunzip(Deno.readFileSync(`${dir}/o.txt.gz`)), text);
    // Shards: each within the size, none left as .part, together the unsharded bytes.
    const textShards = shards(dir, "s", ".txt");
    assert(textShards.length >= 3, `${textShards.length} shards`);
    for (const p of textShards) assert(Deno.statSync(p).size <= 5_000, p);
    assertEquals(textShards.map((p) => Deno.readTextFileSync(p)).join(""), text);
    const gzShards = shards(dir, "s", ".jsonl.gz");
    assert(gzShards.length >= 3, `${gzShards.length} gzip shards`);
    let joined = "";
    for (const p of gzShards) {
      assert(Deno.statSync(p).size <= 2_000, p);
      joined += await gunzip(Deno.readFileSync(p)); // each shard is a whole gzip file
    }
    assertEquals(joined, jsonl);
    assertEquals([...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".part")), []);
    // Parquet, read by DuckDB, holds the JSONL's rows.
    const rows = await duckdb(
      `SELECT id, url, title, text, categories FROM read_parquet('${dir}/o.parquet') ORDER BY id`,
    );
    const expected = jsonl.trimEnd().split("\n").map((l) => JSON.parse(l));
    assertEquals(rows.length, expected.length);
    for (const [i, row] of rows.entries()) {
      const e = expected[i];
      assertEquals(
        [Number(row.id), row.url, row.title, row.text, row.categories],
        [e.id, e.url, e.title, e.text, e.categories],
      );
    }
  },
});

/** Starts a run and kills it (SIGKILL) once OUT.part holds `bytes` bytes. */
async function killAt(args: string[], part: string, bytes: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...TASK_ARGS, "-q", ...args],
    cwd: ROOT,
    env: TASK_ENV,
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0; i < 2000; i++) {
    const size = exists(part) ? Deno.statSync(part).size : 0;
    if (size >= bytes) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  try {
    child.kill("SIGKILL");
  } catch {
    // it had finished
  }
  await child.status;
}

for (const file of ["d.xml.bz2", "d-multistream.xml.bz2"]) {
  Deno.test({
    name: `wikizh --resume after a SIGKILL ends with the uninterrupted bytes (${file})`,
    ignore: !hasBzip2,
    async fn() {
      const dir = tempDir();
      await writeDumps(dir, 300);
      const common = ["--checkpoint-every", "4KB", "--redirects", `${dir}/r.tsv`];
      const ref = await wikizh([
        "-q",
        ...common.slice(0, 2),
        "--redirects",
        `${dir}/ref.tsv`,
        `${dir}/${file}`,
        `${dir}/ref.txt`,
      ]);
      assertEquals(ref.code, 0, ref.stderr);
      const want = Deno.readTextFileSync(`${dir}/ref.txt`);
      for (const threads of ["2", "3"]) {
        for (const at of [6_000, 30_000]) {
          const out = `${dir}/o.txt`;
          const args = [...common, "--threads", threads, `${dir}/${file}`, out];
          await killAt(args, `${out}.part`, at);
          if (exists(out)) Deno.removeSync(out); // finished before the kill: nothing to test
          else {
            assert(exists(`${out}.resume`), "the checkpoint stays");
            const r = await wikizh(["-q", "--resume", ...args]);
            assertEquals(r.code, 0, `${threads} threads, killed at ${at}: ${r.stderr}`);
            assertEquals(Deno.readTextFileSync(out), want, `${threads} threads, ${at}`);
            assertEquals(
              Deno.readTextFileSync(`${dir}/r.tsv`),
              Deno.readTextFileSync(`${dir}/ref.tsv`),
            );
            assert(!exists(`${out}.resume`) && !exists(`${out}.part`));
            Deno.removeSync(out);
          }
          Deno.removeSync(`${dir}/r.tsv`);
        }
      }
      // Without --resume or --force a leftover says which to use.
      await killAt(
        [...common, `${dir}/${file}`, `${dir}/k.txt.gz`],
        `${dir}/k.txt.gz.part`,
        30_000,
      );
      if (!exists(`${dir}/k.txt.gz`)) {
        const r = await wikizh([...common, `${dir}/${file}`, `${dir}/k.txt.gz`]);
        assertEquals(r.code, 2);
        assert(/use --resume to continue it or --force to start over/.test(r.stderr), r.stderr);
      }
    },
  });
}

Deno.test("wikizh --resume with other options, or nothing to resume, says so in one line", async () => {
  const dir = tempDir();
  const r = await wikizh(["--resume", fx("sample.xml.bz2"), `${dir}/o.txt`]);
  assertEquals(r.code, 2);
  assertEquals(
    r.stderr.trim(),
    `wikizh: ${dir}/o.txt: nothing to resume (${dir}/o.txt.resume not found)`,
  );
  Deno.writeTextFileSync(`${dir}/o.txt.resume`, JSON.stringify({ dump: {}, settings: "x" }) + "\n");
  Deno.writeTextFileSync(`${dir}/o.txt.part`, "");
  const s = await wikizh(["--resume", fx("sample.xml.bz2"), `${dir}/o.txt`]);
  assertEquals(s.code, 2);
  assert(/written for another dump or other options/.test(s.stderr), s.stderr);
  assertEquals(dec.decode(Deno.readFileSync(`${dir}/o.txt.part`)), "", "untouched");
});
