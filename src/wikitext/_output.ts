/**
 * Where rendered text goes. {@link SegmentOutput} lays out the page (one line per
 * paragraph, heading or list item; no empty lines; no spaces at either end of a line;
 * no empty brackets left by removed templates) and emits typed segments.
 * {@link FlatOutput} collects a plain string, for template names and parameter values.
 *
 * @module
 */

import { MW_VARIANT_CODES } from "../types.ts";
import type { Segment } from "../types.ts";

export interface Out {
  /**
   * Prose (entities already decoded). `\n` ends the line. `keepSpaces` for the text of a
   * `<code>` that is converted (no collapsing).
   */
  text(s: string, keepSpaces?: boolean): void;
  /** Verbatim text that must not be converted; `keepSpaces` for `<code>`/`<math>` (no collapsing). */
  raw(s: string, keepSpaces?: boolean): void;
  /** The inside of a `-{…}-` node. */
  conv(s: string): void;
  group(s: string): void;
  nocc(): void;
  newline(): void;
  /** A space that appears only between two pieces of content on the same line. */
  space(): void;
}

/** Collects plain text; a conversion block is re-serialised as `-{…}-`. */
export class FlatOutput implements Out {
  buf = "";
  text(s: string): void {
    this.buf += s;
  }
  raw(s: string): void {
    this.buf += s;
  }
  conv(s: string): void {
    this.buf += "-{" + s + "}-";
  }
  group(): void {}
  nocc(): void {}
  newline(): void {
    this.buf += "\n";
  }
  space(): void {
    this.buf += " ";
  }
}

// Called through `call`: a property load on strings of many representations is megamorphic.
const charCodeAt = String.prototype.charCodeAt;
const indexOf = String.prototype.indexOf;
const slice = String.prototype.slice;

/** The last element, or undefined: `a[-1]` on an empty array is a slow named-property load. */
function lastOf<T>(a: T[]): T | undefined {
  return a.length > 0 ? a[a.length - 1] : undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xa0 || c === 0x3000 || c === 0x2002 ||
    c === 0x2003 || c === 0x2009 || c === 0x200b;
}

function trimStart(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(charCodeAt.call(s, i))) i++;
  return i === 0 ? s : slice.call(s, i);
}

function trimEnd(s: string): string {
  let j = s.length;
  while (j > 0 && isSpace(charCodeAt.call(s, j - 1))) j--;
  return j === s.length ? s : slice.call(s, 0, j);
}

/** The variant codes ZhConverter also accepts as flags (`-{zh-hans;zh-hant|…}-`). */
const VARIANT_FLAGS = new Set<string>(MW_VARIANT_CODES);

/**
 * A conversion block that shows nothing where it stands: it must not make a line count as
 * content. The flags are normalised as MediaWiki's ConverterRule does, and the last one
 * that sets the display decides: `H`, `T`, `-` and `A;D` show nothing; `D` and `D;H` show
 * the rule's description, `R`, `N`, variant lists and plain blocks their text.
 */
export function isSilentConv(s: string): boolean {
  if (s.trim() === "") return true; // `-{}-` only separates words
  const bar = indexOf.call(s, "|");
  if (bar < 0 || bar > 24) return false;
  const given: string[] = [];
  for (const f of slice.call(s, 0, bar).split(";")) {
    const x = f.trim();
    const valid = x.length === 1 ? "ATRD-HN".indexOf(x) >= 0 : VARIANT_FLAGS.has(x);
    if (valid && !given.includes(x)) given.push(x);
  }
  if (given.length === 0 || given.includes("R") || given.includes("N")) return false;
  if (given.includes("-")) return true;
  if (given.length === 1 && given[0] === "T") return true; // T alone is T;H
  if (given.includes("H")) return !given.includes("D"); // H keeps T and D, D shown last
  if (given.some((f) => f.length > 1)) return false; // a variant list shows its text
  // Left: A, T and D in the order written. A appends "+" and "S", which D removes.
  if (given.includes("A")) return given.includes("D");
  return given[given.length - 1] === "T";
}

/** A block without flags or variant rules (`-{文字}-`): its text is shown as written. */
function isPlainConv(s: string): boolean {
  const bar = indexOf.call(s, "|");
  if (bar >= 0 && bar <= 32) return false;
  return !VARIANT_RULE.test(s);
}

const VARIANT_RULE = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8}){0,3}\s*(?::|=>)/;
const EMPTY_RULE = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8}){0,3}\s*:\s*$/;

