/**
 * Writers of one output file (a shard), in units that end at article boundaries:
 * a line file writes gzip members / zstd frames (or plain batches) of at most a unit's
 * bytes, a Parquet file writes row groups. After each unit the file's exact size is
 * known, which is what shard cutting and resuming rely on.
 *
 * @module
 */

import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { type CompressorThread, worstCase } from "./_compress.ts";
import { compressStream, zstdBytes } from "./_codecs.ts";
import type { Compression } from "./_names.ts";

/** A Parquet row as the `wikimedia/wikipedia` schema has it, plus `categories`. */
export interface Row {
  id: number;
  url: string;
  title: string;
  text: string;
  categories: string[];
}

/** One article (or redirect line) ready for a file: its bytes, or its row, and its size. */
export interface Item {
  /** UTF-8 bytes the item adds before compression. */
  size: number;
  bytes?: Uint8Array;
  row?: Row;
}

/** Writes one file in units; see the module doc. */
export interface FileEncoder {
  /** Bytes the file holds at the end of the last unit (exact). */
  readonly committed: number;
  /** Uncompressed bytes taken since the last unit ended. */
  readonly open: number;
  /** Whether a unit's end is a prefix a resumed run may continue (false for Parquet). */
  readonly resumable: boolean;
  /** The most bytes the finished file can take if `extra` more uncompressed bytes are added now. */
  bound(extra: number): number;
  add(item: Item): Promise<void>;
  /** Ends the open unit (nothing when none is open). */
  endUnit(): Promise<void>;
  /** Ends the unit, writes what the format needs at the end, closes the file. */
  finish(): Promise<void>;
  abort(reason: unknown): Promise<void>;
}

/** Output bytes are handed on in chunks of this size: a unit's batches are the same in every run. */
const BATCH = 1 << 20;

/** Text or JSON lines, plain or compressed, one gzip member / zstd frame per unit. */
export class LineEncoder implements FileEncoder {
  readonly resumable = true;
  #file: WritableStreamDefaultWriter<Uint8Array>;
  #compression: Compression;
  #member: { writer: WritableStreamDefaultWriter<Uint8Array>; done: Promise<void> } | null = null;
  #memberBytes = 0;
  #batch = new Uint8Array(BATCH);
  #pos = 0;
  committed: number;
  open = 0;

  #thread: CompressorThread | null;

  /** With `thread`, members are compressed on that worker. */
  constructor(
    file: WritableStream<Uint8Array>,
    compression: Compression,
    committed = 0,
    thread: CompressorThread | null = null,
  ) {
    this.#file = file.getWriter();
    this.#compression = compression;
    this.committed = committed;
    this.#thread = thread;
  }

