/**
 * Error classes shared by all stages. Each carries a position so that
 * `main.ts` can print one line naming the file and where it broke.
 *
 * @module
 */

/** Base of all wikizh errors: `exitCode` is what the CLI exits with. */
export class WikizhError extends Error {
  /** 1: input damaged; 2: usage or I/O error. */
  exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The compressed input is not valid bzip2 (bad magic, CRC mismatch, truncation…). */
export class Bz2FormatError extends WikizhError {
  /** Offset in the compressed input, in bytes, where the problem was found. */
  byteOffset: number;
  /** 1-based block number within the whole input, when known. */
  block?: number;
  constructor(message: string, byteOffset: number, block?: number) {
    super(message, 1);
    this.byteOffset = byteOffset;
    this.block = block;
  }
}

/** The XML is not a well-formed MediaWiki dump. */
export class XmlSyntaxError extends WikizhError {
  /** 1-based line and column in the XML text. */
  line: number;
  column: number;
  /** Byte offset in the (decompressed) XML when known exactly, else -1. */
  byteOffset: number;
  constructor(message: string, line: number, column: number, byteOffset = -1) {
    super(message, 1);
    this.line = line;
    this.column = column;
    this.byteOffset = byteOffset;
  }
}

/**
 * The input is well-formed enough to read but is not a MediaWiki dump at all (an HTML
 * page, some other XML, plain text): a usage error (exit 2), not a damaged dump.
 */
export class NotADumpError extends XmlSyntaxError {
  constructor(message: string, line: number, column: number, byteOffset = -1) {
    super(message, line, column, byteOffset);
    this.exitCode = 2;
  }
}

/** Bad command-line usage. */
export class UsageError extends WikizhError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A path cannot be read or written. */
export class IoError extends WikizhError {
  path: string;
  constructor(message: string, path: string) {
    super(message, 2);
    this.path = path;
  }
}

/** A rules file (`wikizh rules`) is malformed. */
export class RulesError extends WikizhError {
  constructor(message: string) {
    super(message, 2);
  }
}