/**
 * Rules whose every branch the cleaner emptied (`zh-hans:;zh-hant:` after their templates or
 * files vanished): MediaWiki would show that text as it stands, so the block goes.
 */
export function emptiedBranches(s: string): boolean {
  const bar = indexOf.call(s, "|");
  const body = bar >= 0 && bar <= 32 ? slice.call(s, bar + 1) : s;
  if (!VARIANT_RULE.test(body.trimStart())) return false;
  for (const part of body.split(";")) {
    const p = part.trim();
    if (p !== "" && !EMPTY_RULE.test(p)) return false;
  }
  return true;
}

// Brackets emptied by removed templates: `（）`, `（，）`, `()`…; linear (no nested quantifiers).
const EMPTY_BRACKETS = /[（(][\s\u00a0，,、；;：:]*[）)]/g;
const LEADING_SEP = /([（(])[\s\u00a0]*[，,、；;：:][\s\u00a0，,、；;：:]*/g;
const TRAILING_SEP = /[，,、；;][\s\u00a0]*([）)])/g;

// One scan deciding whether any of the three patterns can occur.
const NEEDS_CLEANING = /[（(][\s\u00a0]*[，,、；;：:）)]|[，,、；;][\s\u00a0]*[）)]/;

/** Removes brackets that hold nothing but separators, and separators hugging a bracket. */
export function cleanBrackets(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  for (let round = 0; round < 4; round++) {
    const t = s.replace(EMPTY_BRACKETS, "");
    if (t === s) break;
    s = t;
  }
  return s.replace(LEADING_SEP, "$1").replace(TRAILING_SEP, "$1");
}

const SPACE_RUN = /[ \t]{2,}|\t/g;

function collapseSpaces(line: Piece[]): void {
  let prevSpace = false;
  for (const p of line) {
    if (p.kind !== "text" && p.kind !== "raw") {
      if (p.kind === "conv" && !isSilentConv(p.text)) prevSpace = false;
      continue;
    }
    let t = p.text;
    if (t.length === 0) continue;
    if (!p.keep) {
      if (indexOf.call(t, "  ") >= 0 || indexOf.call(t, "\t") >= 0) t = t.replace(SPACE_RUN, " ");
      if (prevSpace && charCodeAt.call(t, 0) === 32) t = slice.call(t, 1);
      p.text = t;
      if (t.length === 0) continue;
    }
    prevSpace = charCodeAt.call(t, t.length - 1) === 32;
  }
}

const PUNCTUATION = /^[\s\p{P}]*$/u;

/** Whether a line shows nothing but punctuation. */
function punctuationOnly(line: Piece[]): boolean {
  let any = false;
  let n = 0;
  for (const p of line) n += p.text.length;
  if (n > 16) return false; // such lines are short; this keeps the check off long lines
  for (const p of line) {
    if (p.kind === "conv") {
      if (!isSilentConv(p.text)) return false;
    } else if (p.kind === "text" || p.kind === "raw") {
      if (p.text.length === 0) continue;
      if (!PUNCTUATION.test(p.text)) return false;
      any = true;
    }
  }
  return any;
}

/** Whether `c`, right before a vanished construct, may leave empty brackets: `（(，,、；;：:`. */
function beforeGap(c: number): boolean {
  return c === 0xff08 || c === 0x28 || c === 0xff0c || c === 0x2c || c === 0x3001 ||
    c === 0xff1b || c === 0x3b || c === 0xff1a || c === 0x3a;
}

interface Piece {
  kind: Segment["kind"];
  text: string;
  /** Verbatim spaces (`<code>`, `<math>`): not collapsed. */
  keep?: boolean;
}

/** A heading held back until some text of its section (or a subsection) is written. */
interface PendingHeading {
  level: number;
  /** Whether the heading line itself is written (headings kept). */
  show: boolean;
  /** The heading line, laid out; only rules when it shows nothing. */
  segs: Segment[];
  visible: boolean;
  title: string;
}

/** Lays out segments; see the module doc. */
export class SegmentOutput implements Out {
  segs: Segment[] = [];
  /** While muted (a dropped section), only rules are kept. */
  muted = false;
  /** Count of content pieces written; a node that leaves it unchanged rendered nothing. */
  written = 0;
  /** Something on this line rendered nothing: brackets around it may now be empty. */
  private dirty = false;
  /** Something rendered nothing since the last line written (a dropped block, a template). */
  private vanished = false;
  private line: Piece[] = [];
  private lineVisible = false;
  private pendingSpace = false;
  private anyLine = false;
  /** The last segment added ends a line (or nothing was added yet). */
  private atLineStart = true;
  /** Headings whose section has shown no text yet, outermost first. */
  private pending: PendingHeading[] = [];
  /** Set between {@link startHeading} and {@link endHeading}. */
  private heading: PendingHeading | null = null;