  bound(extra: number): number {
    return this.committed + worstCase(this.open + extra, this.#compression);
  }

  async add(item: Item): Promise<void> {
    const bytes = item.bytes!;
    this.open += bytes.length;
    if (this.#pos + bytes.length <= BATCH) {
      this.#batch.set(bytes, this.#pos);
      this.#pos += bytes.length;
      if (this.#pos === BATCH) await this.#flushBatch();
      return;
    }
    await this.#flushBatch();
    if (bytes.length >= BATCH) await this.#write(bytes);
    else {
      this.#batch.set(bytes);
      this.#pos = bytes.length;
    }
  }

  async #flushBatch(): Promise<void> {
    if (this.#pos === 0) return;
    const chunk = this.#batch.subarray(0, this.#pos);
    // The chunk is handed on, so the next batch needs a buffer of its own.
    this.#batch = new Uint8Array(BATCH);
    this.#pos = 0;
    await this.#write(chunk);
  }

  async #write(chunk: Uint8Array): Promise<void> {
    if (this.#compression === "none") {
      await this.#file.write(chunk);
      return;
    }
    if (this.#member === null) {
      const cs = this.#thread?.member(this.#compression) ?? compressStream(this.#compression);
      const file = this.#file;
      this.#memberBytes = 0;
      const done = cs.readable.pipeTo(
        new WritableStream<Uint8Array>({
          write: async (c) => {
            this.#memberBytes += c.length;
            await file.write(c);
          },
        }),
      );
      this.#member = { writer: cs.writable.getWriter(), done };
    }
    await this.#member.writer.write(chunk);
  }

  async endUnit(): Promise<void> {
    await this.#flushBatch();
    if (this.#member !== null) {
      await this.#member.writer.close();
      await this.#member.done;
      this.#member = null;
      this.committed += this.#memberBytes;
    } else {
      this.committed += this.open;
    }
    this.open = 0;
  }

  async finish(): Promise<void> {
    // An empty file is no valid gzip or zstd: an empty output is one empty member.
    if (this.committed === 0 && this.open === 0 && this.#compression !== "none") {
      await this.#write(new Uint8Array(0));
    }
    await this.endUnit();
    await this.#file.close();
  }

  async abort(reason: unknown): Promise<void> {
    await this.#member?.writer.abort(reason).catch(() => {});
    await this.#file.abort(reason).catch(() => {});
  }
}

/** Bytes flushed by hyparquet-writer after each row group go on to the file. */
class StreamByteWriter extends ByteWriter {
  #file: WritableStreamDefaultWriter<Uint8Array>;
  constructor(file: WritableStreamDefaultWriter<Uint8Array>) {
    super(BATCH);
    this.#file = file;
  }
  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.#file.write(bytes);
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" } as const;

/** `id`, `url`, `title`, `text` (the `wikimedia/wikipedia` columns), `categories` (a list). */
const SCHEMA = [
  { name: "root", num_children: 5 },
  { name: "id", type: "INT64", repetition_type: "REQUIRED" },
  { name: "url", ...STRING },
  { name: "title", ...STRING },
  { name: "text", ...STRING },
  { name: "categories", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", ...STRING },
] as const;

/**
 * Parquet, zstd-compressed, one row group per unit. Only a finished file is valid, so
 * a unit end is no resume point: an unfinished shard is written again.
 */
export class ParquetEncoder implements FileEncoder {
  readonly resumable = false;
  #file: WritableStreamDefaultWriter<Uint8Array>;
  #bytes: StreamByteWriter;
  #writer: ParquetWriter;
  #rows: Row[] = [];
  #groups = 0;
  #total = 0;
  open = 0;

  constructor(file: WritableStream<Uint8Array>) {
    this.#file = file.getWriter();
    this.#bytes = new StreamByteWriter(this.#file);
    this.#writer = new ParquetWriter({
      writer: this.#bytes,
      // deno-lint-ignore no-explicit-any
      schema: SCHEMA as any,
      codec: "ZSTD",
      compressors: { ZSTD: zstdBytes },
      createdBy: "wikizh",
    });
  }

  get committed(): number {
    return this.#bytes.offset;
  }

  bound(extra: number): number {
    const bytes = this.open + extra;
    const rows = this.#rows.length + 1;
    // Per row: an int64, four length prefixes and levels. Per row group: page headers
    // and its footer entry (five column chunks with statistics and offset indexes).
    const group = worstCase(bytes, "zstd") + rows * 32 + 8192;
    const footer = 2048 + (this.#groups + 1) * 4096 +
      Math.ceil((this.#total + bytes) / 2 ** 20) * 64;
    return this.committed + group + footer;
  }

  add(item: Item): Promise<void> {
    this.#rows.push(item.row!);
    this.open += item.size;
    return Promise.resolve();
  }

  async endUnit(): Promise<void> {
    const rows = this.#rows;
    if (rows.length === 0) return;
    this.#rows = [];
    this.#total += this.open;
    this.open = 0;
    this.#groups++;
    await this.#writer.write({
      rowGroupSize: rows.length,
      columnData: [
        { name: "id", data: rows.map((r) => BigInt(r.id)), encoding: "DELTA_BINARY_PACKED" },
        { name: "url", data: rows.map((r) => r.url), encoding: "PLAIN" },
        { name: "title", data: rows.map((r) => r.title), encoding: "PLAIN" },
        { name: "text", data: rows.map((r) => r.text), encoding: "PLAIN" },
        { name: "categories", data: rows.map((r) => r.categories) },
      ],
    });
  }

  async finish(): Promise<void> {
    await this.endUnit();
    await this.#writer.finish();
    await this.#file.close();
  }

  async abort(reason: unknown): Promise<void> {
    await this.#file.abort(reason).catch(() => {});
  }
}
