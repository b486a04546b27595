/**
 * One left-to-right pass over a page's wikitext that builds the node tree of `_nodes.ts`,
 * with nesting on an explicit stack so that no page can overflow the call stack.
 *
 * Nesting is kept on an explicit stack of frames (no recursion). A closer that
 * matches a frame deeper in the stack closes it and degrades the frames above
 * it to {@link FailedNode}s; frames still open at the end degrade the same way.
 * Every character is looked at a bounded number of times, so the work is linear:
 * searches for the end of a comment or of an opaque tag body are memoised, and
 * openers past {@link MAX_DEPTH} are counted instead of pushed.
 *
 * @module
 */

import { entity, entityAt } from "./_entities.ts";
import {
  ARG,
  CONV,
  EXT,
  EXTLINK,
  FAILED,
  HEADING,
  LINK,
  LIST,
  MAX_DEPTH,
  type Node,
  SWITCH,
  TABLE,
  type TableCell,
  TAG,
  TEMPLATE,
} from "./_nodes.ts";
import { BLOCK_TAGS, INLINE_TAGS, OPAQUE_TAGS, VOID_TAGS } from "./_tags.ts";

const ROOT = 0;

/** `push`, as a store at the end (which the optimizing compiler inlines here, where push it did not). */
function append(a: Node[], x: Node): void {
  a[a.length] = x;
}

/** URL schemes that start an external link after a single `[`. */
const SCHEMES = [
  "http://",
  "https://",
  "//",
  "ftp://",
  "ftps://",
  "mailto:",
  "news:",
  "irc://",
  "ircs://",
  "gopher://",
  "sftp://",
  "git://",
  "svn://",
  "telnet://",
  "nntp://",
  "worldwind://",
  "urn:",
  "geo:",
  "sip:",
  "tel:",
  "xmpp:",
  "magnet:",
];

// Characters that may start markup; everything else is copied as text in a tight loop.
const SPECIAL = new Uint8Array(128);
for (const ch of "{}[]|<\n'-_!:&") SPECIAL[ch.charCodeAt(0)] = 1;

const C_LF = 10,
  C_SP = 32,
  C_TAB = 9,
  C_BANG = 33,
  C_HASH = 35,
  C_APOS = 39,
  C_STAR = 42,
  C_PLUS = 43,
  C_DASH = 45,
  C_SLASH = 47,
  C_COLON = 58,
  C_SEMI = 59,
  C_LT = 60,
  C_EQ = 61,
  C_GT = 62,
  C_LBRACKET = 91,
  C_RBRACKET = 93,
  C_UNDERSCORE = 95,
  C_LBRACE = 123,
  C_PIPE = 124,
  C_RBRACE = 125,
  C_AMP = 38;

const NO_ROWS: TableCell[][] = [];
const NO_NODES: Node[] = [];

class Frame {
  kind: number;
  parts: Node[][];
  cur: Node[];
  /** Heading: level, and where the closing `=` run starts / the line ends. */
  level = 0;
  end = 0;
  lineEnd = 0;
  /** External link URL. */
  url = "";
  /** Table state (allocated only for tables). */
  rows: TableCell[][] = NO_ROWS;
  caption: Node[] = NO_NODES;
  cell: TableCell | null = null;
  /** The current table cell may still take `attrs |`. */
  attrOk = false;

