import { ArticleSink, type SinkCheckpoint, SinkStream } from "../../src/sink/mod.ts";
import { RunStats } from "../../src/stats.ts";
import type { Article } from "../../src/types.ts";
import { assert, assertEquals, collect, concat, streamOf } from "../_assert.ts";
import { fixtureArticles, fixtureText, manyArticles } from "./_fixtures.ts";
import { MemoryTarget } from "./_memory.ts";
import { duckdb, removeShards, saveShards, sink, tool } from "./_helpers.ts";

const dec = new TextDecoder();

/** The old byte stream's output, the reference for what ArticleSink writes. */
async function reference(articles: Article[], format: "text" | "jsonl"): Promise<Uint8Array> {
  const stats = new RunStats();
  return concat(
    await collect(streamOf(articles).pipeThrough(new SinkStream({ stats, format }))),
  );
}

Deno.test("ArticleSink writes the text and JSONL formats' bytes to shard 0 and finishes it", async () => {
  for (const format of ["text", "jsonl"] as const) {
    const redirects = new MemoryTarget();
    const { target, checkpoints, stats } = await sink(
      fixtureArticles(),
      { format },
      undefined,
      redirects,
    );
    const expected = fixtureText(
      format === "text" ? "articles.expected.txt" : "articles.expected.jsonl",
    );
    assertEquals(dec.decode(target.bytes(0)), expected);
    assertEquals([...target.finished], [0]);
    assertEquals(dec.decode(redirects.bytes(0)), fixtureText("articles.expected-redirects.tsv"));
    assertEquals([...redirects.finished], [0]);
    assertEquals(stats.articlesWritten, 3);
    assertEquals(stats.bytesOut, new TextEncoder().encode(expected).length);
    assertEquals(
      checkpoints.at(-1),
      {
        shards: 1,
        offset: 0,
        redirectBytes:
          new TextEncoder().encode(fixtureText("articles.expected-redirects.tsv")).length,
        articles: 3,
        redirects: 1,
        lastId: 22,
        done: true,
      } satisfies SinkCheckpoint,
    );
  }
});

Deno.test("ArticleSink gzip and zstd output decompresses (gzip -dc, zstd -dc) to the plain bytes", async () => {
  const articles = manyArticles(400);
  const plain = await reference(articles, "jsonl");
  for (const compression of ["gzip", "zstd"] as const) {
    // Small units: many gzip members / zstd frames, which every decoder must read on.
    for (const unitBytes of [undefined, 20_000]) {
      const redirects = new MemoryTarget();
      const { target } = await sink(
        articles,
        { format: "jsonl", compression, unitBytes },
        undefined,
        redirects,
      );
      const packed = target.bytes(0);
      assert(packed.length < plain.length / 2, `${compression} compresses`);
      const cmd = compression === "gzip" ? "gzip" : "zstd";
      assertEquals(await tool(cmd, ["-dc"], packed), plain);
      const lines = dec.decode(await tool(cmd, ["-dc"], redirects.bytes(0))).split("\n");
      assertEquals(lines.length - 1, articles.filter((a) => a.status === "redirect").length);
      // Python's gzip module (what `datasets` reads .gz with) reads every member too.
      if (compression === "gzip") {
        const py =
          "import gzip,sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))";
        assertEquals(await tool("python3", ["-c", py], packed), plain);
      }
    }
  }
});

Deno.test("ArticleSink writes an empty run as one empty, complete file", async () => {
  const { target } = await sink([], { format: "jsonl", compression: "gzip" });
  assertEquals([...target.finished], [0]);
  assertEquals((await tool("gzip", ["-dc"], target.bytes(0))).length, 0);
});

Deno.test("ArticleSink stops after --limit articles and finishes its files", async () => {
  const { target, checkpoints } = await sink(manyArticles(50), { limit: 5 });
  assertEquals(dec.decode(target.bytes(0)).split("【").length - 1, 5);
  assertEquals(checkpoints.at(-1)?.done, true);
  assertEquals([...target.finished], [0]);
});

/** The JSONL records of the articles, without `sections` (which Parquet does not carry). */
async function jsonlRows(articles: Article[]) {
  const lines = dec.decode(await reference(articles, "jsonl")).trimEnd().split("\n");
  return lines.map((l) => {
    const { id, url, title, text, categories } = JSON.parse(l);
    return { id, url, title, text, categories };
  });
}