  text(s: string, keepSpaces = false): void {
    this.split("text", s, keepSpaces);
  }

  raw(s: string, keepSpaces = false): void {
    this.split("raw", s, keepSpaces);
  }

  /**
   * A `-{…}-` block, its source line breaks already removed (`\n` in it is a line break the
   * reader sees: `<br>`, a blank line). Spaces at the two ends of a plain block are a space
   * between words, as on the page; of a block with rules, rule layout only.
   */
  conv(s: string): void {
    const t = s.trim();
    if (isSilentConv(t)) {
      this.line.push({ kind: "conv", text: t });
      return;
    }
    if (this.muted || emptiedBranches(t)) return;
    const plain = t.length !== s.length && isPlainConv(t);
    if (plain && isSpace(charCodeAt.call(s, 0))) this.space();
    this.beforeContent();
    this.line.push({ kind: "conv", text: t });
    this.lineVisible = true;
    this.written++;
    if (plain && isSpace(charCodeAt.call(s, s.length - 1))) this.space();
  }

  group(s: string): void {
    this.line.push({ kind: "group", text: s });
  }

  nocc(): void {
    this.line.push({ kind: "nocc", text: "" });
  }

  space(): void {
    if (this.lineVisible) this.pendingSpace = true;
  }

  /**
   * Notes that a construct on this line vanished. Brackets can only have been emptied
   * when a bracket or separator comes right before it, so only then is the line cleaned.
   */
  gap(): void {
    this.vanished = true;
    const last = lastOf(this.line);
    if (last === undefined || last.kind !== "text" || this.dirty) return;
    const t = last.text;
    const stop = Math.max(0, t.length - 8); // bounded: runs of spaces are not rescanned
    for (let j = t.length - 1; j >= stop; j--) {
      const c = charCodeAt.call(t, j);
      if (isSpace(c)) continue;
      if (beforeGap(c)) this.dirty = true;
      return;
    }
  }

  newline(): void {
    this.endLine();
  }

  /**
   * Starts a section heading of `level`: what is written up to {@link endHeading} is its
   * line. Headings of emptied sections at this level or deeper are given up (their rules stay).
   */
  startHeading(level: number, show: boolean): void {
    this.endLine();
    const pending = this.pending;
    while (pending.length > 0 && pending[pending.length - 1].level >= level) {
      this.giveUp(pending.pop()!);
    }
    this.heading = { level, show, segs: [], visible: false, title: "" };
  }

  /** Ends the heading line; it is written before the next text of its section, if any. */
  endHeading(): void {
    const h = this.heading;
    if (h === null) return;
    // Lay the line out into the heading's own segments.
    const segs = this.segs;
    const anyLine = this.anyLine;
    const atLineStart = this.atLineStart;
    this.segs = h.segs;
    this.anyLine = false;
    this.heading = null;
    h.visible = this.endLine(true);
    this.segs = segs;
    this.anyLine = anyLine;
    this.atLineStart = atLineStart;
    let title = "";
    for (const p of h.segs) {
      if (p.kind === "text" || p.kind === "raw") title += p.text;
      else if (p.kind === "conv" && !isSilentConv(p.text)) title += "-{" + p.text + "}-";
    }
    h.title = title;
    this.pending.push(h);
  }

  /** Ends the page and returns its segments. */
  finish(): Segment[] {
    this.endLine();
    for (const h of this.pending) this.giveUp(h);
    this.pending = [];
    return this.segs;
  }

  /** A heading whose section stayed empty: only its rules are kept. */
  private giveUp(h: PendingHeading): void {
    for (const p of h.segs) {
      if (p.kind === "group" || p.kind === "nocc" || (p.kind === "conv" && isSilentConv(p.text))) {
        this.add(p.kind, p.text);
      }
    }
  }

  private lineBreak(): void {
    if (this.anyLine && !this.atLineStart) {
      this.add("text", "\n");
      this.atLineStart = true;
    }
  }

  /** Writes the held-back headings of the section whose first text line comes now. */
  private flushHeadings(): void {
    for (const h of this.pending) {
      this.lineBreak();
      if (h.title.trim() !== "" || h.visible) {
        this.segs.push({ kind: "heading", text: h.title.trim(), level: h.level });
      }
      if (h.show && h.visible) {
        for (const p of h.segs) this.add(p.kind, p.text);
        this.anyLine = true;
        this.atLineStart = false;
      } else this.giveUp(h);
    }
    this.pending = [];
  }