  constructor(kind: number) {
    this.kind = kind;
    this.cur = [];
    this.parts = [this.cur];
  }
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Name characters of a behaviour switch: upper-case ASCII or CJK. */
function isSwitchChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/** Builds the node tree of one page. Never throws on malformed input. */
export function tokenize(text: string): Node[] {
  return new Tokenizer(text).run();
}

class Tokenizer {
  s: string;
  n: number;
  i = 0;
  /** Start of the pending text run. */
  ts = 0;
  stack: Frame[];
  top: Frame;
  /** Open frames per kind, so a closer with nothing to close costs O(1). */
  open = new Int32Array(16);
  /** Openers ignored past MAX_DEPTH, per kind; their closers are swallowed. */
  skipped = new Int32Array(16);
  /** Scan bound: the end of an open heading's title, else the end of the text. */
  limit: number;
  /** The current line is a `;` definition term: a top-level `:` starts the definition. */
  dtLine = false;
  /**
   * HTML elements open on the definition-term line: a `:` inside one (`;<b>a:b</b>`) is
   * text, as MediaWiki's findColonNoLinks counts tag levels.
   */
  dtTags = 0;
  /** Memo of close-tag searches: tag name → [searched from, found at (or -1)]. */
  closeMemo = new Map<string, [number, number]>();

  constructor(s: string) {
    this.s = s;
    this.n = s.length;
    this.limit = s.length;
    const root = new Frame(ROOT);
    this.stack = [root];
    this.top = root;
  }

  run(): Node[] {
    const s = this.s;
    const n = this.n;
    let lineStart = true;
    for (;;) {
      if (lineStart) {
        lineStart = false;
        this.lineStart();
      }
      let i = this.i;
      const limit = this.limit;
      let c = 0;
      while (i < limit) {
        c = s.charCodeAt(i);
        if (c < 128 && SPECIAL[c] === 1) break;
        i++;
      }
      this.i = i;
      if (i >= limit) {
        if (limit < n) {
          this.closeHeading();
          continue;
        }
        break;
      }
      switch (c) {
        case C_LF:
          this.newline();
          lineStart = true;
          break;
        case C_LBRACE:
          this.openBrace();
          break;
        case C_RBRACE:
          this.closeBrace();
          break;
        case C_LBRACKET:
          this.openBracket();
          break;
        case C_RBRACKET:
          this.closeBracket();
          break;
        case C_PIPE:
          this.pipe();
          break;
        case C_BANG:
          this.bang();
          break;
        case C_LT:
          this.angle();
          break;
        case C_APOS:
          this.apostrophes();
          break;
        case C_DASH:
          this.dash();
          break;
        case C_UNDERSCORE:
          this.underscore();
          break;
        case C_COLON:
          this.colon();
          break;
        case C_AMP:
          this.amp();
          break;
        default:
          this.i++;
      }
    }
    this.flush(this.n);
    while (this.stack.length > 1) this.fail();
    return this.stack[0].cur;
  }

  /** Moves the pending text run [ts, end) into the current part. */
  flush(end: number): void {
    if (end > this.ts) append(this.top.cur, this.s.slice(this.ts, end));
    this.ts = end;
  }

  /** Pushes a frame, or counts the opener as skipped when the stack is too deep. */
  push(kind: number): Frame | null {
    if (this.stack.length >= MAX_DEPTH) {
      this.skipped[kind]++;
      return null;
    }
    const f = new Frame(kind);
    this.stack.push(f);
    this.top = f;
    this.open[kind]++;
    return f;
  }

  /** Pops the top frame and returns it (the caller appends its node to the new top). */
  pop(): Frame {
    const f = this.stack.pop()!;
    this.open[f.kind]--;
    this.top = this.stack[this.stack.length - 1];
    if (f.kind === HEADING) this.limit = this.n;
    return f;
  }

  /** Closes the top frame as a complete node. */
  close(): void {
    const f = this.pop();
    const cur = this.top.cur;
    switch (f.kind) {
      case TEMPLATE:
        append(cur, { k: TEMPLATE, parts: f.parts });
        break;
      case ARG:
        append(cur, { k: ARG, parts: f.parts });
        break;
      case LINK:
        append(cur, { k: LINK, parts: f.parts });
        break;
      case EXTLINK:
        append(cur, { k: EXTLINK, url: f.url, label: f.parts[0] });
        break;
      case CONV:
        append(cur, { k: CONV, children: f.parts[0] });
        break;
      case HEADING:
        append(cur, { k: HEADING, level: f.level, children: f.parts[0] });
        break;
      case TABLE:
        append(cur, { k: TABLE, caption: f.caption, rows: f.rows });
        break;
    }
  }

