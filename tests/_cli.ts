/**
 * Runs the wikizh CLI as a subprocess exactly as `deno task wikizh` does: the
 * permission flags are read from that task in deno.json, so tests and users run
 * the same entry point with the same grants.
 * @module
 */

const root = new URL("../", import.meta.url);
export const ROOT = root.pathname;

const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root)));
const task = (config.tasks.wikizh as string).split(/\s+/);
const deno = task.findIndex((w) => w === "deno");
/** Variables the wikizh task sets (`DENO_NO_UPDATE_CHECK=1 deno run …`). */
export const TASK_ENV: Record<string, string> = Object.fromEntries(
  task.slice(0, deno).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
);
/** `run …flags… src/main.ts` from the wikizh task, split into arguments. */
export const TASK_ARGS: string[] = task.slice(deno + 1);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `wikizh ...args` from the repository root; optional stdin bytes, and an optional
 * command prefix (e.g. `setpriv …` to run without root's file-mode override).
 */
export async function wikizh(
  args: string[],
  stdin?: Uint8Array,
  prefix: string[] = [],
): Promise<CliResult> {
  const argv = [...prefix, Deno.execPath(), ...TASK_ARGS, ...args];
  const cmd = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: ROOT,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...TASK_ENV },
  });
  const child = cmd.spawn();
  // Read while writing: a child blocked on a full stdout pipe would stop reading stdin.
  const output = child.output();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin).catch(() => {});
    await w.close().catch(() => {});
  }
  const out = await output;
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fresh temporary directory for a test's outputs. */
export function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "wikizh-test-" });
}

export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the system `bzip2` is there (tests that make damaged inputs need it). */
export const hasBzip2: boolean = await new Deno.Command("bzip2", {
  args: ["--help"],
  stderr: "null",
})
  .output().then(() => true, () => false);

/** `data` compressed by the system `bzip2` as one stream (`flags`: e.g. `-9c`). */
export async function bzip2(data: Uint8Array, flags = "-c"): Promise<Uint8Array> {
  const child = new Deno.Command("bzip2", { args: [flags], stdin: "piped", stdout: "piped" })
    .spawn();
  const w = child.stdin.getWriter();
  await w.write(data);
  await w.close();
  return (await child.output()).stdout;
}

/**
 * A run reading `xml` from stdin, fed its first half: it has created `OUT.part` and waits
 * for the rest. `finish` feeds the rest and waits for the exit; `kill` ends it with a signal.
 */
export async function halfRun(args: string[], out: string, xml: Uint8Array) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...TASK_ARGS, ...args, "-", out],
    cwd: ROOT,
    env: TASK_ENV,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(xml.subarray(0, xml.length >> 1));
  for (let i = 0; i < 200 && !exists(`${out}.part`); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  const end = async () => {
    const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    await w.close().catch(() => {});
    return { code: status.code, stderr };
  };
  return {
    async finish() {
      await w.write(xml.subarray(xml.length >> 1));
      await w.close();
      return await end();
    },
    kill(signal: Deno.Signal) {
      child.kill(signal);
      return end();
    },
  };
}
