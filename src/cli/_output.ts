/**
 * Opens the outputs safely. Every path a run writes (OUT, the redirects and stats files,
 * and their `.part` files) is checked against the input and the others by file identity
 * before anything is created; each `.part` is created exclusively (never through a link,
 * never into an existing file) and locked, so a second run on the same OUT refuses.
 *
 * @module
 */

import { IoError } from "../errors.ts";
import { identities, ioMessage, lstatOrNull, parentDir } from "./_fs.ts";
import { OutputClosed } from "./_report.ts";

/** One output of a run. */
export interface Output {
  /** The path the user named ("-" for stdout). */
  path: string;
  /** Where bytes go until the run succeeds, or null when written in place. */
  part: string | null;
  /** Identity of the file at `path` when the run started (`--force` over it), else null. */
  replaces: string[] | null;
  writable: WritableStream<Uint8Array>;
  /** Flushes what was written to the disk (before a checkpoint names it). */
  sync: () => Promise<void>;
  /** Releases the `.part` lock (after the final rename, or when giving up). */
  release: () => void;
}

/** How the outputs may be opened. */
export interface OutputPolicy {
  force: boolean;
  /** Identities of the input (see `identities`); empty for stdin. */
  input: string[];
  /** What an option is called, for messages: `{"out.tsv": "--redirects"}`. */
  roles?: Record<string, string>;
  /** `--resume`: for each path, the bytes of its leftover `.part` that stand. */
  resume?: Record<string, number>;
  /** Extra files the run writes beside the outputs (`OUT.resume`), checked like them. */
  extra?: string[];
}

/** Wraps a file so that write errors name the path, and a closed stdout stops quietly. */
function fileSink(
  file: Deno.FsFile | typeof Deno.stdout,
  path: string,
): WritableStream<Uint8Array> {
  const closeFile = () => {
    if (path === "-") return;
    try {
      file.close();
    } catch {
      // already closed
    }
  };
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      try {
        let off = 0;
        while (off < chunk.length) off += await file.write(chunk.subarray(off));
      } catch (err) {
        if (err instanceof Deno.errors.BrokenPipe && path === "-") throw new OutputClosed();
        throw new IoError(ioMessage(path === "-" ? "<stdout>" : path, err, "write"), path);
      }
    },
    close: closeFile,
    abort: closeFile,
  });
}

interface Plan {
  path: string;
  /** A device or FIFO written in place. */
  inPlace: boolean;
  replaces: string[] | null;
  part: string;
  /** A leftover `.part` to remove first (`--force`). */
  removePart: boolean;
  /** `--resume`: keep the leftover `.part`, cut to this many bytes. */
  keep: number | null;
}

/** Checks one output path; creates nothing. */
async function plan(path: string, policy: OutputPolicy): Promise<Plan> {
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.stat(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw new IoError(ioMessage(path, err, "write"), path);
    }
  }
  if (info?.isDirectory) throw new IoError(`${path}: is a directory`, path);
  const part = `${path}.part`;
  const keep = policy.resume?.[path] ?? null;
  if (info !== null && !info.isFile) {
    return { path, inPlace: true, replaces: null, part, removePart: false, keep: null };
  }
  if (info !== null && !policy.force) {
    throw new IoError(`${path}: already exists (use --force to overwrite)`, path);
  }
  const dir = parentDir(path);
  const d = await Deno.stat(dir).catch(() => null);
  if (d === null) throw new IoError(`${path}: directory ${dir} does not exist`, path);
  if (!d.isDirectory) throw new IoError(`${path}: ${dir} is not a directory`, path);
  const replaces = info === null ? null : await identities(path);
  const left = await lstatOrNull(part);
  let removePart = false;
  if (left !== null) {
    if (left.isFile && await isLocked(part)) {
      throw new IoError(`${path}: another wikizh run is writing it (${part} is locked)`, path);
    }
    if (left.isDirectory) throw new IoError(`${part}: is a directory`, part);
    if (keep !== null && left.isFile) {
      if (left.size < keep) throw new IoError(`${part}: shorter than its checkpoint says`, part);
      return { path, inPlace: false, replaces, part, removePart: false, keep };
    }
    if (!policy.force) {
      const what = left.isSymlink
        ? "a symbolic link"
        : left.isFile
        ? "left by an earlier run"
        : "in the way";
      const hint = left.isFile && await lstatOrNull(`${path}.resume`) !== null
        ? "use --resume to continue it or --force to start over"
        : "use --force to replace it";
      throw new IoError(`${part}: ${what}; ${hint}`, part);
    }
    removePart = true;
  } else if (keep !== null && keep > 0) {
    throw new IoError(`${part}: not found; nothing to resume`, part);
  }
  return { path, inPlace: false, replaces, part, removePart, keep: null };
}