  /** Degrades the top frame: tables and headings simply end, the rest become FailedNodes. */
  fail(): void {
    const k = this.top.kind;
    if (k === TABLE || k === HEADING) {
      this.close();
      return;
    }
    const f = this.pop();
    append(this.top.cur, { k: FAILED, open: f.kind, parts: f.parts });
  }

  /** Closes the nearest open frame of `kind`, degrading the frames above it. */
  closeNearest(kind: number): void {
    while (this.top.kind !== kind) this.fail();
    this.close();
  }

  closeHeading(): void {
    const end = Math.min(this.i, this.limit);
    this.flush(end);
    let lineEnd = this.i;
    while (this.stack.length > 1) {
      const k = this.top.kind;
      if (k === HEADING) {
        lineEnd = this.top.lineEnd;
        this.close();
        break;
      }
      this.fail();
    }
    this.limit = this.n;
    // Skip the closing `=` run and anything else up to the end of the line.
    if (this.i < lineEnd) this.i = lineEnd;
    else {
      // A tag body or comment ran past the title's line: the `=` run may follow it.
      const s = this.s;
      let j = this.i;
      while (j < this.n) {
        const c = s.charCodeAt(j);
        if (c !== C_EQ && c !== C_SP && c !== C_TAB) break;
        j++;
      }
      this.i = j;
    }
    this.ts = this.i;
  }

  newline(): void {
    const t = this.top.kind;
    // An external link, or a link still in its target, cannot span lines.
    if (t === EXTLINK || (t === LINK && this.top.parts.length === 1)) {
      this.flush(this.i);
      this.fail();
    }
    // A `|` on a later line of a cell is content, not the end of its attributes.
    if (t === TABLE) this.top.attrOk = false;
    this.dtLine = false;
    this.dtTags = 0;
    this.i++;
  }

  /** Constructs recognised only at the start of a line: headings, lists, tables. */
  lineStart(): void {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    if (i >= n) return;
    const kind = this.top.kind;
    const c = s.charCodeAt(i);
    if (kind === ROOT && c === C_EQ) {
      this.heading();
      return;
    }
    // Lists also inside template parameters and table cells (`{{plainlist|\n* a}}`).
    if (kind === ROOT || kind === TEMPLATE || kind === ARG || kind === TABLE) {
      if (c === C_STAR || c === C_HASH || c === C_COLON || c === C_SEMI) {
        let j = i + 1;
        for (; j < n; j++) {
          const d = s.charCodeAt(j);
          if (d !== C_STAR && d !== C_HASH && d !== C_COLON && d !== C_SEMI) break;
        }
        const markers = s.slice(i, j);
        this.flush(i);
        append(this.top.cur, { k: LIST, markers });
        this.dtLine = markers.indexOf(";") >= 0;
        this.i = this.ts = j;
        // `:{|` indents a table.
        if (j + 1 < n && s.charCodeAt(j) === C_LBRACE && s.charCodeAt(j + 1) === C_PIPE) {
          this.openTable(j);
        }
        return;
      }
      if (kind === ROOT && c === C_DASH && s.startsWith("----", i)) {
        let j = i + 4;
        while (j < n && s.charCodeAt(j) === C_DASH) j++;
        this.flush(i);
        this.i = this.ts = j;
        return;
      }
    }
    while (i < n) {
      const d = s.charCodeAt(i);
      if (d !== C_SP && d !== C_TAB) break;
      i++;
    }
    if (i + 1 >= n) return;
    const d = s.charCodeAt(i);
    const e = s.charCodeAt(i + 1);
    if (d === C_LBRACE && e === C_PIPE) {
      if (kind !== LINK && kind !== EXTLINK && kind !== HEADING) this.openTable(i);
      return;
    }
    if (kind !== TABLE) return;
    if (d === C_PIPE) {
      if (e === C_RBRACE) {
        this.flush(this.i);
        this.close();
        this.i = this.ts = i + 2;
      } else if (e === C_DASH) {
        this.flush(this.i);
        this.top.rows.push([]);
        this.top.cell = null;
        this.top.cur = [];
        this.i = this.ts = this.lineEndFrom(i);
      } else if (e === C_PLUS) {
        this.flush(this.i);
        const f = this.top;
        f.cell = { header: false, children: f.caption };
        f.cur = f.caption;
        f.attrOk = true;
        this.i = this.ts = i + 2;
      } else {
        this.flush(this.i);
        this.newCell(false);
        this.i = this.ts = i + 1;
      }
    } else if (d === C_BANG) {
      this.flush(this.i);
      this.newCell(true);
      this.i = this.ts = i + 1;
    }
  }

