/**
 * Helpers of the sink's tests: run an ArticleSink on a memory target, run a command line
 * tool on bytes, query Parquet files with DuckDB, save shards as files.
 * @module
 */

import { ArticleSink, type ArticleSinkOptions, shardName } from "../../src/sink/mod.ts";
import { RunStats } from "../../src/stats.ts";
import type { Article } from "../../src/types.ts";
import { assert, collect, streamOf } from "../_assert.ts";
import { MemoryTarget } from "./_memory.ts";

const dec = new TextDecoder();

export async function sink(
  articles: Article[],
  opts: Partial<ArticleSinkOptions> = {},
  target = new MemoryTarget(),
  redirects?: MemoryTarget,
) {
  const stats = new RunStats();
  const checkpoints = await collect(
    streamOf(articles).pipeThrough(
      new ArticleSink({
        stats,
        target,
        redirects: redirects === undefined
          ? undefined
          : { target: redirects, compression: opts.compression },
        ...opts,
      }),
    ),
  );
  return { target, checkpoints, stats };
}

/** Runs a command on `input` and returns its standard output. */
export async function tool(cmd: string, args: string[], input: Uint8Array): Promise<Uint8Array> {
  const p = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "piped" })
    .spawn();
  const w = p.stdin.getWriter();
  const writing = w.write(input).then(() => w.close());
  const [out] = await Promise.all([p.output(), writing]);
  assert(out.success, `${cmd} ${args.join(" ")}: ${dec.decode(out.stderr)}`);
  return out.stdout;
}

/** Rows of a DuckDB query, through tests/sink/_duckdb.ts. */
export async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  const script = new URL("./_duckdb.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read", "--allow-env", "--allow-ffi", script, sql],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, `duckdb: ${dec.decode(out.stderr)}`);
  return JSON.parse(dec.decode(out.stdout));
}

/** Writes the target's shards as files in a new temporary directory; returns their paths. */
export function saveShards(target: MemoryTarget, name: string): string[] {
  const dir = Deno.makeTempDirSync({ prefix: "wikizh-sink-" });
  return target.all().map((bytes, n) => {
    const path = `${dir}/${shardName(name, n)}`;
    Deno.writeFileSync(path, bytes);
    return path;
  });
}

/** Removes what {@link saveShards} wrote. */
export function removeShards(paths: string[]): void {
  Deno.removeSync(paths[0].slice(0, paths[0].lastIndexOf("/")), { recursive: true });
}