/** Whether another run holds the lock on `path` (a `.part` it is writing). */
export async function isLocked(path: string): Promise<boolean> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(path, { read: true });
  } catch {
    return false;
  }
  try {
    const got = await f.tryLock(true);
    if (got) await f.unlock();
    return !got;
  } finally {
    f.close();
  }
}

/**
 * Opens every output, OUT first, or none: all checks come before anything is created,
 * and what was created is removed again if a later output fails.
 */
export async function openOutputs(paths: string[], policy: OutputPolicy): Promise<Output[]> {
  const plans: (Plan | null)[] = [];
  // Every name written, with the identities it could share with another.
  const seen: { name: string; ids: string[] }[] = [];
  if (policy.input.length > 0) seen.push({ name: "the input file", ids: policy.input });
  const claim = async (name: string, path: string) => {
    const ids = await identities(path);
    for (const other of seen) {
      if (ids.some((id) => other.ids.includes(id))) {
        const role = policy.roles?.[path] ?? path;
        throw new IoError(`${path}: is ${other.name}; choose another ${roleName(role)}`, path);
      }
    }
    seen.push({ name, ids });
  };
  for (const path of paths) {
    if (path === "-") {
      plans.push(null);
      continue;
    }
    await claim(`the same file as ${path}`, path);
    await claim(`the same file as ${path}.part`, `${path}.part`);
    plans.push(await plan(path, policy));
  }
  for (const path of policy.extra ?? []) await claim(`the same file as ${path}`, path);
  const outputs: Output[] = [];
  try {
    for (const p of plans) outputs.push(p === null ? stdout() : await create(p));
  } catch (err) {
    for (const o of outputs) await discard(o);
    throw err;
  }
  return outputs;
}

function roleName(role: string): string {
  return role.startsWith("--") ? `${role} file` : "output";
}

function stdout(): Output {
  return {
    path: "-",
    part: null,
    replaces: null,
    writable: fileSink(Deno.stdout, "-"),
    sync: () => Promise.resolve(),
    release: () => {},
  };
}

async function create(p: Plan): Promise<Output> {
  if (p.inPlace) {
    try {
      const file = await Deno.open(p.path, { write: true });
      return {
        path: p.path,
        part: null,
        replaces: null,
        writable: fileSink(file, p.path),
        sync: () => Promise.resolve(),
        release: () => {},
      };
    } catch (err) {
      throw new IoError(ioMessage(p.path, err, "write"), p.path);
    }
  }
  if (p.removePart) await Deno.remove(p.part).catch(() => {});
  let file: Deno.FsFile;
  try {
    if (p.keep !== null) {
      // --resume: the leftover, checked to be a plain file, cut back to its checkpoint.
      file = await Deno.open(p.part, { write: true });
      await file.truncate(p.keep);
      await file.seek(p.keep, Deno.SeekMode.Start);
    } else {
      // O_CREAT|O_EXCL: fails on any existing name, a symlink included, so nothing is followed.
      file = await Deno.open(p.part, { write: true, createNew: true, mode: 0o644 });
    }
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) {
      throw new IoError(`${p.path}: another wikizh run is writing it (${p.part} appeared)`, p.path);
    }
    throw new IoError(ioMessage(p.path, err, "write"), p.path);
  }
  // A second handle holds the lock until the final rename; the writer closes its own.
  const lock = await Deno.open(p.part, { read: true });
  if (!await lock.tryLock(true)) {
    lock.close();
    file.close();
    throw new IoError(`${p.path}: another wikizh run is writing it (${p.part} is locked)`, p.path);
  }
  return {
    path: p.path,
    part: p.part,
    replaces: p.replaces,
    writable: fileSink(file, p.part),
    sync: () => file.syncData(),
    release: () => {
      try {
        lock.close();
      } catch {
        // already closed
      }
    },
  };
}

/** Aborts an output opened by {@link openOutputs} and removes its `.part`. */
async function discard(o: Output): Promise<void> {
  await o.writable.abort().catch(() => {});
  if (o.part !== null) await Deno.remove(o.part).catch(() => {});
  o.release();
}