  lineEndFrom(i: number): number {
    const e = this.s.indexOf("\n", i);
    return e < 0 ? this.n : e;
  }

  openTable(at: number): void {
    this.flush(this.i);
    const f = this.push(TABLE);
    // The rest of the `{|` line holds table attributes.
    this.i = this.ts = this.lineEndFrom(at);
    if (f) {
      f.rows = [];
      f.caption = [];
      f.cur = []; // text before the first cell is discarded
    }
  }

  newCell(header: boolean): void {
    const f = this.top;
    if (f.rows.length === 0) f.rows.push([]);
    const cell: TableCell = { header, children: [] };
    f.rows[f.rows.length - 1].push(cell);
    f.cell = cell;
    f.cur = cell.children;
    f.attrOk = true;
  }

  heading(): void {
    const s = this.s;
    const i = this.i;
    const lineEnd = this.lineEndFrom(i);
    let lead = 0;
    while (i + lead < lineEnd && s.charCodeAt(i + lead) === C_EQ) lead++;
    let j = lineEnd;
    for (;;) {
      while (j > i) {
        const d = s.charCodeAt(j - 1);
        if (d !== C_SP && d !== C_TAB && d !== 13) break;
        j--;
      }
      // `== 标题 == <!-- note -->`: comments after the closing run do not count.
      if (j - i < 7 || !s.startsWith("-->", j - 3)) break;
      const open = s.lastIndexOf("<!--", j - 3);
      if (open <= i) break;
      j = open;
    }
    let trail = 0;
    while (j - trail > i && s.charCodeAt(j - trail - 1) === C_EQ) trail++;
    const len = j - i;
    let level = Math.min(lead, trail, 6);
    if (2 * level >= len) level = (len - 1) >> 1;
    if (level < 1) return;
    this.flush(i);
    const f = this.push(HEADING);
    if (!f) return;
    f.level = level;
    f.end = j - level;
    f.lineEnd = lineEnd;
    this.limit = f.end;
    this.i = this.ts = i + level;
  }

  openBrace(): void {
    const s = this.s;
    const i = this.i;
    if (s.charCodeAt(i + 1) !== C_LBRACE) {
      this.i++;
      return;
    }
    let r = 2;
    while (s.charCodeAt(i + r) === C_LBRACE) r++;
    this.flush(i);
    this.i = this.ts = i + r;
    // Runs: 2 → template, 3 → argument, longer → templates around the rest.
    while (r > 0) {
      if (r === 3) {
        this.push(ARG);
        r = 0;
      } else if (r === 1) {
        append(this.top.cur, "{");
        r = 0;
      } else {
        this.push(TEMPLATE);
        r -= 2;
      }
    }
  }

