/**
 * Error classes shared by all stages, each with the position where the input broke,
 * and the one "report the error and end cleanly" helper the streams share.
 *
 * Which exit code an error gets is the CLI's business (`cli/_report.ts`), not the error's.
 *
 * @module
 */

/** Base of all wikizh errors: a message meant for the user, one line. */
export class WikizhError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The compressed input is not valid bzip2 (bad magic, CRC mismatch, truncation…). */
export class Bz2FormatError extends WikizhError {
  /** Offset in the compressed input, in bytes, where the problem was found. */
  readonly byteOffset: number;
  /** 1-based block number within the whole input, when known. */
  readonly block?: number;
  constructor(message: string, byteOffset: number, block?: number) {
    super(message);
    this.byteOffset = byteOffset;
    this.block = block;
  }

  /** The same error, its offset counted from `base` bytes earlier in the input. */
  shifted(base: number): Bz2FormatError {
    return new Bz2FormatError(this.message, this.byteOffset + base, this.block);
  }
}

/** The XML is not a well-formed MediaWiki dump. */
export class XmlSyntaxError extends WikizhError {
  /** 1-based line and column in the XML text. */
  readonly line: number;
  readonly column: number;
  /** Byte offset in the (decompressed) XML when known exactly, else -1. */
  readonly byteOffset: number;
  constructor(message: string, line: number, column: number, byteOffset = -1) {
    super(message);
    this.line = line;
    this.column = column;
    this.byteOffset = byteOffset;
  }

  /**
   * The same error as seen from further up the dump: `lines` lines and `bytes` bytes came
   * before the text that was parsed (negative: a prefix that is not the dump's is taken off).
   */
  shifted(lines: number, bytes: number): XmlSyntaxError {
    const Cls = this instanceof NotADumpError ? NotADumpError : XmlSyntaxError;
    const byteOffset = this.byteOffset >= 0 ? this.byteOffset + bytes : -1;
    return new Cls(this.message, this.line + lines, this.column, byteOffset);
  }
}

/**
 * The input is well-formed enough to read but is not a MediaWiki dump at all (an HTML
 * page, some other XML, plain text): a wrong file, not a damaged dump.
 */
export class NotADumpError extends XmlSyntaxError {}

/** Bad command-line usage. */
export class UsageError extends WikizhError {}

/** A path cannot be read or written, or may not be (it is the input, it exists…). */
export class IoError extends WikizhError {
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

/** A rules file (`wikizh rules`) is malformed. */
export class RulesError extends WikizhError {}

/**
 * How a stream reports damage: to `onError`, after which it ends normally, so that the
 * next stage still finishes what it holds (an errored Web Stream drops its queues).
 * Without `onError` the error is thrown and the stream errors.
 */
export type OnError = ((error: unknown) => void) | undefined;

/** Reports `error` as {@link OnError} says and ends the stream `controller` belongs to. */
export function endWithError(
  controller: TransformStreamDefaultController<unknown>,
  error: unknown,
  onError: OnError,
): void {
  if (onError === undefined) throw error;
  onError(error);
  controller.terminate();
}
