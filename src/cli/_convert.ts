/**
 * `wikizh DUMP OUT`: opens the input and the outputs, builds the pipeline, gives up every
 * permission, runs, and finishes the outputs (rename on success, `.part` kept on damage).
 *
 * @module
 */

import { Bz2FormatError, IoError, RulesError } from "../errors.ts";
import { convert } from "../pipeline.ts";
import {
  layout,
  type MultistreamIndex,
  readIndex,
  type StageOptions,
  usefulThreads,
} from "../parallel/mod.ts";
import { compressionFor, shardName, type SinkCheckpoint } from "../sink/mod.ts";
import { RunStats } from "../stats.ts";
import { CGROUPS_INFO, groupSource, parseRulesFile, type RulesFile } from "../zhconv/mod.ts";
import { isConversionTitle } from "./_group_pages.ts";
import { lookupGroups } from "./_groups.ts";
import { type Options, VERSION } from "./_args.ts";
import { Finisher } from "./_finisher.ts";
import { ioMessage, lstatOrNull, parentDir } from "./_fs.ts";
import { openInput } from "./_input.ts";
import { isLocked, openOutputs } from "./_output.ts";
import {
  CheckpointFile,
  readCheckpoint,
  readCheckpointLine,
  resumePath,
  type RunIdentity,
} from "./_resume.ts";
import { fileTarget, shardTarget } from "./_targets.ts";
import { countBytes, formatProgress, formatSummary } from "./_progress.ts";
import { describe, Interrupted, OutputClosed, say } from "./_report.ts";

const enc = new TextEncoder();

/** Gives up read and write: from here on no page can make the run touch another path. */
export function revokeFilePermissions(): void {
  Deno.permissions.revokeSync({ name: "read" });
  Deno.permissions.revokeSync({ name: "write" });
}

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

/** The multistream index, when one is given or lies beside the dump. */
async function readIndexFile(
  o: Options,
  after?: number,
): Promise<MultistreamIndex | undefined> {
  const path = o.index ?? (o.input === "-" ? null : indexBeside(o.input));
  if (path === null) return undefined;
  let file: Deno.FsFile;
  try {
    if ((await Deno.stat(path)).isDirectory) throw new IoError(`${path}: is a directory`, path);
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(ioMessage(path, err, "read"), path);
  }
  try {
    return await readIndex(file.readable, {
      path,
      compressed: path.endsWith(".bz2"),
      wanted: isConversionTitle,
      after,
    });
  } catch (err) {
    if (err instanceof Bz2FormatError) {
      throw new IoError(`${path}: ${err.message} at byte ${err.byteOffset}`, path);
    }
    throw err;
  }
}

async function readRules(path: string | null): Promise<RulesFile | undefined> {
  if (path === null) return undefined;
  let json: string;
  try {
    json = await Deno.readTextFile(path);
  } catch (err) {
    throw new IoError(ioMessage(path, err, "read"), path);
  }
  try {
    return parseRulesFile(json);
  } catch (err) {
    if (err instanceof RulesError) throw new RulesError(`${path}: ${err.message}`);
    throw err;
  }
}

/** Listens for SIGINT/SIGTERM at once: a signal during start-up must not kill the run. */
function listenForSignals(): { signal: AbortSignal; stop: () => void } {
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
  return {
    signal: abort.signal,
    stop: () => {
      for (const [sig, handler] of signals) Deno.removeSignalListener(sig, handler);
    },
  };
}

