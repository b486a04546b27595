/**
 * A/B of one page stage in machine instructions, not seconds: this tree against a git
 * revision, each run under valgrind's cachegrind (no cache simulation) with V8 on one thread.
 *
 *   deno task bench:instr --old REV [--stage chain|clean|conv] [--bytes N] [FILE.xml.bz2]
 *
 * Why: on this shared 2-core VM the same code timed twice differs by 5–15% (in-process A/B of
 * identical trees gave 0.92–1.16×), so changes worth a few percent cannot be seen in seconds.
 * Instruction counts of identical trees agree to 0.1%. Each side runs the stage 2 and 6
 * times over the pages of the first N bytes of FILE (default 3 MB of the zhwiki bench dump,
 * else the bundled sample); the difference divided by 4 is one round without start-up and
 * warm-up. The four runs go in parallel. Instructions are not time (cache misses are not
 * counted): confirm a change that matters with `bench:e2e`.
 *
 * Needs valgrind (`apt-get install valgrind`). The old tree is checked out with
 * `git worktree` into bench-data/instr-old and removed at the end. The last line is
 * `instr stage=… old=… new=… ratio=… same_output=…`.
 *
 * @module
 */

import { exists, takeFlag } from "./_bench.ts";

const args = [...Deno.args];
const rev = takeFlag(args, "--old");
const stage = takeFlag(args, "--stage") ?? "chain";
const bench = "bench-data/e2e-zh-210mb-cg.xml.bz2";
const file = args[0] ?? (await exists(bench) ? bench : "tests/fixtures/sample.xml.bz2");
const bytes = takeFlag(args, "--bytes") ?? "3000000";
if (rev === undefined || !["chain", "clean", "conv"].includes(stage)) {
  console.error(
    "usage: bench_instructions.ts --old REV [--stage chain|clean|conv] [--bytes N] [FILE]",
  );
  Deno.exit(2);
}

async function run(cmd: string, argv: string[]): Promise<{ out: string; err: string }> {
  const r = await new Deno.Command(cmd, { args: argv, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(r.stdout);
  const err = new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`${cmd} ${argv.join(" ")} failed:\n${err.slice(-2000)}`);
  return { out, err };
}

/** Instructions of one child run, and the hash of its outputs. */
async function count(root: string, rounds: number): Promise<{ ir: number; hash: number }> {
  const { out, err } = await run("valgrind", [
    "--tool=cachegrind",
    "--cache-sim=no",
    // V8 writes machine code into anonymous memory: valgrind must see it change.
    "--smc-check=all-non-file",
    "--cachegrind-out-file=/dev/null",
    Deno.execPath(),
    "run",
    "--no-prompt",
    "--allow-read",
    "--v8-flags=--single-threaded",
    "scripts/_instructions_stage.ts",
    root,
    file,
    bytes,
    stage,
    String(rounds),
  ]);
  const m = /I\s+refs:\s+([\d,]+)/.exec(err);
  if (m === null) {
    throw new Error(`no instruction count in valgrind's output:\n${err.slice(-2000)}`);
  }
  return { ir: Number(m[1].replaceAll(",", "")), hash: JSON.parse(out.trim()).hash };
}

const old = "bench-data/instr-old";
await run("git", ["worktree", "remove", "--force", old]).catch(() => {});
await run("git", ["worktree", "add", "--detach", "--force", old, rev]);
try {
  // One plain run of each tree first, so that Deno's transpile cache is warm: otherwise the
  // two parallel runs of a tree race to fill it, and one of them counts the work.
  for (const root of [old, "."]) {
    await run(Deno.execPath(), [
      "run",
      "--no-prompt",
      "--allow-read",
      "scripts/_instructions_stage.ts",
      root,
      file,
      "1",
      stage,
      "0",
    ]);
  }
  const [o2, o6, n2, n6] = await Promise.all([
    count(old, 2),
    count(old, 6),
    count(".", 2),
    count(".", 6),
  ]);
  const perOld = (o6.ir - o2.ir) / 4;
  const perNew = (n6.ir - n2.ir) / 4;
  const same = o2.hash === n2.hash && o6.hash === n6.hash;
  console.log(`${stage} over the first ${bytes} bytes of ${file}, instructions per round:`);
  console.log(
    `  ${rev}: ${(perOld / 1e6).toFixed(1)} M   this tree: ${(perNew / 1e6).toFixed(1)} M`,
  );
  console.log(
    `instr stage=${stage} old=${Math.round(perOld)} new=${Math.round(perNew)} ratio=${
      (perNew / perOld).toFixed(4)
    } same_output=${same}`,
  );
} finally {
  await run("git", ["worktree", "remove", "--force", old]).catch(() => {});
}