  closeBrace(): void {
    const s = this.s;
    const i = this.i;
    const next = s.charCodeAt(i + 1);
    if (next === C_DASH && this.open[CONV] > 0) {
      this.flush(i);
      this.closeNearest(CONV);
      this.i = this.ts = i + 2;
      return;
    }
    if (next === C_DASH && this.skipped[CONV] > 0) {
      this.flush(i);
      this.skipped[CONV]--;
      this.i = this.ts = i + 2;
      return;
    }
    if (next !== C_RBRACE) {
      this.i++;
      return;
    }
    // Only whether a third brace follows matters; the run is consumed 2 or 3 at a time.
    const r = s.charCodeAt(i + 2) === C_RBRACE ? 3 : 2;
    this.flush(i);
    if (this.open[TEMPLATE] + this.open[ARG] > 0) {
      while (this.top.kind !== TEMPLATE && this.top.kind !== ARG) this.fail();
      if (this.top.kind === ARG && r >= 3) {
        this.close();
        this.i = this.ts = i + 3;
      } else {
        this.close();
        this.i = this.ts = i + 2;
      }
      return;
    }
    if (this.skipped[TEMPLATE] > 0) this.skipped[TEMPLATE]--;
    else if (this.skipped[ARG] > 0) this.skipped[ARG]--;
    // A stray `}}` is dropped rather than printed.
    this.i = this.ts = i + 2;
  }

  openBracket(): void {
    const s = this.s;
    const i = this.i;
    if (s.charCodeAt(i + 1) === C_LBRACKET) {
      let r = 2;
      while (s.charCodeAt(i + r) === C_LBRACKET) r++;
      // One extra bracket stays text (`[[[a]]]` shows `[a]`); a longer run is junk.
      this.flush(r === 3 ? i + 1 : i);
      this.push(LINK);
      this.i = this.ts = i + r;
      return;
    }
    const c1 = s.charCodeAt(i + 1);
    if (!isAsciiLetter(c1) && c1 !== C_SLASH) {
      this.i++;
      return;
    }
    for (const scheme of SCHEMES) {
      if (s.charCodeAt(i + 1) === scheme.charCodeAt(0) && s.startsWith(scheme, i + 1)) {
        let j = i + 1 + scheme.length;
        const n = this.n;
        while (j < n) {
          const d = s.charCodeAt(j);
          if (
            d <= C_SP || d === C_RBRACKET || d === C_LT || d === 34 || d === C_LBRACKET ||
            d === 0x3000
          ) break;
          j++;
        }
        if (j === i + 1 + scheme.length) break; // scheme alone is not a link
        this.flush(i);
        const f = this.push(EXTLINK);
        if (f) f.url = s.slice(i + 1, j);
        if (j < n && (s.charCodeAt(j) === C_SP || s.charCodeAt(j) === C_TAB)) j++;
        this.i = this.ts = j;
        return;
      }
    }
    this.i++;
  }

  closeBracket(): void {
    const s = this.s;
    const i = this.i;
    if (this.top.kind === EXTLINK) {
      this.flush(i);
      this.close();
      this.i = this.ts = i + 1;
      return;
    }
    if (s.charCodeAt(i + 1) !== C_RBRACKET) {
      if (this.skipped[EXTLINK] > 0) {
        this.flush(i);
        this.skipped[EXTLINK]--;
        this.i = this.ts = i + 1;
        return;
      }
      this.i++;
      return;
    }
    this.flush(i);
    if (this.open[LINK] > 0) this.closeNearest(LINK);
    else if (this.skipped[LINK] > 0) this.skipped[LINK]--;
    // else: a stray `]]`, dropped.
    this.i = this.ts = i + 2;
  }

  pipe(): void {
    const f = this.top;
    const k = f.kind;
    const i = this.i;
    if (k === TEMPLATE || k === ARG || k === LINK) {
      this.flush(i);
      f.cur = [];
      f.parts.push(f.cur);
      this.i = this.ts = i + 1;
      return;
    }
    if (k === TABLE) {
      if (this.s.charCodeAt(i + 1) === C_PIPE) {
        this.flush(i);
        this.newCell(f.cell !== null && f.cell.header);
        this.i = this.ts = i + 2;
        return;
      }
      if (f.cell && f.attrOk) {
        // What came before the single `|` were the cell's attributes.
        this.flush(i);
        f.cur.length = 0;
        f.attrOk = false;
        this.i = this.ts = i + 1;
        return;
      }
    }
    this.i++;
  }

