/**
 * The wikizh command. The only module that touches `Deno.*` for arguments, files,
 * permissions, signals and the exit code; everything else is streams and pure functions.
 *
 * @module
 */

import {
  type Command,
  countBytes,
  detectInputFormat,
  formatProgress,
  formatSummary,
  HELP,
  type Options,
  parseCommand,
  VERSION,
} from "./cli/mod.ts";
import { Bz2FormatError, IoError, RulesError, WikizhError, XmlSyntaxError } from "./errors.ts";
import { convert, layout, pages, streamOffsets } from "./pipeline.ts";
import { RunStats } from "./stats.ts";
import type { FinisherReply, FinisherRequest } from "./sink/_finisher.ts";
import { collectRules, parseRulesFile, type RulesFile, serializeRulesFile } from "./zhconv/mod.ts";

/** Thrown through the pipe when SIGINT/SIGTERM arrives. */
class Interrupted extends Error {
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
  }
}

/** The reader closed stdout (`wikizh dump - | head`): stop quietly. */
class OutputClosed extends Error {}

const enc = new TextEncoder();
function say(line: string): void {
  try {
    Deno.stderr.writeSync(enc.encode(line + "\n"));
  } catch {
    // stderr gone: nothing left to tell.
  }
}

// ---------------------------------------------------------------- input

interface Input {
  name: string;
  /** Yields nothing until {@link Input.open} is called: no page is read before the sandbox. */
  bytes: ReadableStream<Uint8Array>;
  open: () => void;
  format: "bz2" | "xml";
  size: number;
  realPath: string | null;
}

function ioMessage(path: string, err: unknown, action: string): string {
  if (err instanceof Deno.errors.NotFound) return `${path}: no such file or directory`;
  if (err instanceof Deno.errors.PermissionDenied) return `${path}: permission denied`;
  if (err instanceof Deno.errors.IsADirectory) return `${path}: is a directory`;
  const msg = err instanceof Error ? err.message.replace(/ \(os error \d+\).*$/, "") : String(err);
  return `${path}: cannot ${action}: ${msg}`;
}

/** Opens the input and reads its first bytes to tell bzip2 from XML (or a wrong file). */
async function openInput(path: string): Promise<Input> {
  let source: ReadableStream<Uint8Array>;
  let size = 0;
  let realPath: string | null = null;
  if (path === "-") {
    source = Deno.stdin.readable;
  } else {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (err) {
      throw new IoError(ioMessage(path, err, "read"), path);
    }
    if (info.isDirectory) throw new IoError(`${path}: is a directory, not a dump file`, path);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (err) {
      throw new IoError(ioMessage(path, err, "open"), path);
    }
    size = info.isFile ? info.size : 0;
    realPath = await Deno.realPath(path);
    source = file.readable;
  }
  // Read a little ahead to sniff the format, then hand on those bytes and the rest.
  const reader = source.getReader();
  const head: Uint8Array[] = [];
  let headLen = 0;
  let done = false;
  try {
    while (headLen < 512) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headLen += r.value.length;
    }
  } catch (err) {
    throw new IoError(ioMessage(path, err, "read"), path);
  }
  const joined = new Uint8Array(headLen);
  let at = 0;
  for (const c of head) {
    joined.set(c, at);
    at += c.length;
  }
  const name = path === "-" ? "<stdin>" : path;
  const format = detectInputFormat(joined);
  if (format.kind === "unsupported") {
    await reader.cancel().catch(() => {});
    throw new IoError(
      `${name}: ${format.reason}; expected a .xml.bz2 or .xml MediaWiki dump`,
      path,
    );
  }
  const gate = Promise.withResolvers<void>();
  let first = true;
  const bytes = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        await gate.promise;
        for (const c of head) controller.enqueue(c);
        if (done) controller.close();
        return;
      }
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return { name, bytes, open: () => gate.resolve(), format: format.kind, size, realPath };
}

// ---------------------------------------------------------------- outputs

interface Output {
  /** The path the user named ("-" for stdout). */
  path: string;
  /** Where bytes go until the run succeeds, or null when written in place. */
  part: string | null;
  writable: WritableStream<Uint8Array>;
}

function parentDir(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

/** Wraps a file so that write errors name the path, and a closed stdout stops quietly. */
function fileSink(
  file: Deno.FsFile | typeof Deno.stdout,
  path: string,
): WritableStream<Uint8Array> {
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
    close() {
      if (path !== "-") file.close();
    },
    abort() {
      if (path !== "-") {
        try {
          file.close();
        } catch {
          // already closed
        }
      }
    },
  });
}

