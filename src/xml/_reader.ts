/**
 * A byte-level scanner of MediaWiki dumps: finds `<page>` records in UTF-8 bytes and
 * decodes only the fields a page record needs, each once, straight from the input bytes.
 * It checks what a dump's XML must satisfy (nesting, entities, UTF-8, one root) without
 * building a general XML event stream.
 *
 * @module
 */

import { NotADumpError, XmlSyntaxError } from "../errors.ts";
import type { PageRecord } from "../types.ts";
import { NamespaceTable } from "./_namespaces.ts";
import { countChars, firstInvalid, sequenceLength } from "./_utf8.ts";
import { unescapeNamed } from "./_unescape.ts";

/** Largest `<text>` (raw bytes as in the dump) kept; a page with a larger one is skipped. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;
/** Largest tag, comment-free token (`<!DOCTYPE`, `<?…?>`) or small field (`<title>`…). */
const MAX_TOKEN = 1 << 20;
/** Deepest element nesting accepted (a dump needs 5). */
const MAX_DEPTH = 256;

/** Options of {@link PageReader}. */
export interface PageReaderOptions {
  /** Offset of the first byte in the whole dump: error offsets count from the dump's start. */
  baseOffset?: number;
  /** Lines before the first byte: error lines count from the dump's start. */
  baseLine?: number;
  /**
   * The bytes start inside `<mediawiki>` (a later fragment of a dump): no prolog or
   * header is expected, and pages may come at once.
   */
  startInRoot?: boolean;
  /** The bytes may end inside `<mediawiki>` (not the dump's last fragment). */
  endInRoot?: boolean;
  /** See {@link MAX_TEXT_BYTES} (the default). */
  maxTextBytes?: number;
}

const enum Field {
  None,
  Title,
  Ns,
  Id,
  Text,
  Namespace,
}

