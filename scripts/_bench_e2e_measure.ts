/**
 * Times one command for the end-to-end benchmark: wall time, user + system CPU and peak
 * RSS from the kernel's rusage of the child (through a small Python wrapper, as Deno does
 * not expose a child's rusage), and, when asked, the CPU of each of its OS threads,
 * sampled from /proc/<pid>/task every ~200 ms while it runs (by the wrapper too: Deno
 * asks for --allow-all to read /proc).
 *
 * @module
 */

const SAMPLE_MS = 200;

/** One OS thread of a measured run. */
export interface ThreadCpu {
  tid: number;
  /** Its name (`/proc/<pid>/task/<tid>/comm`) when last seen. */
  name: string;
  /** User + system CPU seconds at its last sample. */
  cpu: number;
}

/** What one run measured. */
export interface Timing {
  wall: number;
  rssMb: number;
  /** User + system CPU seconds. */
  cpu: number;
  /** The process's threads, by first appearance; empty unless sampled. */
  threads: ThreadCpu[];
}

// The thread names are read at each sample, as workers name their threads once started; a thread that has ended
// keeps its last sample.
const WRAPPER = `
import json, os, resource, subprocess, sys, threading, time
err = None if sys.argv[1] == "-" else open(sys.argv[1], "wb")
sample = sys.argv[2] == "1"
hz = os.sysconf("SC_CLK_TCK")
seen = {}
def read(pid):
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        # Fields after the parenthesised name (which may hold spaces); utime, stime are 14, 15.
        fields = stat[stat.rindex(")") + 2:].split()
        seen[int(tid)] = {"tid": int(tid), "name": name, "cpu": (int(fields[11]) + int(fields[12])) / hz}
t = time.time()
p = subprocess.Popen(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=err)
# The end is taken when the child exits, not at the sampler's next wake-up (which would
# add up to one sampling interval to the wall time of sampled runs only).
ended = threading.Event()
end = [0.0]
def waiter():
    p.wait()
    end[0] = time.time()
    ended.set()
threading.Thread(target=waiter, daemon=True).start()
while sample and not ended.is_set():
    read(p.pid)
    ended.wait(${SAMPLE_MS / 1000})
ended.wait()
rc = p.returncode
w = end[0] - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": w, "kb": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime, "threads": list(seen.values())}))
sys.exit(rc)
`;

/**
 * Runs `cmd` with stdout to /dev/null and stderr to `stderrTo` ("-": inherited), and
 * measures it; with `threads`, also samples its threads' CPU while it runs.
 */
export async function time(
  cmd: string[],
  options: { stderrTo?: string; threads?: boolean } = {},
): Promise<Timing> {
  const out = await new Deno.Command("python3", {
    args: ["-c", WRAPPER, options.stderrTo ?? "-", options.threads ? "1" : "0", ...cmd],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${cmd.join(" ")} failed (exit ${out.code})`);
  const r = JSON.parse(new TextDecoder().decode(out.stdout));
  return { wall: r.wall, rssMb: r.kb / 1024, cpu: r.cpu, threads: r.threads };
}
