import type { ArticleSinkOptions, SinkCheckpoint } from "../../src/sink/mod.ts";
import type { Article } from "../../src/types.ts";
import { assert, assertEquals, concat } from "../_assert.ts";
import { duckdb, removeShards, saveShards, sink, tool } from "./_helpers.ts";
import { fixtureText, manyArticles } from "./_fixtures.ts";
import { MemoryTarget } from "./_memory.ts";

interface Case {
  name: string;
  opts: Partial<ArticleSinkOptions>;
}

/** The configurations every shard and resume test runs, from tests/sink/fixtures/outputs.json. */
const CASES: Case[] = JSON.parse(fixtureText("outputs.json")).cases;

const articles = manyArticles(500);

/** The decompressed bytes of one line-format file. */
async function plain(bytes: Uint8Array, opts: Partial<ArticleSinkOptions>): Promise<Uint8Array> {
  const c = opts.compression ?? "none";
  if (c === "none") return bytes;
  return await tool(c === "gzip" ? "gzip" : "zstd", ["-dc"], bytes);
}

Deno.test("ArticleSink shards are complete files within --shard-size that concatenate to the unsharded output", async () => {
  for (const { name, opts } of CASES.filter((c) => c.opts.shardSize !== undefined)) {
    const whole = await sink(articles, { ...opts, shardSize: undefined });
    const { target, checkpoints } = await sink(articles, opts);
    const shards = target.all();
    assert(shards.length > 3, `${name}: several shards (${shards.length})`);
    assertEquals(target.opened.map(([n]) => n), shards.map((_, n) => n), name);
    assertEquals([...target.finished].sort((a, b) => a - b), shards.map((_, n) => n), name);
    for (const s of shards) assert(s.length <= opts.shardSize!, `${name}: ${s.length} bytes`);
    assertEquals(checkpoints.at(-1)?.shards, shards.length);
    if (opts.format === "parquet") {
      const paths = saveShards(target, "out.parquet");
      const [one] = saveShards(whole.target, "out.parquet");
      const sql = (p: string[]) =>
        `select id, url, title, text, categories from read_parquet([${
          p.map((x) => `'${x}'`).join(",")
        }], filename = true, file_row_number = true) order by filename, file_row_number`;
      // Each shard on its own is a valid file, and together they hold the same rows.
      let rows = 0;
      for (const p of paths) {
        rows += (await duckdb(`select count(*)::int as n from '${p}'`))[0].n as number;
      }
      assertEquals(rows, whole.stats.articlesWritten);
      assertEquals(await duckdb(sql(paths)), await duckdb(sql([one])));
      removeShards(paths);
      removeShards([one]);
      continue;
    }
    const parts: Uint8Array[] = [];
    // Each shard decompresses alone: a complete gzip or zstd file.
    for (const s of shards) parts.push(await plain(s, opts));
    assertEquals(concat(parts), await plain(whole.target.bytes(0), opts), name);
    // Cut at article boundaries: each text shard starts with a header line.
    if (opts.format === "text") {
      for (const p of parts) assert(new TextDecoder().decode(p).startsWith("【条目"), name);
    }
  }
});

Deno.test("ArticleSink gives an article larger than --shard-size a shard of its own", async () => {
  const big = { ...articles[0], id: 5, text: "长".repeat(5000) };
  const list = [articles[1], big, articles[2]];
  const { target } = await sink(list, { format: "text", shardSize: 4000 });
  const shards = target.all().map((b) => new TextDecoder().decode(b));
  assertEquals(shards.length, 3);
  assert(shards[1].startsWith(`【${big.title}】\n长长`));
});

/** A run resumed from `cp` after a crash that left `torn` bytes after each file's good part. */
async function resumed(
  opts: Partial<ArticleSinkOptions>,
  full: { target: MemoryTarget; redirects: MemoryTarget },
  cp: SinkCheckpoint,
  input: Article[],
) {
  const torn = new TextEncoder().encode("\u0000torn write");
  const target = full.target.crashedAt(cp, torn);
  const redirects = new MemoryTarget();
  redirects.files.set(0, [full.redirects.bytes(0).slice(0, cp.redirectBytes), torn]);
  // Compressed on this thread, while the uninterrupted run used the worker: same bytes.
  const run = await sink(
    input,
    { ...opts, resume: cp, compressionWorker: false },
    target,
    redirects,
  );
  return { ...run, redirects };
}

Deno.test("ArticleSink resumed from any checkpoint ends byte-identical to an uninterrupted run", async () => {
  for (const { name, opts } of CASES) {
    const redirects = new MemoryTarget();
    const full = { ...(await sink(articles, opts, undefined, redirects)), redirects };
    const expected = full.target.all();
    const points = full.checkpoints.filter((c) => !c.done);
    assert(points.length >= 3, `${name}: checkpoints (${points.length})`);
    // Every checkpoint, and for each both a rerun from the start and one from a later
    // place before lastId (as skipping whole bzip2 streams does).
    for (const cp of points) {
      const at = articles.findIndex((a) => a.id === cp.lastId);
      for (const from of [0, Math.max(0, at - 4)]) {
        const run = await resumed(opts, full, cp, articles.slice(from));
        const label = `${name}, checkpoint ${JSON.stringify(cp)}, from ${from}`;
        assertEquals(run.target.all(), expected, label);
        assertEquals(
          [...run.target.finished].sort((a, b) => a - b),
          expected.map((_, n) => n),
          label,
        );
        assertEquals(run.redirects.bytes(0), full.redirects.bytes(0), label);
        assertEquals(run.checkpoints.at(-1), full.checkpoints.at(-1), label);
        assertEquals(run.stats.articlesWritten, full.stats.articlesWritten, label);
      }
    }
  }
});