  private split(kind: "text" | "raw", s: string, keep: boolean): void {
    let start = 0;
    for (;;) {
      const nl = indexOf.call(s, "\n", start);
      if (nl < 0) {
        this.piece(kind, start === 0 ? s : slice.call(s, start), keep);
        return;
      }
      this.piece(kind, slice.call(s, start, nl), keep);
      this.endLine();
      start = nl + 1;
    }
  }

  private beforeContent(): void {
    if (this.pendingSpace) {
      this.pendingSpace = false;
      const last = lastOf(this.line);
      if (last && last.kind === "text") {
        const c = charCodeAt.call(last.text, last.text.length - 1);
        if (!isSpace(c)) last.text += " ";
      } else if (
        !last || last.kind !== "raw" || !isSpace(charCodeAt.call(last.text, last.text.length - 1))
      ) {
        this.line.push({ kind: "text", text: " " });
      }
    }
  }

  private piece(kind: "text" | "raw", s: string, keep: boolean): void {
    if (this.muted || s.length === 0) return;
    if (!this.lineVisible) {
      s = trimStart(s);
      if (s.length === 0) return;
    }
    if (this.pendingSpace) {
      if (isSpace(charCodeAt.call(s, 0))) this.pendingSpace = false;
      else this.beforeContent();
    }
    const last = lastOf(this.line);
    if (last !== undefined && last.kind === kind && last.keep === keep) last.text += s;
    else this.line.push({ kind, text: s, keep });
    this.lineVisible = true;
    this.written++;
  }

  /** Lays out and writes the current line; returns whether it showed anything. */
  private endLine(inHeading = false): boolean {
    const line = this.line;
    this.pendingSpace = false;
    if (line.length === 0) return false;
    this.line = [];
    let visible = this.lineVisible;
    this.lineVisible = false;
    const dirty = this.dirty;
    this.dirty = false;
    if (visible) {
      // Runs of spaces show as one, as HTML shows them (not in <code>, <pre>, <math>).
      collapseSpaces(line);
      // Clean prose pieces where something vanished; then trim the line's two ends.
      if (dirty) { for (const p of line) if (p.kind === "text") p.text = cleanBrackets(p.text); }
      // Trim the line's start up to the first piece that shows something.
      let first = -1;
      for (let i = 0; i < line.length; i++) {
        const p = line[i];
        if (p.kind === "text" || p.kind === "raw") {
          p.text = trimStart(p.text);
          if (p.text.length === 0) continue;
        } else if (p.kind !== "conv" || isSilentConv(p.text)) continue;
        first = i;
        break;
      }
      for (let i = line.length - 1; i >= 0; i--) {
        const p = line[i];
        if (p.kind !== "text" && p.kind !== "raw") {
          if (p.kind === "conv" && !isSilentConv(p.text)) break;
          continue;
        }
        p.text = trimEnd(p.text);
        if (p.text.length > 0) break;
      }
      // The first piece that counted holds a non-space character, which trimming the
      // line's end cannot remove: the line shows something.
      visible = first >= 0;
    }
    // A line of punctuation only (`。` after a table): dropped where a block vanished before
    // it, else it ends the line before it, as it does on the page.
    let glue = false;
    if (visible && !inHeading && punctuationOnly(line)) {
      if (this.vanished || !this.anyLine || this.pending.length > 0) visible = false;
      else glue = true;
    }
    if (visible) {
      if (!inHeading && this.pending.length > 0) this.flushHeadings();
      if (!glue) this.lineBreak();
      this.vanished = false;
    }
    for (const p of line) {
      if ((p.kind === "text" || p.kind === "raw") && (!visible || p.text.length === 0)) continue;
      this.add(p.kind, p.text);
    }
    if (visible) {
      this.anyLine = true;
      this.atLineStart = false;
    }
    return visible;
  }

  private add(kind: Segment["kind"], text: string): void {
    const segs = this.segs;
    const last = lastOf(segs);
    if (kind === "text" && text === "\n") this.atLineStart = true;
    if (kind === "text" && text === "\n" && last && (last.kind === "raw")) {
      last.text += text;
      return;
    }
    if (last !== undefined && last.kind === kind && (kind === "text" || kind === "raw")) {
      last.text += text;
    } else segs.push({ kind, text });
  }
}