function parquetSql(paths: string[], what = "id, url, title, text, categories"): string {
  const list = paths.map((p) => `'${p}'`).join(", ");
  return `select ${what} from read_parquet([${list}], filename = true, file_row_number = true)
    order by filename, file_row_number`;
}

Deno.test("ArticleSink Parquet, read back by DuckDB, equals the JSONL of the same articles", async () => {
  const articles = [...fixtureArticles(), ...manyArticles(300)];
  // Small row groups: several per file, as a large dump has.
  const { target } = await sink(articles, { format: "parquet", unitBytes: 100_000 });
  const [path] = saveShards(target, "out.parquet");
  const rows = await duckdb(parquetSql([path]));
  // DuckDB gives BIGINT as a string in JSON.
  assertEquals(rows.map((r) => ({ ...r, id: Number(r.id) })), await jsonlRows(articles));
  const schema = await duckdb(`describe select * from read_parquet('${path}')`);
  assertEquals(
    schema.map((c) => [c.column_name, c.column_type]),
    [["id", "BIGINT"], ["url", "VARCHAR"], ["title", "VARCHAR"], ["text", "VARCHAR"], [
      "categories",
      "VARCHAR[]",
    ]],
  );
  const groups = await duckdb(
    `select row_group_id, max(row_group_num_rows) as n, max(compression) as codec
     from parquet_metadata('${path}') group by row_group_id order by row_group_id`,
  );
  assert(groups.length > 3, `row groups are bounded (${groups.length})`);
  assertEquals(groups[0].codec, "ZSTD");
  removeShards([path]);
});

Deno.test("ArticleSink writes an empty Parquet file DuckDB reads as no rows", async () => {
  const { target } = await sink([], { format: "parquet" });
  const [path] = saveShards(target, "empty.parquet");
  assertEquals(await duckdb(`select count(*)::int as n from read_parquet('${path}')`), [{ n: 0 }]);
  removeShards([path]);
});

Deno.test("ArticleSink aborts its open files, finishing none, when its input fails", async () => {
  for (const compression of ["none", "gzip"] as const) {
    const target = new MemoryTarget();
    const redirects = new MemoryTarget();
    const list = manyArticles(40);
    let i = 0;
    const failing = new ReadableStream<Article>({
      pull(c) {
        if (i === 30) c.error(new Error("damaged dump"));
        else c.enqueue(list[i++]);
      },
    });
    const stats = new RunStats();
    const sink = new ArticleSink({
      format: "jsonl",
      compression,
      stats,
      target,
      redirects: { target: redirects },
      unitBytes: 10_000,
    });
    let error: unknown = null;
    try {
      await collect(failing.pipeThrough(sink));
    } catch (err) {
      error = err;
    }
    assert(error instanceof Error && error.message === "damaged dump", String(error));
    assertEquals([...target.aborted], [0], compression);
    assertEquals([...target.finished], []);
    assertEquals([...redirects.finished], []);
  }
});

Deno.test("ArticleSink writes articles of every size, past its encoding buffer, byte for byte", async () => {
  // Each article is encoded into one reused buffer (grown up to 8 MB; longer ones get a
  // buffer of their own) that the file's 1 MB batches copy before the next article: sizes
  // around those bounds must come out as the reference writes them, plain and gzipped.
  const sizes = [1, 349_000, 349_600, 350_000, 700_000, 2_796_000, 2_796_300, 3_000_000, 5];
  const articles: Article[] = sizes.map((n, k) => ({
    id: k + 1,
    ns: 0,
    title: `第${k}`,
    status: "article",
    redirect: null,
    text: "文a".repeat(Math.ceil(n / 2)).slice(0, n),
    categories: [],
    unknownTemplates: [],
    unresolvedGroups: [],
  }));
  for (const format of ["text", "jsonl"] as const) {
    const plain = await reference(articles, format);
    const { target, stats } = await sink(articles, { format });
    assertEquals(target.bytes(0).length, plain.length, `${format}: length`);
    assertEquals(target.bytes(0), plain, format);
    assertEquals(stats.bytesOut, plain.length);
    const gz = await sink(articles, { format, compression: "gzip" });
    assertEquals(await tool("gzip", ["-dc"], gz.target.bytes(0)), plain, `${format}.gz`);
  }
});