/** On a terminal the line is redrawn in place; in a log (`--progress`) a line every 2 s. */
function startProgress(o: Options, stats: RunStats): () => void {
  const tty = Deno.stderr.isTerminal();
  if (o.quiet || !(tty || o.progress)) return () => {};
  const timer = setInterval(() => {
    const line = formatProgress(stats, Date.now());
    if (tty) Deno.stderr.writeSync(enc.encode(`\r\x1b[K${line}`));
    else say(line);
  }, tty ? 500 : 2000);
  return () => {
    clearInterval(timer);
    if (tty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
  };
}

/** The page stages' options from the command line's. */
function stageOptions(
  o: Options,
  rules: RulesFile | undefined,
  rulesSource: "index" | "rules file",
  noteTaAliases: string[],
): StageOptions {
  return {
    cleanup: {
      tables: o.tables,
      headings: o.headings,
      dropSections: o.dropSections ?? undefined,
      keepDisambig: o.keepDisambig,
      langLabel: o.langLabel,
      math: o.math,
      pre: o.pre,
      noteTaAliases,
    },
    conversion: {
      variant: o.variant,
      keepCornerQuotes: o.keepCornerQuotes,
      converter: o.converter,
      rules,
      rulesSource,
    },
  };
}

/** SHA-256 of `value` as JSON, in hex: a short name for everything a run's output depends on. */
async function digest(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function runConvert(o: Options): Promise<number> {
  const signals = listenForSignals();
  try {
    return await run(o, signals.signal);
  } finally {
    signals.stop();
  }
}

/** The finished shards of an earlier run must still be there to go on after them. */
async function checkShards(out: string, done: number): Promise<void> {
  for (let n = 0; n < done; n++) {
    const name = shardName(out, n);
    if ((await lstatOrNull(name))?.isFile !== true) {
      throw new IoError(
        `${name}: missing; cannot resume after it (use --force to start over)`,
        name,
      );
    }
  }
}

/** Before a sharded run: no shard of another run is in the way, unless --force removes them. */
async function clearShards(out: string, force: boolean, from: number): Promise<void> {
  for (let n = from;; n++) {
    const name = shardName(out, n);
    const there = [await lstatOrNull(name), await lstatOrNull(`${name}.part`)];
    if (there.every((x) => x === null)) return;
    if (!force) {
      const what = there[0] !== null ? name : `${name}.part`;
      throw new IoError(`${what}: already exists (use --force to overwrite)`, what);
    }
    for (const p of [name, `${name}.part`]) await Deno.remove(p).catch(() => {});
  }
}

async function run(o: Options, signal: AbortSignal): Promise<number> {
  const stats = new RunStats();
  stats.startedAt = Date.now();
  let input = await openInput(o.input);
  stats.bytesTotal = input.size;
  // bzip2 dumps are about a fifth of their XML.
  o = { ...o, threads: usefulThreads(o.threads, input.size * (input.format === "bz2" ? 5 : 1)) };
  const toFile = o.output !== "-";
  const sharded = o.shardSize !== null;
  const compression = !toFile || o.format === "parquet" ? "none" : compressionFor(o.output);
  const dump = input.path === "-" ? null : await Deno.stat(input.path);
  const settings = (stages: unknown) => ({
    version: VERSION,
    stages,
    format: o.format,
    compression,
    shardSize: o.shardSize,
    unitBytes: o.checkpointEvery,
    minChars: o.minChars,
    limit: o.limit,
    redirects: o.redirects === null ? null : compressionFor(o.redirects),
  });
  // The checkpoint's page id, known before the index is read so that it finds the resume point.
  const earlier = o.resume ? await readCheckpointLine(o.output) : undefined;
  // Read before any output exists, so that a bad index leaves nothing behind.
  const indexStart = Date.now();
  const index = input.format === "bz2"
    ? await readIndexFile(o, earlier?.lastId ?? undefined)
    : undefined;
  if (index !== undefined) stats.indexSeconds = (Date.now() - indexStart) / 1000;
  let rules = await readRules(o.rules);
  let rulesSource: "index" | "rules file" = "rules file";
  let fromIndex = "";
  let aliases: string[] = [];
  /** What the index lookup read: stands in for its rules in the run's identity. */
  let lookedUp: { pages: number; streams: number; groups: number } | null = null;
  if (rules === undefined && index !== undefined && input.path !== "-") {
    const t0 = Date.now();
    const found = await lookupGroups(input.path, index);
    rules = found.rules;
    aliases = found.aliases;
    rulesSource = "index";
    lookedUp = {
      pages: found.pages,
      streams: found.streams,
      groups: Object.keys(found.rules.groups).length,
    };
    stats.groupLookupSeconds = (Date.now() - t0) / 1000;
    fromIndex = `the dump's index (${found.pages} pages from ${found.streams} streams, ` +
      `${stats.groupLookupSeconds.toFixed(1)} s)`;
  }
  // Jobs are cut at streams only in the layouts that take whole streams.
  const offsets = index !== undefined && layout(o.threads, input.format, true).byStreams
    ? index.offsets
    : undefined;
  const stages = stageOptions(o, rules, rulesSource, aliases);
  const source = groupSource(stages.conversion);
  stats.groupSource = source === "index"
    ? fromIndex
    : source === "rules file"
    ? `rules file ${o.rules}`
    : `the bundled snapshot (${CGROUPS_INFO.date}, ${CGROUPS_INFO.groups} groups)`;

  // What a resumed run must share with the run it continues.
  let identity: RunIdentity | null = null;
  let resume: SinkCheckpoint | undefined;
  if (toFile) {
    identity = {
      dump: { path: input.path, size: input.size, mtime: dump?.mtime?.getTime() ?? null },
      // Rules read from the dump's own pages follow from the dump, which the identity names
      // by path, size and mtime: what was read stands in for them (hashing their 5 MB took
      // 35 ms before the first page on a 2-core machine).
      settings: await digest(settings(
        lookedUp === null
          ? stages
          : { ...stages, conversion: { ...stages.conversion, rules: undefined, lookedUp } },
      )),
    };
    if (o.resume) resume = await readCheckpoint(o.output, identity);
  }
  // A multistream index lets a resumed run start at the stream of the first page to write.
  let startOffset = 0;
  if (resume?.lastId != null && index?.resumeOffset != null && index.resumeOffset > 0) {
    startOffset = index.resumeOffset;
    await input.close();
    input = await openInput(o.input, startOffset);
    stats.bytesIn = startOffset;
  }
  if (sharded) {
    if (resume !== undefined) await checkShards(o.output, resume.shards);
    await clearShards(o.output, o.force, resume?.shards ?? 0);
    // A Parquet shard (offset 0) is begun again.
    if (resume !== undefined && resume.offset === 0) {
      await Deno.remove(`${shardName(o.output, resume.shards)}.part`).catch(() => {});
    }
  }
  const paths = sharded ? [] : [o.output];
  const roles: Record<string, string> = {};
  const keep: Record<string, number> = {};
  if (resume !== undefined && !sharded) keep[o.output] = resume.offset;
  if (o.redirects !== null) {
    paths.push(o.redirects);
    roles[o.redirects] = "--redirects";
    if (resume !== undefined) keep[o.redirects] = resume.redirectBytes;
  }
  if (o.stats !== null) {
    paths.push(o.stats);
    roles[o.stats] = "--stats";
  }
  const checkpointPath = toFile ? resumePath(o.output) : null;
  if (checkpointPath !== null && !o.resume && await lstatOrNull(checkpointPath) !== null) {
    if (!sharded && await isLocked(`${o.output}.part`)) {
      throw new IoError(
        `${o.output}: another wikizh run is writing it (${o.output}.part is locked)`,
        o.output,
      );
    }
    if (!o.force) {
      throw new IoError(
        `${checkpointPath}: left by an interrupted run; use --resume to continue it or --force to start over`,
        checkpointPath,
      );
    }
    await Deno.remove(checkpointPath);
  }
  const outputs = await openOutputs(paths, {
    force: o.force,
    input: input.ids,
    roles,
    resume: resume === undefined ? undefined : keep,
    extra: checkpointPath === null ? [] : [checkpointPath],
  });
  const main = sharded ? null : outputs[0];
  const redirects = o.redirects !== null ? outputs[sharded ? 0 : 1] : null;
  const statsFile = o.stats !== null ? outputs[outputs.length - 1] : null;
  const finisher = new Finisher(
    outputs,
    sharded ? [parentDir(o.output)] : checkpointPath === null ? [] : [checkpointPath],
  );
  const checkpoints = identity === null
    ? null
    : await CheckpointFile.open(o.output, identity, o.resume);
  const mainTarget = main !== null ? fileTarget(main) : shardTarget(finisher, o.output);
  const redirectTarget = redirects === null ? null : fileTarget(redirects);
  const output = convert(input.bytes.pipeThrough(countBytes(stats)), {
    input: input.format,
    threads: o.threads,
    streamOffsets: offsets,
    startOffset,
    stages: { ...stages, skipThrough: resume?.lastId ?? undefined },
    sink: {
      format: o.format,
      compression,
      target: mainTarget.target,
      shardSize: o.shardSize ?? undefined,
      redirects: redirectTarget === null
        ? undefined
        : { target: redirectTarget.target, compression: compressionFor(o.redirects!) },
      minChars: o.minChars,
      limit: o.limit,
      stats,
      resume,
      unitBytes: o.checkpointEvery ?? undefined,
    },
  });
  // From here on the run cannot open any other path, whatever a page contains.
  await Promise.all([output.ready, finisher.ready]);
  revokeFilePermissions();
  input.open();
  stats.flowStartedAt = Date.now();
  const stopProgress = startProgress(o, stats);

  // Each checkpoint is written once the bytes it counts are on disk.
  const record = new WritableStream<SinkCheckpoint>({
    async write(c) {
      if (checkpoints === null || c.done) return;
      await mainTarget.sync();
      await redirectTarget?.sync();
      await checkpoints.add(c);
    },
  });
  // A signal ends the run at once, even while the source is blocked reading stdin.
  const interrupted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason));
  });
  let failure: unknown = null;
  try {
    await Promise.race([output.stream.pipeTo(record, { signal }), interrupted]);
  } catch (err) {
    failure = err;
  }
  // Damage found by a stage that ended its stream cleanly to keep what came before.
  if (failure === null) failure = output.failure();
  stopProgress();
  checkpoints?.close();

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
    const [line, code] = describe(failure, { inputName: input.name, format: input.format });
    if (redirects !== null) await redirects.writable.abort().catch(() => {});
    await writeStats(false).catch(() => {});
    let where = "";
    const kept = sharded ? o.output.replace(/\.[^/]*$/, "") + "-*" : main?.part;
    if ((stats.articlesWritten > 0 || failure instanceof Interrupted) && toFile) {
      where = `; incomplete output (${stats.articlesWritten} articles) left in ${kept}` +
        (checkpoints !== null ? " (--resume continues it)" : "");
      for (const out of outputs) out.release();
    } else {
      await finisher.discard(outputs);
      if (checkpointPath !== null) await finisher.remove(checkpointPath);
    }
    finisher.close();
    say(`wikizh: ${line}${where}`);
    return code;
  }
  try {
    await writeStats(true);
    await finisher.commit(outputs);
    if (checkpointPath !== null) await finisher.remove(checkpointPath);
  } finally {
    finisher.close();
  }
  if (!o.quiet) {
    if (o.stats !== null) {
      for (const inline of [true, false]) {
        const top = stats.topUnknownTemplates(30, inline);
        if (top.length === 0) continue;
        say(`wikizh: most used unknown templates ${inline ? "inside running text" : "in all"}:`);
        for (const [name, n] of top) say(`  ${String(n).padStart(8)}  ${name}`);
      }
    }
    say(formatSummary(stats, Date.now()));
  }
  return 0;
}