const enum Mode {
  /** Before the first non-space byte: it must be `<`. */
  Start,
  Content,
  /** Inside `<!-- … -->`, looking for its end. */
  Comment,
  /** Inside `<![CDATA[ … ]]>`, looking for its end. */
  Cdata,
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QMARK = 0x3f;
const DASH = 0x2d;
const RSQB = 0x5d;
const SEMI = 0x3b;
const CR = 0x0d;
const LF = 0x0a;
const EQ = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;

/** Children a `<revision>` may have in export formats 0.3–0.11. */
const REVISION_CHILDREN = new Set([
  "id",
  "parentid",
  "timestamp",
  "contributor",
  "minor",
  "comment",
  "model",
  "format",
  "text",
  "sha1",
  "origin",
  "content",
]);

const CDATA_OPEN = [0x3c, 0x21, 0x5b, 0x43, 0x44, 0x41, 0x54, 0x41, 0x5b]; // <![CDATA[
const DOCTYPE = [0x3c, 0x21, 0x44, 0x4f, 0x43, 0x54, 0x59, 0x50, 0x45]; // <!DOCTYPE

function isSpace(b: number): boolean {
  return b === 0x20 || b === LF || b === CR || b === 0x09;
}

/** Bytes that end a name in a tag. */
function endsName(b: number): boolean {
  return isSpace(b) || b === GT || b === SLASH || b === EQ || b === LT || b === QUOT ||
    b === APOS;
}

/** ASCII bytes allowed to start an XML name (any non-ASCII start is checked as UTF-8 only). */
function nameStart(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x5f || b === 0x3a ||
    b >= 0x80;
}

function nameChar(b: number): boolean {
  return nameStart(b) || (b >= 0x30 && b <= 0x39) || b === DASH || b === 0x2e;
}

/** Thrown inside the scanner when a token is cut off by the end of the bytes so far. */
const NEED_MORE = Symbol("need more");

/**
 * Reads a MediaWiki XML dump (UTF-8) pushed in pieces and returns its pages as they
 * complete. Synchronous, for workers that hold the bytes already; the
 * `PageTokenizerStream` is this reader in a `TransformStream`.
 *
 * Errors: the call that meets damage returns the pages completed before it; the error
 * is then in {@link error} and every later call throws it (a call with no page to return
 * throws at once). Errors are `XmlSyntaxError`s (`NotADumpError` for input that is no
 * dump) with the line, column (in characters) and byte offset of the fault, counted from
 * the dump's start (see {@link PageReaderOptions}).
 *
 * Memory is bounded: text outside the fields a record needs is checked and dropped as it
 * is scanned, however long the run of whitespace or the comment; a `<text>` larger than
 * `maxTextBytes` is dropped and its page comes out with `text: ""` and `skip: "oversize"`.
 */
export class PageReader {
  #buf = new Uint8Array(1 << 16);
  /** `#buf` as 32-bit words, to count newlines four bytes at a time. */
  #words = new Uint32Array(this.#buf.buffer);
  /** `#buf.subarray(0, #len)`: searches must not see stale bytes past the end. */
  #view = this.#buf.subarray(0, 0);
  #len = 0;
  /** Absolute offset of `#buf[0]`. */
  #base: number;
  /** Next byte to scan (relative). */
  #pos = 0;
  /** Absolute offset from which bytes must be kept (a field's start), or -1. */
  #keep = -1;
  #final = false;
  #mode = Mode.Start;
  #error: XmlSyntaxError | null = null;
  #pages: PageRecord[] = [];
  readonly #maxText: number;
  readonly #endInRoot: boolean;

  // Lines: counted up to #lineAt (absolute), which never passes what is still in #buf.
  #lineAt: number;
  #line: number;
  #lineStart: number;
  /** Characters of the current line before #buf[0], when the line started earlier. */
  #colCarry = 0;

  #stack: string[] = [];
  #sawRoot = false;
  #rootClosed = false;
  #names = new Map<number, string>();
  #namespaces = new NamespaceTable();
  #decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /**
   * Decodes first: a fatal TextDecoder took 2.4× the time of one that replaces what is
   * invalid plus a search of its output for U+FFFD (60 MB of a dump in 20 KB pieces: 63
   * against 26 ms). Only text with U+FFFD in it, valid or not, is decoded again by the
   * fatal one.
   */
  #loose = new TextDecoder("utf-8", { ignoreBOM: true });
  #scratch = new Uint8Array(1 << 16);

  // The field being read.
  #field = Field.None;
  #fieldStart = 0;
  /** The field holds CDATA, a comment or a processing instruction: decode it piecewise. */
  #fieldMarkup = false;
  /** The `<text>` passed the size limit: its bytes are checked and dropped. */
  #oversize = false;

  // The page being read.
  #inPage = false;
  #title: string | null = null;
  #ns: number | null = null;
  #id: number | null = null;
  #redirect: string | null = null;
  #text = "";
  #textOversize = false;
  #nsKey = 0;
  #revisionHasText = false;
  #strayInRevision: string | null = null;

  // Attributes of the tag just read: [nameStart, nameEnd, valueStart, valueEnd] per entry.
  #attrs = new Int32Array(64);
  #attrCount = 0;

  // Encoding: UTF-8, or UTF-16 with a byte-order mark (transcoded to UTF-8 on entry).
  #bomChecked = false;
  #sniffed = false;
  #head = new Uint8Array(0);
  #utf16: TextDecoder | null = null;
  readonly #baseLine: number;

  constructor(options: PageReaderOptions = {}) {
    this.#base = options.baseOffset ?? 0;
    this.#lineAt = this.#base;
    this.#lineStart = this.#base;
    this.#baseLine = options.baseLine ?? 0;
    this.#line = this.#baseLine + 1;
    this.#maxText = options.maxTextBytes ?? MAX_TEXT_BYTES;
    this.#endInRoot = options.endInRoot ?? false;
    if (options.startInRoot) {
      this.#sniffed = true;
      this.#bomChecked = true;
      this.#sawRoot = true;
      this.#stack.push("mediawiki");
      this.#mode = Mode.Content;
    }
  }

  /** The error met so far, or null. */
  get error(): XmlSyntaxError | null {
    return this.#error;
  }

  /** Newlines read (all of them once {@link end} returned): the next fragment's `baseLine`. */
  get lines(): number {
    return this.#line - 1 - this.#baseLine;
  }

  /**
   * Newlines in everything pushed so far. The reader counts them anyway, as it drops bytes:
   * taken before and after a push, this gives the pushed bytes' newlines without another
   * pass over them.
   */
  linesThroughEnd(): number {
    this.#countLines(this.#base + this.#len);
    return this.lines;
  }

  /**
   * Passes over whole pages that another reader read (their {@link spanOf}): positions
   * after them count them. Only between pages, once everything pushed so far has been read.
   */
  skip(span: Span): void {
    const { bytes, lines, tailChars } = span;
    if (this.#error) throw this.#error;
    const between = this.#sniffed && this.#utf16 === null && this.#pos === this.#len &&
      this.#keep < 0 && !this.#inPage && this.#stack.length === 1 && this.#mode === Mode.Content;
    if (!between) throw new Error("PageReader: skip is only allowed between pages");
    const end = this.#base + this.#len;
    this.#countLines(end);
    // Column of the skipped bytes' end: after their last newline, or the current line's.
    const lineRel = this.#lineStart - this.#base;
    const col = lines > 0
      ? tailChars
      : (lineRel >= 0
        ? countChars(this.#buf, lineRel, this.#len)
        : this.#colCarry + countChars(this.#buf, 0, this.#len)) + tailChars;
    this.#base = end + bytes;
    this.#len = 0;
    this.#pos = 0;
    this.#view = this.#buf.subarray(0, 0);
    this.#ampAt = -2;
    this.#line += lines;
    this.#lineAt = this.#base;
    // Before #buf[0]: columns then count from #colCarry.
    this.#lineStart = this.#base - 1;
    this.#colCarry = col;
  }

  /** Takes the next bytes; returns the pages they complete. */
  push(bytes: Uint8Array): PageRecord[] {
    if (this.#error) throw this.#error;
    if (this.#final) throw new Error("PageReader: push after end");
    this.#feed(bytes, false);
    return this.#take();
  }

  /** Ends the input; returns the last pages, or throws what is wrong with the end. */
  end(): PageRecord[] {
    if (this.#error) throw this.#error;
    if (!this.#final) {
      this.#feed(new Uint8Array(0), true);
      this.#final = true;
      this.#run();
      if (!this.#error) {
        try {
          this.#finish();
          this.#countLines(this.#base + this.#len);
        } catch (e) {
          this.#catch(e);
        }
      }
    }
    return this.#take();
  }

  #feed(bytes: Uint8Array, final: boolean): void {
    if (!this.#sniffed) {
      const head = new Uint8Array(this.#head.length + bytes.length);
      head.set(this.#head);
      head.set(bytes, this.#head.length);
      if (!final && head.length < 2 && (head.length === 0 || head[0] >= 0xfe)) {
        this.#head = head;
        return;
      }
      this.#sniffed = true;
      this.#head = new Uint8Array(0);
      if (head[0] === 0xff && head[1] === 0xfe) this.#utf16 = utf16("utf-16le");
      else if (head[0] === 0xfe && head[1] === 0xff) this.#utf16 = utf16("utf-16be");
      bytes = head;
    }
    if (this.#utf16 !== null) {
      try {
        const s = this.#utf16.decode(bytes, { stream: !final });
        bytes = new TextEncoder().encode(s);
      } catch {
        this.#error = this.#fail("invalid UTF-16 data", this.#base + this.#len);
        return;
      }
    }
    if (bytes.length > 0) {
      this.#append(bytes);
      if (!final) this.#run();
    }
  }

  #take(): PageRecord[] {
    const pages = this.#pages;
    if (this.#error && pages.length === 0) throw this.#error;
    this.#pages = [];
    return pages;
  }

  #catch(e: unknown): void {
    if (e instanceof XmlSyntaxError) this.#error = e;
    else throw e;
  }

  #run(): void {
    try {
      this.#scan();
    } catch (e) {
      if (e !== NEED_MORE) this.#catch(e);
    }
  }

  #finish(): void {
    const end = this.#base + this.#len;
    if (!this.#sawRoot) throw new NotADumpError("empty input: no XML document", 1, 1, 0);
    if (this.#stack.length > 0) {
      if (this.#endInRoot && this.#stack.length === 1 && this.#pos === this.#len) return;
      throw this.#fail(`input ended inside <${this.#stack[this.#stack.length - 1]}>`, end);
    }
    if (this.#mode === Mode.Comment) throw this.#fail("input ended inside a comment", end);
    if (this.#pos < this.#len) throw this.#fail("input ended inside markup", end);
  }

  // --- Buffer -------------------------------------------------------------------------

  #append(bytes: Uint8Array): void {
    // Drop what no one needs again: before the scan position and any field being kept.
    const keepFrom = this.#keep >= 0 ? Math.min(this.#keep - this.#base, this.#pos) : this.#pos;
    if (
      keepFrom > 0 && (keepFrom >= this.#len / 2 || this.#len + bytes.length > this.#buf.length)
    ) {
      this.#countLines(this.#base + keepFrom);
      const lineRel = this.#lineStart - this.#base;
      this.#colCarry = lineRel >= 0
        ? countChars(this.#buf, lineRel, keepFrom)
        : this.#colCarry + countChars(this.#buf, 0, keepFrom);
      this.#buf.copyWithin(0, keepFrom, this.#len);
      this.#ampAt = -2;
      this.#len -= keepFrom;
      this.#pos -= keepFrom;
      this.#base += keepFrom;
    }
    if (this.#len + bytes.length > this.#buf.length) {
      const bigger = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + bytes.length));
      bigger.set(this.#buf.subarray(0, this.#len));
      this.#buf = bigger;
      this.#words = new Uint32Array(bigger.buffer, 0, bigger.length >> 2);
    }
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
    this.#view = this.#buf.subarray(0, this.#len);
  }

  /** Counts newlines up to absolute offset `to` (at most the end of the bytes held). */
  #countLines(to: number): void {
    if (to <= this.#lineAt) return;
    const from = this.#lineAt - this.#base;
    const end = to - this.#base;
    const n = countNewlines(this.#buf, this.#words, from, end);
    if (n > 0) {
      this.#line += n;
      this.#lineStart = this.#base + from + this.#view.subarray(from, end).lastIndexOf(LF) + 1;
    }
    this.#lineAt = to;
  }

  /** An error at absolute offset `at`, with its line and column. */
  #fail(message: string, at: number, Cls = XmlSyntaxError): XmlSyntaxError {
    this.#countLines(at);
    const lineRel = this.#lineStart - this.#base;
    const at1 = at - this.#base;
    const col = lineRel >= 0
      ? countChars(this.#buf, lineRel, at1)
      : this.#colCarry + countChars(this.#buf, 0, at1);
    // Offsets into UTF-16 input would count its UTF-8 transcoding: none is better.
    return new Cls(message, this.#line, col + 1, this.#utf16 !== null ? -1 : at);
  }

  #badUtf8(at: number): XmlSyntaxError {
    return this.#fail("invalid UTF-8 data", at);
  }

  // --- Scanner ------------------------------------------------------------------------

  #scan(): void {
    const view = this.#view;
    const len = this.#len;
    if (this.#mode === Mode.Start) {
      let i = this.#pos;
      if (!this.#bomChecked) {
        // A UTF-8 byte-order mark is skipped (a UTF-16 one made #push transcode).
        if (len < 3 && !this.#final && view[0] === 0xef) throw NEED_MORE;
        if (len >= 3 && view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf) i = 3;
        this.#bomChecked = true;
      }
      while (i < len && isSpace(view[i])) i++;
      this.#pos = i;
      if (i === len) throw NEED_MORE;
      if (view[i] !== LT) throw new NotADumpError("not an XML file", 1, 1, 0);
      this.#mode = Mode.Content;
    }
    for (;;) {
      if (this.#mode === Mode.Comment) this.#skipUntil(DASH, "-->", true);
      else if (this.#mode === Mode.Cdata) this.#skipUntil(RSQB, "]]>", false);
      const pos = this.#pos;
      if (pos >= len) throw NEED_MORE;
      if (this.#field !== Field.None && !this.#oversize) {
        // Field text stays in the buffer until its end tag; only find the next markup.
        const lt = view.indexOf(LT, pos);
        if (lt < 0) {
          this.#pos = len;
          this.#checkFieldSize();
          throw NEED_MORE;
        }
        this.#pos = lt;
        this.#checkFieldSize();
        if (this.#oversize) continue;
      } else if (view[pos] !== LT) {
        this.#pos = this.#checkText(pos);
        continue;
      }
      this.#markup();
    }
  }

  /** A field that grew past its limit: a `<text>` is dropped from here on, others are errors. */
  #checkFieldSize(): void {
    const size = this.#base + this.#pos - this.#fieldStart;
    if (this.#field !== Field.Text) {
      if (size <= MAX_TOKEN) return;
      const name = this.#stack[this.#stack.length - 1];
      throw this.#fail(`<${name}> is longer than 1 MiB`, this.#fieldStart);
    }
    if (size <= this.#maxText) return;
    // What was kept gets the checks dropped text gets (entities only when there is no
    // CDATA: inside it, & is no entity), then the rest is checked as it streams by.
    const view = this.#view;
    const from = this.#fieldStart - this.#base;
    let to = this.#checkUtf8(from, this.#pos);
    if (!this.#fieldMarkup) {
      for (let k = find(view, AMP, from, to); k >= 0; k = find(view, AMP, k + 1, to)) {
        const semi = this.#entityEnd(k);
        if (semi < 0) {
          to = k;
          break;
        }
        this.#entity(k, semi);
      }
    }
    this.#pos = to;
    this.#oversize = true;
    this.#keep = -1;
  }

  /**
   * Finds the end of a comment or CDATA section from #pos; without it, checks and drops
   * what was scanned (unless a field keeps it) and asks for more.
   */
  #skipUntil(first: number, closer: string, comment: boolean): void {
    const view = this.#view;
    const second = closer.charCodeAt(1);
    for (let i = this.#pos;;) {
      const k = view.indexOf(first, i);
      if (k < 0 || k + 2 >= this.#len) {
        // The closer may start in the last two bytes: they wait for more.
        this.#pos = this.#checkUtf8(this.#pos, k < 0 ? Math.max(this.#pos, this.#len - 2) : k);
        throw NEED_MORE;
      }
      if (view[k + 1] === second && view[k + 2] === GT) {
        const bad = firstInvalid(view, this.#pos, k);
        if (bad >= 0) throw this.#badUtf8(this.#base + bad);
        this.#pos = k + 3;
        this.#mode = Mode.Content;
        return;
      }
      if (comment && view[k + 1] === DASH) {
        throw this.#fail('"--" is not allowed inside a comment', this.#base + k);
      }
      i = k + 1;
    }
  }

  /**
   * Checks UTF-8 in [from, to); returns `to`, or the start of a sequence cut off by the
   * end of the bytes so far (it is checked again once they are there).
   */
  #checkUtf8(from: number, to: number): number {
    const view = this.#view;
    let i = from;
    while (i < to) {
      if (view[i] < 0x80) {
        i++;
        continue;
      }
      const n = sequenceLength(view, i, this.#len);
      if (n === 0 || (n < 0 && this.#final)) throw this.#badUtf8(this.#base + i);
      if (n < 0) return i;
      i += n;
    }
    return Math.max(i, from);
  }

  /** Checks [from, to) of complete markup (an instruction, a doctype) for UTF-8. */
  #checkComplete(from: number, to: number): void {
    const bad = firstInvalid(this.#view, from, to);
    if (bad >= 0) throw this.#badUtf8(this.#base + bad);
  }

  /**
   * Character data outside the fields kept: checked (UTF-8, entities, only whitespace
   * outside the root) and dropped. Returns where it stopped: at `<`, or (asking for more)
   * before a sequence or entity cut off by the end of the bytes.
   */
  #checkText(from: number): number {
    const view = this.#view;
    const len = this.#len;
    const outside = this.#stack.length === 0;
    let i = from;
    while (i < len) {
      const b = view[i];
      if (b === LT) return i;
      if (b < 0x80) {
        if (outside && !isSpace(b)) {
          throw this.#fail("text outside the root element", this.#base + i);
        }
        if (b !== AMP) {
          i++;
          continue;
        }
        const semi = this.#entityEnd(i);
        if (semi < 0) break;
        this.#entity(i, semi);
        i = semi + 1;
        continue;
      }
      if (outside) throw this.#fail("text outside the root element", this.#base + i);
      const n = sequenceLength(view, i, len);
      if (n === 0 || (n < 0 && this.#final)) throw this.#badUtf8(this.#base + i);
      if (n < 0) break;
      i += n;
    }
    this.#pos = i;
    throw NEED_MORE;
  }

  /** Stops at `i` (a token's start) until more bytes arrive. */
  #needMoreAt(i: number): symbol {
    this.#pos = i;
    return NEED_MORE;
  }

  /** Index of the `;` ending the entity at `i`, or -1 when more bytes may complete it. */
  #entityEnd(i: number): number {
    const view = this.#view;
    const max = Math.min(this.#len, i + 12);
    for (let k = i + 1; k < max; k++) {
      const b = view[k];
      if (b === SEMI) return k;
      if (!nameChar(b) && b !== 0x23 /* # */) break;
    }
    if (max === this.#len && max < i + 12 && !this.#final) return -1;
    throw this.#fail("malformed entity reference", this.#base + i);
  }

  /**
   * The character an entity `&…;` at [amp, semi] stands for, as a code point; throws
   * for an unknown entity or a character XML does not allow.
   */
  #entity(amp: number, semi: number): number {
    const v = this.#view;
    const n = semi - amp - 1;
    const c1 = v[amp + 1];
    if (c1 === 0x23) {
      let cp = 0;
      const hex = v[amp + 2] === 0x78;
      let k = amp + (hex ? 3 : 2);
      if (k >= semi) throw this.#fail("malformed character reference", this.#base + amp);
      for (; k < semi; k++) {
        const d = v[k];
        let x: number;
        if (d >= 0x30 && d <= 0x39) x = d - 0x30;
        else if (hex && d >= 0x61 && d <= 0x66) x = d - 0x57;
        else if (hex && d >= 0x41 && d <= 0x46) x = d - 0x37;
        else throw this.#fail("malformed character reference", this.#base + amp);
        cp = cp * (hex ? 16 : 10) + x;
        if (cp > 0x10ffff) break;
      }
      const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
        (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (!ok) throw this.#fail("character reference to a disallowed character", this.#base + amp);
      return cp;
    }
    if (n === 2 && v[amp + 2] === 0x74) {
      if (c1 === 0x6c) return 0x3c; // lt
      if (c1 === 0x67) return 0x3e; // gt
    }
    if (n === 3 && c1 === 0x61 && v[amp + 2] === 0x6d && v[amp + 3] === 0x70) return 0x26;
    if (n === 4) {
      const a = v[amp + 2], b = v[amp + 3], c = v[amp + 4];
      if (c1 === 0x71 && a === 0x75 && b === 0x6f && c === 0x74) return 0x22; // quot
      if (c1 === 0x61 && a === 0x70 && b === 0x6f && c === 0x73) return 0x27; // apos
    }
    const name = String.fromCharCode(...v.subarray(amp + 1, semi));
    throw this.#fail(`undefined entity &${name};`, this.#base + amp);
  }

  /** Markup at #pos (a `<`): a tag, comment, CDATA section, doctype or instruction. */
  #markup(): void {
    const view = this.#view;
    const len = this.#len;
    const lt = this.#pos;
    if (lt + 1 >= len) throw this.#needMoreAt(lt);
    const c = view[lt + 1];
    if (c === SLASH) return this.#endTag(lt);
    if (c === BANG) {
      if (lt + 3 >= len) throw this.#needMoreAt(lt);
      if (view[lt + 2] === DASH && view[lt + 3] === DASH) {
        if (this.#field !== Field.None) this.#fieldMarkup = true;
        this.#mode = Mode.Comment;
        this.#pos = lt + 4;
        return;
      }
      if (view[lt + 2] === 0x5b) {
        if (!this.#startsWith(lt, CDATA_OPEN)) {
          throw this.#fail("malformed CDATA section", this.#base + lt);
        }
        if (this.#stack.length === 0) {
          throw this.#fail("CDATA outside the root element", this.#base + lt);
        }
        if (this.#field !== Field.None) this.#fieldMarkup = true;
        this.#mode = Mode.Cdata;
        this.#pos = lt + CDATA_OPEN.length;
        return;
      }
      if (this.#startsWith(lt, DOCTYPE) && !this.#sawRoot) return this.#doctype(lt);
      throw this.#fail("malformed markup after <!", this.#base + lt);
    }
    if (c === QMARK) {
      const end = this.#find(lt + 2, QMARK, GT);
      if (this.#field !== Field.None) this.#fieldMarkup = true;
      this.#checkComplete(lt, end);
      this.#pos = end + 2;
      return;
    }
    if (this.#field !== Field.None) {
      const name = this.#stack[this.#stack.length - 1];
      throw this.#fail(`unexpected element inside <${name}>`, this.#base + lt);
    }
    this.#startTag(lt);
  }

  #startsWith(at: number, bytes: number[]): boolean {
    if (at + bytes.length > this.#len) throw this.#needMoreAt(at);
    for (let k = 0; k < bytes.length; k++) if (this.#view[at + k] !== bytes[k]) return false;
    return true;
  }

  /** Index of the two-byte sequence a b from `from` in the current token; waits for more. */
  #find(from: number, a: number, b: number): number {
    const view = this.#view;
    let i = from;
    for (;;) {
      const k = view.indexOf(a, i);
      if (k < 0 || k + 1 >= this.#len) {
        this.#tokenLimit(this.#pos);
        throw NEED_MORE;
      }
      if (view[k + 1] === b) return k;
      i = k + 1;
    }
  }

  /** A token still incomplete after MAX_TOKEN bytes is an error, not a reason to buffer. */
  #tokenLimit(start: number): void {
    if (this.#len - start > MAX_TOKEN) {
      throw this.#fail("markup longer than 1 MiB", this.#base + start);
    }
  }

  #doctype(lt: number): void {
    const view = this.#view;
    let depth = 0;
    let quote = 0;
    for (let i = lt + DOCTYPE.length; i < this.#len; i++) {
      const b = view[i];
      if (quote !== 0) {
        if (b === quote) quote = 0;
      } else if (b === QUOT || b === APOS) quote = b;
      else if (b === 0x5b) depth++;
      else if (b === RSQB) depth--;
      else if (b === GT && depth <= 0) {
        this.#checkComplete(lt, i);
        this.#pos = i + 1;
        return;
      }
    }
    this.#tokenLimit(lt);
    throw this.#needMoreAt(lt);
  }

  /** Reads a name from `i`; returns its end. */
  #nameEnd(i: number, lt: number): number {
    const view = this.#view;
    if (i >= this.#len) throw this.#needMoreAt(lt);
    if (!nameStart(view[i])) throw this.#fail("bad character in a name", this.#base + i);
    let k = i + 1;
    while (k < this.#len && !endsName(view[k])) {
      if (!nameChar(view[k])) throw this.#fail("bad character in a name", this.#base + k);
      k++;
    }
    if (k >= this.#len) {
      this.#tokenLimit(lt);
      throw this.#needMoreAt(lt);
    }
    return k;
  }

  /** The name in [from, to) as a string; names of ASCII bytes are interned. */
  #name(from: number, to: number): string {
    const view = this.#view;
    let h = to - from;
    let ascii = true;
    for (let k = from; k < to; k++) {
      const b = view[k];
      if (b >= 0x80) ascii = false;
      h = (Math.imul(h, 31) + b) | 0;
    }
    if (ascii) {
      const known = this.#names.get(h);
      if (known !== undefined && this.#nameIs(known, from, to)) return known;
      const s = String.fromCharCode(...view.subarray(from, to));
      if (this.#names.size < 4096) this.#names.set(h, s);
      return s;
    }
    return this.#utf8(from, to);
  }

  #nameIs(s: string, from: number, to: number): boolean {
    if (s.length !== to - from) return false;
    const view = this.#view;
    for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) !== view[from + k]) return false;
    return true;
  }

  /** Decodes [from, to) of the buffer, reporting the exact place of bad UTF-8. */
  #utf8(from: number, to: number): string {
    try {
      return this.#checked(this.#view.subarray(from, to));
    } catch {
      const bad = firstInvalid(this.#view, from, to);
      throw this.#badUtf8(this.#base + (bad >= 0 ? bad : from));
    }
  }

  /** `bytes` decoded; throws as the fatal decoder does where they are not UTF-8. */
  #checked(bytes: Uint8Array): string {
    const s = this.#loose.decode(bytes);
    return s.indexOf("\uFFFD") < 0 ? s : this.#decoder.decode(bytes);
  }

  #startTag(lt: number): void {
    const view = this.#view;
    const len = this.#len;
    const nameEnd = this.#nameEnd(lt + 1, lt);
    let i = nameEnd;
    this.#attrCount = 0;
    let selfClosing = false;
    let done = false;
    while (!done) {
      const s = i;
      while (i < len && isSpace(view[i])) i++;
      if (i >= len) break;
      const b = view[i];
      if (b === GT) {
        i++;
        done = true;
      } else if (b === SLASH) {
        if (i + 1 >= len) break;
        if (view[i + 1] !== GT) throw this.#fail("expected /> to end a tag", this.#base + i);
        selfClosing = true;
        i += 2;
        done = true;
      } else {
        if (i === s) throw this.#fail("expected whitespace before an attribute", this.#base + i);
        const close = this.#attribute(i, lt);
        if (close < 0) break;
        i = close + 1;
      }
    }
    if (!done) {
      this.#tokenLimit(lt);
      throw this.#needMoreAt(lt);
    }
    const name = this.#name(lt + 1, nameEnd);
    this.#pos = i;
    this.#open(name, lt);
    if (selfClosing) this.#close(lt);
  }

  /** Reads the attribute at `i`; returns the index of its closing quote, or -1 for more. */
  #attribute(i: number, lt: number): number {
    const view = this.#view;
    const len = this.#len;
    const an = i;
    const anEnd = this.#nameEnd(i, lt);
    i = anEnd;
    while (i < len && isSpace(view[i])) i++;
    if (i >= len) return -1;
    if (view[i] !== EQ) throw this.#fail("expected = after an attribute name", this.#base + i);
    i++;
    while (i < len && isSpace(view[i])) i++;
    if (i >= len) return -1;
    const q = view[i];
    if (q !== QUOT && q !== APOS) {
      throw this.#fail("attribute value without quotes", this.#base + i);
    }
    const close = view.indexOf(q, i + 1);
    if (close < 0) return -1;
    const lt2 = find(view, LT, i + 1, close);
    if (lt2 >= 0) throw this.#fail("< inside an attribute value", this.#base + lt2);
    this.#checkAttrValue(i + 1, close);
    if (this.#attrCount * 4 + 4 > this.#attrs.length) {
      const bigger = new Int32Array(this.#attrs.length * 2);
      bigger.set(this.#attrs);
      this.#attrs = bigger;
    }
    const a = this.#attrCount++ * 4;
    this.#attrs[a] = an;
    this.#attrs[a + 1] = anEnd;
    this.#attrs[a + 2] = i + 1;
    this.#attrs[a + 3] = close;
    return close;
  }

  /** Checks entities and UTF-8 of an attribute value in [from, to). */
  #checkAttrValue(from: number, to: number): void {
    const view = this.#view;
    for (let k = find(view, AMP, from, to); k >= 0; k = find(view, AMP, k + 1, to)) {
      const semi = find(view, SEMI, k, Math.min(to, k + 12));
      if (semi < 0) throw this.#fail("malformed entity reference", this.#base + k);
      this.#entity(k, semi);
    }
    const bad = firstInvalid(view, from, to);
    if (bad >= 0) throw this.#badUtf8(this.#base + bad);
  }

  /** Value of the attribute named `name` of the tag just read, or null. */
  #attr(name: string): string | null {
    const a = this.#attrs;
    for (let k = 0; k < this.#attrCount * 4; k += 4) {
      if (this.#nameIs(name, a[k], a[k + 1])) {
        // XML normalises tabs and line breaks in attribute values to spaces.
        return this.#value(a[k + 2], a[k + 3], false).replace(/\r\n|[\t\n\r]/g, " ");
      }
    }
    return null;
  }

  #endTag(lt: number): void {
    const view = this.#view;
    const nameEnd = this.#nameEnd(lt + 2, lt);
    let i = nameEnd;
    while (i < this.#len && isSpace(view[i])) i++;
    if (i >= this.#len) {
      this.#tokenLimit(lt);
      throw this.#needMoreAt(lt);
    }
    if (view[i] !== GT) throw this.#fail("expected > to end a closing tag", this.#base + i);
    const top = this.#stack[this.#stack.length - 1];
    if (top === undefined || !this.#nameIs(top, lt + 2, nameEnd)) {
      const name = this.#name(lt + 2, nameEnd);
      throw this.#fail(
        top === undefined ? `unexpected </${name}>` : `</${name}> does not close <${top}>`,
        this.#base + lt,
      );
    }
    this.#pos = i + 1;
    this.#close(lt);
  }

  // --- Records ------------------------------------------------------------------------

  #open(name: string, lt: number): void {
    const stack = this.#stack;
    if (this.#rootClosed) throw this.#fail("a second root element", this.#base + lt);
    if (stack.length >= MAX_DEPTH) {
      throw this.#fail(`elements nested deeper than ${MAX_DEPTH}`, this.#base + lt);
    }
    const parent = stack.length > 0 ? stack[stack.length - 1] : "";
    stack.push(name);
    if (!this.#sawRoot) {
      this.#sawRoot = true;
      if (name !== "mediawiki") {
        throw this.#fail(
          `not a MediaWiki XML dump (root element <${name}>)`,
          this.#base + lt,
          NotADumpError,
        );
      }
      return;
    }
    let field = Field.None;
    if (name === "page" && parent === "mediawiki") {
      this.#inPage = true;
      this.#title = null;
      this.#ns = null;
      this.#id = null;
      this.#redirect = null;
      this.#text = "";
      this.#textOversize = false;
      return;
    }
    if (this.#inPage) {
      if (parent === "page") {
        if (name === "title") field = Field.Title;
        else if (name === "ns") field = Field.Ns;
        else if (name === "id") field = Field.Id;
        else if (name === "redirect") this.#redirect = this.#attr("title") ?? "";
        else if (name === "revision") {
          this.#revisionHasText = false;
          this.#strayInRevision = null;
        }
      } else if (parent === "revision") {
        if (name === "text") {
          field = Field.Text;
          this.#revisionHasText = true;
        } else if (!REVISION_CHILDREN.has(name) && this.#strayInRevision === null) {
          this.#strayInRevision = name;
        }
      }
    } else if (name === "namespace" && parent === "namespaces") {
      field = Field.Namespace;
      this.#nsKey = Number(this.#attr("key"));
    }
    if (field !== Field.None) {
      this.#field = field;
      this.#fieldStart = this.#base + this.#pos;
      this.#fieldMarkup = false;
      this.#oversize = false;
      this.#keep = this.#fieldStart;
    }
  }

  /** Closes the innermost element; `lt` is where its end tag (or self-closing tag) starts. */
  #close(lt: number): void {
    const name = this.#stack.pop()!;
    if (this.#stack.length === 0) this.#rootClosed = true;
    const field = this.#field;
    if (field !== Field.None) {
      this.#field = Field.None;
      this.#keep = -1;
      // A self-closing field (`<text/>`) has no content: it ends where it starts.
      const from = this.#fieldStart - this.#base;
      const to = Math.max(from, lt);
      if (field === Field.Text) {
        // Full-history dumps hold several revisions: the last one wins.
        this.#textOversize = this.#oversize;
        this.#text = this.#oversize ? "" : this.#value(from, to, this.#fieldMarkup);
        this.#oversize = false;
        return;
      }
      const value = this.#value(from, to, this.#fieldMarkup);
      if (field === Field.Title) this.#title = value;
      else if (field === Field.Ns) {
        this.#ns = parseIntStrict(value);
        if (this.#ns === null) {
          throw this.#fail(`bad <ns> value "${value.slice(0, 20)}"`, this.#base + lt);
        }
      } else if (field === Field.Id) {
        this.#id = parseIntStrict(value);
        if (this.#id === null) {
          throw this.#fail(`bad page <id> value "${value.slice(0, 20)}"`, this.#base + lt);
        }
      } else this.#namespaces.add(this.#nsKey, value);
      return;
    }
    if (!this.#inPage) return;
    if (name === "revision" && !this.#revisionHasText) {
      const where = this.#title !== null ? ` of page "${this.#title}"` : "";
      const found = this.#strayInRevision !== null ? ` (found <${this.#strayInRevision}>)` : "";
      throw this.#fail(`revision${where} has no <text>${found}`, this.#base + lt);
    }
    if (name === "page" && this.#stack.length === 1) {
      this.#inPage = false;
      const title = this.#title;
      if (title === null) {
        const id = this.#id !== null ? ` (id ${this.#id})` : "";
        throw this.#fail(`page without <title>${id}`, this.#base + lt);
      }
      const page: PageRecord = {
        id: this.#id ?? 0,
        // Old export formats have no <ns>: derive it from the title prefix and siteinfo.
        ns: this.#ns ?? this.#namespaces.fromTitle(title),
        title,
        redirect: this.#redirect,
        text: this.#text,
      };
      if (this.#textOversize) page.skip = "oversize";
      this.#text = "";
      this.#pages.push(page);
    }
  }

  /**
   * The text of [from, to): entities replaced, CDATA taken as it is, comments and
   * instructions dropped (when `markup`), decoded from UTF-8 once.
   */
  #value(from: number, to: number, markup: boolean): string {
    const view = this.#view;
    const amp = markup ? -1 : this.#amp(from, to);
    let s: string;
    if (!markup && amp < 0) s = this.#utf8(from, to);
    else {
      // The five named entities alone are replaced in WebAssembly; anything else here.
      let bytes = markup ? null : unescapeNamed(view.subarray(from, to));
      if (bytes === null) {
        if (this.#scratch.length < to - from) {
          this.#scratch = new Uint8Array(Math.max(to - from, this.#scratch.length * 2));
        }
        const n = markup ? this.#unmarkup(from, to) : this.#unescape(from, to, 0, amp);
        bytes = this.#scratch.subarray(0, n);
      }
      try {
        s = this.#checked(bytes);
      } catch {
        const bad = firstInvalid(view, from, to);
        throw this.#badUtf8(this.#base + (bad >= 0 ? bad : from));
      }
    }
    // XML turns CRLF and lone CR into LF.
    if (s.indexOf("\r") >= 0) s = s.replace(/\r\n?/g, "\n");
    return s;
  }

  // The next & at or after #ampFrom (or -1: none before #ampLen). Fields are decoded in
  // order, so one search serves every field up to that &: bounded searches would need a
  // subarray each, and entities are dense in wikitext.
  #ampAt = -2;
  #ampFrom = 0;
  #ampLen = 0;

  /** Index of the first & in [i, to), or -1. */
  #amp(i: number, to: number): number {
    let m = this.#ampAt;
    if (m === -2 || i < this.#ampFrom || (m >= 0 && m < i) || (m < 0 && this.#ampLen < to)) {
      m = this.#view.indexOf(AMP, i);
      this.#ampAt = m;
      this.#ampFrom = i;
      this.#ampLen = this.#len;
    }
    return m >= 0 && m < to ? m : -1;
  }

  /** Copies [from, to) into the scratch buffer at `o` with entities replaced; returns the end. */
  #unescape(from: number, to: number, o: number, amp = this.#amp(from, to)): number {
    const view = this.#view;
    const out = this.#scratch;
    let i = from;
    while (amp >= 0) {
      o = copy(view, i, amp, out, o);
      const semi = find(view, SEMI, amp, Math.min(to, amp + 12));
      if (semi < 0) {
        throw this.#fail("malformed entity reference", this.#base + amp);
      }
      const cp = this.#entity(amp, semi);
      if (cp < 0x80) out[o++] = cp;
      else if (cp < 0x800) {
        out[o++] = 0xc0 | (cp >> 6);
        out[o++] = 0x80 | (cp & 63);
      } else if (cp < 0x10000) {
        out[o++] = 0xe0 | (cp >> 12);
        out[o++] = 0x80 | ((cp >> 6) & 63);
        out[o++] = 0x80 | (cp & 63);
      } else {
        out[o++] = 0xf0 | (cp >> 18);
        out[o++] = 0x80 | ((cp >> 12) & 63);
        out[o++] = 0x80 | ((cp >> 6) & 63);
        out[o++] = 0x80 | (cp & 63);
      }
      i = semi + 1;
      amp = this.#amp(i, to);
    }
    return copy(view, i, to, out, o);
  }

  /** Like {@link #unescape}, for content holding CDATA sections, comments or instructions. */
  #unmarkup(from: number, to: number): number {
    const view = this.#view;
    let o = 0;
    let i = from;
    while (i < to) {
      let lt = find(view, LT, i, to);
      if (lt < 0) lt = to;
      o = this.#unescape(i, lt, o);
      if (lt >= to) break;
      if (view[lt + 1] === BANG && view[lt + 2] === 0x5b) {
        const end = indexOf3(view, RSQB, RSQB, GT, lt + CDATA_OPEN.length);
        o = copy(view, lt + CDATA_OPEN.length, end, this.#scratch, o);
        i = end + 3;
      } else if (view[lt + 1] === BANG) i = indexOf3(view, DASH, DASH, GT, lt + 4) + 3;
      else i = indexOf3(view, QMARK, GT, -1, lt + 2) + 2;
    }
    return o;
  }
}

/** How far some bytes move a reader: their length, newlines and characters after the last. */
export interface Span {
  bytes: number;
  lines: number;
  tailChars: number;
}

/**
 * The {@link Span} of `bytes` (UTF-8), for {@link PageReader.skip}; `lines` when they are
 * known already (see {@link PageReader.linesThroughEnd}).
 */
export function spanOf(bytes: Uint8Array, lines?: number): Span {
  const lastLf = bytes.lastIndexOf(LF);
  return {
    bytes: bytes.length,
    lines: lines ?? newlines(bytes),
    tailChars: countChars(bytes, lastLf + 1, bytes.length),
  };
}

/** Newlines in `bytes`, four bytes at a time where the view is aligned for it. */
export function newlines(bytes: Uint8Array): number {
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  if (bytes.length < head + 16) return slow(bytes);
  const words = new Uint32Array(
    bytes.buffer,
    bytes.byteOffset + head,
    (bytes.length - head) >> 2,
  );
  const body = new Uint8Array(words.buffer, words.byteOffset, words.length * 4);
  return slow(bytes.subarray(0, head)) + countNewlines(body, words, 0, body.length) +
    slow(bytes.subarray(head + body.length));
}

function slow(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === LF) n++;
  return n;
}

/**
 * Newlines in buf[from, to), four bytes at a time through `words` (the same memory):
 * a byte is zero in w ^ 0x0a0a0a0a exactly where it was a newline.
 */
function countNewlines(buf: Uint8Array, words: Uint32Array, from: number, to: number): number {
  let n = 0;
  let i = from;
  for (; i < to && (i & 3) !== 0; i++) if (buf[i] === LF) n++;
  const wEnd = to >> 2;
  for (let w = i >> 2; w < wEnd; w++) {
    const x = words[w] ^ 0x0a0a0a0a;
    const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
    n += Math.imul(zero >>> 7, 0x01010101) >>> 24;
  }
  for (i = Math.max(i, wEnd << 2); i < to; i++) if (buf[i] === LF) n++;
  return n;
}

function utf16(label: string): TextDecoder {
  return new TextDecoder(label, { fatal: true });
}

/** Index of `byte` in view[from, to), or -1 (Uint8Array.indexOf has no end). */
function find(view: Uint8Array, byte: number, from: number, to: number): number {
  if (to - from < 64) {
    for (let k = from; k < to; k++) if (view[k] === byte) return k;
    return -1;
  }
  const k = view.subarray(from, to).indexOf(byte);
  return k < 0 ? -1 : from + k;
}

/** Start of the bytes a b c (c = -1: only a b) from `i`; the caller knows they are there. */
function indexOf3(view: Uint8Array, a: number, b: number, c: number, i: number): number {
  for (let k = view.indexOf(a, i); k >= 0; k = view.indexOf(a, k + 1)) {
    if (view[k + 1] === b && (c < 0 || view[k + 2] === c)) return k;
  }
  return view.length;
}

/** Copies src[from, to) to dst at o; returns the new o (short runs without a subarray). */
function copy(src: Uint8Array, from: number, to: number, dst: Uint8Array, o: number): number {
  if (to - from < 48) {
    for (let k = from; k < to; k++) dst[o++] = src[k];
    return o;
  }
  dst.set(src.subarray(from, to), o);
  return o + to - from;
}

function parseIntStrict(s: string): number | null {
  const t = s.trim();
  if (t.length === 0 || t.length > 15) return null;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c < 0x30 || c > 0x39) && !(i === 0 && c === 0x2d)) return null;
  }
  return Number(t);
}