  bang(): void {
    const f = this.top;
    const i = this.i;
    if (
      f.kind === TABLE && f.cell !== null && f.cell.header &&
      this.s.charCodeAt(i + 1) === C_BANG
    ) {
      this.flush(i);
      this.newCell(true);
      this.i = this.ts = i + 2;
      return;
    }
    this.i++;
  }

  colon(): void {
    const k = this.top.kind;
    const s = this.s;
    const i = this.i;
    if (
      this.dtLine && this.dtTags === 0 &&
      (k === ROOT || k === TEMPLATE || k === ARG || k === TABLE)
    ) {
      this.flush(i);
      append(this.top.cur, { k: LIST, markers: ":" });
      this.dtLine = false;
      this.i = this.ts = i + 1;
      return;
    }
    if (s.charCodeAt(i + 1) === C_SLASH && s.charCodeAt(i + 2) === C_SLASH) {
      this.bareUrl();
      return;
    }
    this.i++;
  }

  /** A bare `http://…` in text is dropped (the `:` of `://` is at this.i). */
  bareUrl(): void {
    const s = this.s;
    const i = this.i;
    let a = i;
    while (a > this.ts && a > i - 6 && isAsciiLetter(s.charCodeAt(a - 1))) a--;
    const scheme = s.slice(a, i).toLowerCase();
    if (scheme !== "http" && scheme !== "https" && scheme !== "ftp") {
      this.i++;
      return;
    }
    let e = i + 3;
    const n = this.n;
    while (e < n) {
      const c = s.charCodeAt(e);
      if (
        c <= C_SP || c >= 0x2e80 || c === C_LT || c === C_GT || c === C_LBRACKET ||
        c === C_RBRACKET || c === 34 || c === C_PIPE || c === C_LBRACE || c === C_RBRACE
      ) break;
      e++;
    }
    // Do not leave two spaces where the URL stood.
    const before = a > 0 ? s.charCodeAt(a - 1) : C_LF;
    if ((before === C_SP || before === C_LF) && s.charCodeAt(e) === C_SP) e++;
    this.flush(a);
    this.i = this.ts = e;
  }

  /** HTML character references become text here, once. */
  amp(): void {
    const i = this.i;
    if (!entityAt(this.s, i)) {
      this.i++;
      return;
    }
    this.flush(i);
    if (entity.value !== "") append(this.top.cur, entity.value);
    this.i = this.ts = entity.end;
  }

  dash(): void {
    const s = this.s;
    const i = this.i;
    // `-{{` is a dash before a template; `-{` alone opens a conversion block.
    if (s.charCodeAt(i + 1) === C_LBRACE && s.charCodeAt(i + 2) !== C_LBRACE) {
      this.flush(i);
      this.push(CONV);
      this.i = this.ts = i + 2;
      return;
    }
    this.i++;
  }

  underscore(): void {
    const s = this.s;
    const i = this.i;
    if (s.charCodeAt(i + 1) !== C_UNDERSCORE) {
      this.i++;
      return;
    }
    let j = i + 2;
    const max = Math.min(this.n, j + 40);
    while (j < max && isSwitchChar(s.charCodeAt(j))) j++;
    if (
      j > i + 2 && j + 1 < this.n && s.charCodeAt(j) === C_UNDERSCORE &&
      s.charCodeAt(j + 1) === C_UNDERSCORE
    ) {
      this.flush(i);
      append(this.top.cur, { k: SWITCH, name: s.slice(i + 2, j) });
      this.i = this.ts = j + 2;
      return;
    }
    this.i = j > i + 2 ? j : i + 2;
  }

  apostrophes(): void {
    const s = this.s;
    const i = this.i;
    let r = 1;
    while (s.charCodeAt(i + r) === C_APOS) r++;
    if (r === 1) {
      this.i++;
      return;
    }
    // '' and ''' and ''''' toggle italics/bold: the markers go. In a run of 4 the
    // first apostrophe is text; beyond 5 the extra ones are text.
    const keep = r === 4 ? 1 : r > 5 ? r - 5 : 0;
    this.flush(i + keep);
    this.i = this.ts = i + r;
  }