/** Opens OUT (as OUT.part when it is a regular file) after checking it may be written. */
async function openOutput(path: string, force: boolean, input: Input): Promise<Output> {
  if (path === "-") return { path, part: null, writable: fileSink(Deno.stdout, "-") };
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.stat(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw new IoError(ioMessage(path, err, "write"), path);
    }
  }
  if (info?.isDirectory) throw new IoError(`${path}: is a directory`, path);
  if (info !== null && input.realPath !== null && (await Deno.realPath(path)) === input.realPath) {
    throw new IoError(`${path}: is the input file; choose another output`, path);
  }
  if (info !== null && !info.isFile) {
    // A device or pipe (/dev/null, /dev/full, a FIFO): write in place, nothing to rename.
    try {
      const file = await Deno.open(path, { write: true });
      return { path, part: null, writable: fileSink(file, path) };
    } catch (err) {
      throw new IoError(ioMessage(path, err, "write"), path);
    }
  }
  if (info !== null && !force) {
    throw new IoError(`${path}: already exists (use --force to overwrite)`, path);
  }
  const dir = parentDir(path);
  try {
    const d = await Deno.stat(dir);
    if (!d.isDirectory) throw new IoError(`${path}: ${dir} is not a directory`, path);
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(`${path}: directory ${dir} does not exist`, path);
  }
  const part = `${path}.part`;
  try {
    const file = await Deno.open(part, { write: true, create: true, truncate: true });
    return { path, part, writable: fileSink(file, part) };
  } catch (err) {
    throw new IoError(ioMessage(path, err, "write"), path);
  }
}

/** Talks to the finisher worker, the one thread still allowed to rename the outputs. */
class Finisher {
  #worker: Worker | null = null;
  /** Resolves when the worker has loaded (it must before read permission is revoked). */
  readonly ready: Promise<void>;

  constructor(outputs: Output[]) {
    const parts = outputs.flatMap((o) => (o.part === null ? [] : [absolute(o.part)]));
    const { promise, resolve } = Promise.withResolvers<void>();
    this.ready = promise;
    if (parts.length === 0) {
      resolve();
      return;
    }
    const finals = outputs.flatMap((o) => (o.part === null ? [] : [absolute(o.path)]));
    this.#worker = new Worker(new URL("./sink/_finisher.ts", import.meta.url).href, {
      type: "module",
      deno: {
        permissions: {
          read: parts,
          write: [...parts, ...finals],
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
        },
      },
    });
    this.#worker.onmessage = () => resolve();
    this.#worker.onerror = (e) => {
      e.preventDefault();
      resolve();
    };
  }

  #ask(req: FinisherRequest): Promise<void> {
    const worker = this.#worker;
    if (worker === null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FinisherReply>) => {
        if ("ready" in e.data) return;
        if (e.data.ok) resolve();
        else reject(new Error(e.data.error));
      };
      worker.postMessage(req);
    });
  }

  /** Renames every `.part` to its final name. */
  async commit(outputs: Output[]): Promise<void> {
    for (const o of outputs) {
      if (o.part === null) continue;
      try {
        await this.#ask({ op: "rename", from: absolute(o.part), to: absolute(o.path) });
      } catch (err) {
        throw new IoError(`${o.path}: cannot rename ${o.part}: ${(err as Error).message}`, o.path);
      }
    }
  }

  /** Removes the `.part` files (used when a run failed before writing anything). */
  async discard(outputs: Output[]): Promise<void> {
    for (const o of outputs) {
      if (o.part !== null) {
        await this.#ask({ op: "remove", path: absolute(o.part) }).catch(() => {});
      }
    }
  }

  close(): void {
    this.#worker?.terminate();
  }
}

function revokeFilePermissions(): void {
  Deno.permissions.revokeSync({ name: "read" });
  Deno.permissions.revokeSync({ name: "write" });
}

// ---------------------------------------------------------------- errors

function describe(err: unknown, inputName: string, format: "bz2" | "xml"): [string, number] {
  if (err instanceof Bz2FormatError) {
    const named = err.block === undefined || err.message.includes(`block ${err.block}`);
    const block = named ? "" : ` (block ${err.block})`;
    return [`${inputName}: ${err.message} at byte ${err.byteOffset}${block}`, err.exitCode];
  }
  if (err instanceof XmlSyntaxError) {
    const of = format === "bz2" ? " of the decompressed XML" : "";
    const byte = err.byteOffset >= 0 ? `, byte ${err.byteOffset}` : "";
    return [
      `${inputName}: ${err.message} at line ${err.line}, column ${err.column}${byte}${of}`,
      err.exitCode,
    ];
  }
  if (err instanceof WikizhError) return [err.message, err.exitCode];
  if (err instanceof Interrupted) return [err.message, 130];
  const msg = err instanceof Error ? err.stack ?? err.message : String(err);
  return [`internal error: ${msg}`, 1];
}

