/**
 * How a run ends for the user: one line on stderr per error, and the exit code, from
 * one table of error kinds. No stack trace or internal path ever reaches the user.
 *
 * @module
 */

import {
  Bz2FormatError,
  IoError,
  NotADumpError,
  RulesError,
  UsageError,
  WikizhError,
  XmlSyntaxError,
} from "../errors.ts";

/** Exit codes (also in `--help` and the README). */
export const EXIT = {
  ok: 0,
  /** The input is damaged: truncated, CRC error, malformed XML. */
  damaged: 1,
  /** Usage or I/O error: bad option, missing input, unwritable output, wrong kind of file. */
  usage: 2,
  /** A bug in wikizh: an exception nobody expected. */
  internal: 70,
  /** SIGINT or SIGTERM. */
  interrupted: 130,
} as const;

/** Thrown through the pipe when SIGINT/SIGTERM arrives. */
export class Interrupted extends Error {
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
  }
}

/** The reader closed stdout (`wikizh dump - | head`): stop quietly. */
export class OutputClosed extends Error {}

const enc = new TextEncoder();

/** One line on stderr; a closed stderr is ignored (nothing left to tell). */
export function say(line: string): void {
  try {
    Deno.stderr.writeSync(enc.encode(line + "\n"));
  } catch {
    // stderr gone
  }
}

/** Where an error happened, for the message: the input's name and whether it was bzip2. */
export interface ErrorContext {
  inputName: string;
  format: "bz2" | "xml";
}

/** The one line and the exit code for `err`. */
export function describe(err: unknown, ctx: ErrorContext): [string, number] {
  if (err instanceof Bz2FormatError) {
    const named = err.block === undefined || err.message.includes(`block ${err.block}`);
    const block = named ? "" : ` (block ${err.block})`;
    return [`${ctx.inputName}: ${err.message} at byte ${err.byteOffset}${block}`, EXIT.damaged];
  }
  if (err instanceof XmlSyntaxError) {
    const of = ctx.format === "bz2" ? " of the decompressed XML" : "";
    const byte = err.byteOffset >= 0 ? `, byte ${err.byteOffset}` : "";
    const line =
      `${ctx.inputName}: ${err.message} at line ${err.line}, column ${err.column}${byte}${of}`;
    return [line, err instanceof NotADumpError ? EXIT.usage : EXIT.damaged];
  }
  if (err instanceof UsageError || err instanceof IoError || err instanceof RulesError) {
    return [oneLine(err.message), EXIT.usage];
  }
  if (err instanceof WikizhError) return [oneLine(err.message), EXIT.damaged];
  if (err instanceof Interrupted) return [err.message, EXIT.interrupted];
  return [`internal error: ${internalMessage(err)} (please report)`, EXIT.internal];
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}

/** The first line of an unexpected error's message, without file paths of our sources. */
function internalMessage(err: unknown): string {
  const name = err instanceof Error ? err.name : "Error";
  const msg = err instanceof Error ? err.message : String(err);
  const first = msg.split("\n")[0].replace(/(?:file:\/\/)?\/[^\s:]*\.ts(?::\d+)*/g, "<wikizh>");
  return `${name}: ${first}`.slice(0, 300);
}