  angle(): void {
    const s = this.s;
    const n = this.n;
    const i = this.i;
    if (s.startsWith("!--", i + 1)) {
      this.flush(i);
      const end = s.indexOf("-->", i + 4);
      // An unclosed comment hides the rest of the page, as in MediaWiki.
      this.i = this.ts = end < 0 ? n : end + 3;
      return;
    }
    let j = i + 1;
    const closing = s.charCodeAt(j) === C_SLASH;
    if (closing) j++;
    const nameStart = j;
    if (!isAsciiLetter(s.charCodeAt(j))) {
      this.i++;
      return;
    }
    while (j < n && j - nameStart < 24) {
      const c = s.charCodeAt(j);
      if (!(isAsciiLetter(c) || (c >= 48 && c <= 57))) break;
      j++;
    }
    const name = s.slice(nameStart, j).toLowerCase();
    const opaque = OPAQUE_TAGS.has(name);
    const block = !opaque && BLOCK_TAGS.has(name);
    if (!opaque && !block && !INLINE_TAGS.has(name)) {
      this.i++;
      return;
    }
    const c = s.charCodeAt(j);
    if (!(c === C_GT || c === C_SLASH || c === C_SP || c === C_TAB || c === C_LF || c === 13)) {
      this.i++;
      return;
    }
    // Find the end of the tag; a bounded scan keeps stray `<` cheap.
    let k = j;
    const max = Math.min(n, i + 2048);
    while (k < max) {
      const d = s.charCodeAt(k);
      if (d === C_GT || d === C_LT) break;
      k++;
    }
    if (k >= max || s.charCodeAt(k) !== C_GT) {
      this.i++;
      return;
    }
    const selfClosing = s.charCodeAt(k - 1) === C_SLASH;
    this.flush(i);
    this.i = this.ts = k + 1;
    if (!opaque) {
      if (block) append(this.top.cur, { k: TAG, name, closing });
      if (this.dtLine) {
        if (closing) {
          if (this.dtTags > 0) this.dtTags--;
        } else if (!selfClosing && !VOID_TAGS.has(name)) this.dtTags++;
      }
      return;
    }
    if (closing) return; // a stray close tag of an opaque element is dropped
    const attrs = s.slice(j, selfClosing ? k - 1 : k).trim();
    if (selfClosing) {
      append(this.top.cur, { k: EXT, name, attrs, body: null });
      return;
    }
    const q = this.findClose(name, k + 1);
    if (q < 0) return; // unclosed: drop the opener, keep parsing what follows
    const gt = s.indexOf(">", q);
    append(this.top.cur, { k: EXT, name, attrs, body: s.slice(k + 1, q) });
    this.i = this.ts = gt < 0 ? n : gt + 1;
  }

  /** Index of the next `</name` (any case, followed by space or `>`) at or after `from`, or -1. */
  findClose(name: string, from: number): number {
    const memo = this.closeMemo.get(name);
    if (memo !== undefined && memo[0] <= from && (memo[1] < 0 || memo[1] >= from)) {
      return memo[1];
    }
    const s = this.s;
    const len = name.length;
    let p = from;
    let found = -1;
    for (;;) {
      const q = s.indexOf("</", p);
      if (q < 0) break;
      let ok = true;
      for (let t = 0; t < len; t++) {
        const c = s.charCodeAt(q + 2 + t) | 0x20;
        if (c !== name.charCodeAt(t)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        const after = s.charCodeAt(q + 2 + len);
        if (after === C_GT || after === C_SP || after === C_TAB || after === C_LF) {
          found = q;
          break;
        }
      }
      p = q + 2;
    }
    this.closeMemo.set(name, [from, found]);
    return found;
  }
}
