/**
 * Helpers shared by the benchmark scripts: flags, files, and the child's peak memory.
 *
 * @module
 */

/** Removes `name VALUE` from `args` and returns VALUE, or undefined when absent. */
export function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** This process's peak resident memory in MB (Linux; 0 elsewhere). */
export function peakRssMB(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}