// ---------------------------------------------------------------- commands

/** `…-multistream.xml.bz2` → its `…-multistream-index.txt(.bz2)` beside it, if present. */
function indexBeside(input: string): string | null {
  if (!input.endsWith("-multistream.xml.bz2")) return null;
  const stem = input.slice(0, -".xml.bz2".length);
  for (const candidate of [`${stem}-index.txt.bz2`, `${stem}-index.txt`]) {
    try {
      if (Deno.statSync(candidate).isFile) return candidate;
    } catch {
      // not there
    }
  }
  return null;
}

/** The multistream index's stream offsets, when one is given or lies beside the dump. */
async function readIndex(o: Options): Promise<number[] | undefined> {
  const path = o.index ?? (o.input === "-" ? null : indexBeside(o.input));
  if (path === null) return undefined;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    throw new IoError(ioMessage(path, err, "read"), path);
  }
  try {
    return await streamOffsets(file.readable, path.endsWith(".bz2"), path);
  } catch (err) {
    if (err instanceof Bz2FormatError) {
      throw new IoError(`${path}: ${err.message} at byte ${err.byteOffset}`, path);
    }
    throw err;
  }
}

async function runConvert(o: Options): Promise<number> {
  // Listen first: a signal during start-up must not kill the run before OUT.part is handled.
  const abort = new AbortController();
  const signals: [Deno.Signal, () => void][] = [];
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => abort.abort(new Interrupted(sig));
    try {
      Deno.addSignalListener(sig, handler);
      signals.push([sig, handler]);
    } catch {
      // SIGTERM cannot be listened to on Windows.
    }
  }
  const stats = new RunStats();
  stats.startedAt = Date.now();
  const input = await openInput(o.input);
  stats.bytesTotal = input.size;
  let rules: RulesFile | undefined;
  if (o.rules !== null) {
    let json: string;
    try {
      json = await Deno.readTextFile(o.rules);
    } catch (err) {
      throw new IoError(ioMessage(o.rules, err, "read"), o.rules);
    }
    try {
      rules = parseRulesFile(json);
    } catch (err) {
      if (err instanceof RulesError) throw new RulesError(`${o.rules}: ${err.message}`);
      throw err;
    }
  }
  // The index is read only when the thread layout cuts work by streams (3+ threads), and
  // before any output exists, so that a bad index leaves nothing behind.
  const offsets = layout(o.threads, input.format, true).byStreams ? await readIndex(o) : undefined;
  const outputs: Output[] = [];
  const main = await openOutput(o.output, o.force, input);
  outputs.push(main);
  let redirects: Output | null = null;
  let statsFile: Output | null = null;
  try {
    if (o.redirects !== null) {
      redirects = await openOutput(o.redirects, o.force, input);
      outputs.push(redirects);
    }
    if (o.stats !== null) {
      statsFile = await openOutput(o.stats, o.force, input);
      outputs.push(statsFile);
    }
  } catch (err) {
    for (const out of outputs) await out.writable.abort().catch(() => {});
    for (const out of outputs) if (out.part !== null) await Deno.remove(out.part).catch(() => {});
    throw err;
  }
  const finisher = new Finisher(outputs);
  const output = convert(input.bytes.pipeThrough(countBytes(stats)), {
    input: input.format,
    threads: o.threads,
    streamOffsets: offsets,
    cleanup: {
      tables: o.tables,
      headings: o.headings,
      dropSections: o.dropSections ?? undefined,
      keepDisambig: o.keepDisambig,
      langLabel: o.langLabel,
      math: o.math,
    },
    conversion: { variant: o.variant, keepCornerQuotes: o.keepCornerQuotes, rules },
    sink: {
      format: o.format,
      minChars: o.minChars,
      limit: o.limit,
      redirects: redirects?.writable,
      stats,
    },
  });
  // From here on the run cannot open any other path, whatever a page contains.
  await Promise.all([output.ready, finisher.ready]);
  revokeFilePermissions();
  input.open();
  stats.flowStartedAt = Date.now();

  // On a terminal the line is redrawn in place; in a log (--progress) a line every 2 s.
  const tty = Deno.stderr.isTerminal();
  const timer = !o.quiet && (tty || o.progress)
    ? setInterval(() => {
      const line = formatProgress(stats, Date.now());
      if (tty) Deno.stderr.writeSync(enc.encode(`\r\x1b[K${line}`));
      else say(line);
    }, tty ? 500 : 2000)
    : undefined;

  // A signal ends the run at once, even while the source is blocked reading stdin.
  const interrupted = new Promise<never>((_, reject) => {
    if (abort.signal.aborted) reject(abort.signal.reason);
    abort.signal.addEventListener("abort", () => reject(abort.signal.reason));
  });
  let failure: unknown = null;
  try {
    await Promise.race([
      output.stream.pipeTo(main.writable, { signal: abort.signal }),
      interrupted,
    ]);
  } catch (err) {
    failure = err;
  }
  // Damage found by a stage that ended its stream cleanly to keep what came before.
  if (failure === null) failure = output.failure();
  if (timer !== undefined) {
    clearInterval(timer);
    if (tty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
  }
  for (const [sig, handler] of signals) Deno.removeSignalListener(sig, handler);

  if (failure instanceof OutputClosed) {
    finisher.close();
    return 0;
  }
  const writeStats = async (complete: boolean) => {
    if (statsFile === null) return;
    const json = { complete, ...stats.toJSON(Date.now()) };
    const w = statsFile.writable.getWriter();
    await w.write(enc.encode(JSON.stringify(json, null, 2) + "\n"));
    await w.close();
  };
  if (failure !== null) {
    const [line, code] = describe(failure, input.name, input.format);
    if (redirects !== null) await redirects.writable.abort().catch(() => {});
    await writeStats(false).catch(() => {});
    const kept = outputs.filter((out) => out.part !== null);
    let where = "";
    if ((stats.articlesWritten > 0 || failure instanceof Interrupted) && main.part !== null) {
      where = `; incomplete output (${stats.articlesWritten} articles) left in ${main.part}`;
    } else {
      await finisher.discard(kept);
    }
    finisher.close();
    say(`wikizh: ${line}${where}`);
    return code;
  }
  try {
    await writeStats(true);
    await finisher.commit(outputs);
  } finally {
    finisher.close();
  }
  if (!o.quiet) {
    if (o.stats !== null) {
      const top = stats.topUnknownTemplates(30);
      if (top.length > 0) {
        say("wikizh: most used unknown templates:");
        for (const [name, n] of top) say(`  ${String(n).padStart(8)}  ${name}`);
      }
    }
    say(formatSummary(stats, Date.now()));
  }
  return 0;
}

