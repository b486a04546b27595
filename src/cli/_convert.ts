/**
 * `wikizh DUMP OUT`: opens the input and the outputs, builds the pipeline, gives up every
 * permission, runs, and finishes the outputs (rename on success, `.part` kept on damage).
 *
 * @module
 */

import { Bz2FormatError, IoError, RulesError } from "../errors.ts";
import { convert, type PipelineOptions } from "../pipeline.ts";
import { layout, type MultistreamIndex, readIndex, usefulThreads } from "../parallel/mod.ts";
import { RunStats } from "../stats.ts";
import { collectRules, parseRulesFile, type RulesFile } from "../zhconv/mod.ts";
import { isConversionTitle, readConversionPages } from "./_groups.ts";
import type { Options } from "./_args.ts";
import { Finisher } from "./_finisher.ts";
import { ioMessage } from "./_fs.ts";
import { type Input, openInput } from "./_input.ts";
import { openOutputs, type Output } from "./_output.ts";
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
async function readIndexFile(o: Options): Promise<MultistreamIndex | undefined> {
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

/** The pipeline's options from the command line's. */
function pipelineOptions(
  o: Options,
  input: Input,
  rules: RulesFile | undefined,
  streamOffsets: number[] | undefined,
  redirects: Output | null,
  stats: RunStats,
): PipelineOptions {
  return {
    input: input.format,
    threads: o.threads,
    streamOffsets,
    stages: {
      cleanup: {
        tables: o.tables,
        headings: o.headings,
        dropSections: o.dropSections ?? undefined,
        keepDisambig: o.keepDisambig,
        langLabel: o.langLabel,
        math: o.math,
      },
      conversion: { variant: o.variant, keepCornerQuotes: o.keepCornerQuotes, rules },
    },
    sink: {
      format: o.format,
      minChars: o.minChars,
      limit: o.limit,
      redirects: redirects?.writable,
      stats,
    },
  };
}

export async function runConvert(o: Options): Promise<number> {
  const signals = listenForSignals();
  try {
    return await run(o, signals.signal);
  } finally {
    signals.stop();
  }
}

async function run(o: Options, signal: AbortSignal): Promise<number> {
  const stats = new RunStats();
  stats.startedAt = Date.now();
  const input = await openInput(o.input);
  stats.bytesTotal = input.size;
  // bzip2 dumps are about a fifth of their XML.
  o = { ...o, threads: usefulThreads(o.threads, input.size * (input.format === "bz2" ? 5 : 1)) };
  // Read before any output exists, so that a bad index leaves nothing behind.
  const index = input.format === "bz2" ? await readIndexFile(o) : undefined;
  let rules = await readRules(o.rules);
  if (rules !== undefined) stats.groupSource = `rules file ${o.rules}`;
  else if (index !== undefined && input.path !== "-") {
    const t0 = Date.now();
    const found = await readConversionPages(input.path, index);
    rules = await collectRules(ReadableStream.from(found.pages));
    stats.groupSource = `the dump's index (${found.pages.length} pages from ${found.streams} ` +
      `streams, ${((Date.now() - t0) / 1000).toFixed(1)} s)`;
  }
  // Jobs are cut at streams only in the layouts that take whole streams.
  const offsets = index !== undefined && layout(o.threads, input.format, true).byStreams
    ? index.offsets
    : undefined;
  const paths = [o.output];
  const roles: Record<string, string> = {};
  if (o.redirects !== null) {
    paths.push(o.redirects);
    roles[o.redirects] = "--redirects";
  }
  if (o.stats !== null) {
    paths.push(o.stats);
    roles[o.stats] = "--stats";
  }
  const outputs = await openOutputs(paths, { force: o.force, input: input.ids, roles });
  const [main] = outputs;
  const redirects = o.redirects !== null ? outputs[1] : null;
  const statsFile = o.stats !== null ? outputs[outputs.length - 1] : null;
  const finisher = new Finisher(outputs);
  const output = convert(
    input.bytes.pipeThrough(countBytes(stats)),
    pipelineOptions(o, input, rules, offsets, redirects, stats),
  );
  // From here on the run cannot open any other path, whatever a page contains.
  await Promise.all([output.ready, finisher.ready]);
  revokeFilePermissions();
  input.open();
  stats.flowStartedAt = Date.now();
  const stopProgress = startProgress(o, stats);

  // A signal ends the run at once, even while the source is blocked reading stdin.
  const interrupted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason));
  });
  let failure: unknown = null;
  try {
    await Promise.race([output.stream.pipeTo(main.writable, { signal }), interrupted]);
  } catch (err) {
    failure = err;
  }
  // Damage found by a stage that ended its stream cleanly to keep what came before.
  if (failure === null) failure = output.failure();
  stopProgress();

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
    if ((stats.articlesWritten > 0 || failure instanceof Interrupted) && main.part !== null) {
      where = `; incomplete output (${stats.articlesWritten} articles) left in ${main.part}`;
      for (const out of outputs) out.release();
    } else {
      await finisher.discard(outputs);
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
