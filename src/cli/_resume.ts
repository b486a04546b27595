/**
 * The checkpoint file `OUT.resume` beside an output: a first line saying which dump and
 * settings the run has, then one line per sink checkpoint, appended (and the output
 * flushed to disk first) as the run goes. `--resume` reads it back; a torn last line
 * from a crash is ignored.
 *
 * @module
 */

import { IoError } from "../errors.ts";
import type { SinkCheckpoint } from "../sink/mod.ts";
import { ioMessage } from "./_fs.ts";

/** What must be the same for a run to continue another. */
export interface RunIdentity {
  dump: { path: string; size: number; mtime: number | null };
  /** Every setting that changes the output's bytes. */
  settings: unknown;
}

export function resumePath(out: string): string {
  return `${out}.resume`;
}

/** The last checkpoint of an earlier run with the same dump and settings. */
export async function readCheckpoint(out: string, identity: RunIdentity): Promise<SinkCheckpoint> {
  const [head, last] = await readLines(out);
  const path = resumePath(out);
  if (JSON.stringify(head) !== JSON.stringify(identity)) {
    throw new IoError(
      `${path}: written for another dump or other options; run with the same ones, or with --force to start over`,
      path,
    );
  }
  return last;
}

/** The last checkpoint, before its identity can be checked (the index needs its page id). */
export async function readCheckpointLine(out: string): Promise<SinkCheckpoint> {
  return (await readLines(out))[1];
}

async function readLines(out: string): Promise<[unknown, SinkCheckpoint]> {
  const path = resumePath(out);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new IoError(`${out}: nothing to resume (${path} not found)`, path);
    }
    throw new IoError(ioMessage(path, err, "read"), path);
  }
  const lines = text.split("\n");
  let head: unknown;
  try {
    head = JSON.parse(lines[0]);
  } catch {
    throw new IoError(`${path}: not a wikizh checkpoint file`, path);
  }
  let last: SinkCheckpoint | null = null;
  for (const line of lines.slice(1)) {
    try {
      const c = JSON.parse(line) as SinkCheckpoint;
      if (typeof c === "object" && c !== null && typeof c.shards === "number") last = c;
    } catch {
      break; // a line cut by the crash: the one before it stands
    }
  }
  return [
    head,
    last ?? {
      shards: 0,
      offset: 0,
      redirectBytes: 0,
      articles: 0,
      redirects: 0,
      lastId: null,
      done: false,
    },
  ];
}

/** Appends checkpoints to an open `OUT.resume`. */
export class CheckpointFile {
  #file: Deno.FsFile;
  #enc = new TextEncoder();
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /** Opens `OUT.resume`: a new one with `identity` as its first line, or the old one to go on. */
  static async open(out: string, identity: RunIdentity, resume: boolean): Promise<CheckpointFile> {
    const path = resumePath(out);
    try {
      if (resume) return new CheckpointFile(await Deno.open(path, { append: true }));
      const file = await Deno.open(path, { write: true, createNew: true, mode: 0o644 });
      const c = new CheckpointFile(file);
      await c.#line(identity);
      return c;
    } catch (err) {
      throw new IoError(ioMessage(path, err, "write"), path);
    }
  }

  async #line(value: unknown): Promise<void> {
    const bytes = this.#enc.encode(JSON.stringify(value) + "\n");
    let off = 0;
    while (off < bytes.length) off += await this.#file.write(bytes.subarray(off));
  }

  /** Records `c` once the output it counts is on disk (the caller synced it). */
  async add(c: SinkCheckpoint): Promise<void> {
    await this.#line(c);
    await this.#file.syncData();
  }

  close(): void {
    try {
      this.#file.close();
    } catch {
      // already closed
    }
  }
}