async function runRules(
  c: { input: string; output: string; quiet: boolean; force: boolean },
): Promise<number> {
  const stats = new RunStats();
  stats.startedAt = Date.now();
  const input = await openInput(c.input);
  const out = await openOutput(c.output, c.force, input);
  const finisher = new Finisher([out]);
  const records = pages(input.bytes.pipeThrough(countBytes(stats)), input.format);
  await Promise.all([records.ready, finisher.ready]);
  revokeFilePermissions();
  input.open();
  try {
    const rules = await collectRules(records.stream);
    if (records.failure() !== null) throw records.failure();
    const w = out.writable.getWriter();
    await w.write(enc.encode(serializeRulesFile(rules)));
    await w.close();
    await finisher.commit([out]);
    if (!c.quiet) {
      const groups = Object.keys(rules.groups).length;
      say(`wikizh: ${groups} conversion groups written to ${c.output}`);
    }
    return 0;
  } catch (err) {
    await out.writable.abort().catch(() => {});
    await finisher.discard([out]);
    const [line, code] = describe(err, input.name, input.format);
    say(`wikizh: ${line}`);
    return code;
  } finally {
    finisher.close();
  }
}

/** Runs the command line `args`; returns the exit code. Exported for the permission probe test. */
export async function main(args: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(args, navigator.hardwareConcurrency || 1);
  } catch (err) {
    say(`wikizh: ${(err as Error).message}`);
    return 2;
  }
  try {
    switch (command.kind) {
      case "help":
        await Deno.stdout.write(enc.encode(HELP));
        return 0;
      case "version":
        await Deno.stdout.write(enc.encode(`wikizh ${VERSION}\n`));
        return 0;
      case "rules":
        return await runRules(command);
      case "convert":
        return await runConvert(command.options);
    }
  } catch (err) {
    const [line, code] = describe(
      err,
      command.kind === "convert" ? command.options.input : "",
      "xml",
    );
    say(`wikizh: ${line}`);
    return code;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
