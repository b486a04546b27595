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

/** `data` compressed by the system `bzip2` as one stream. */
export async function bzip2(data: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command("bzip2", { args: ["-c"], stdin: "piped", stdout: "piped" })
    .spawn();
  const w = child.stdin.getWriter();
  await w.write(data);
  await w.close();
  return (await child.output()).stdout;
}
