/**
 * Turns the node tree into prose. Each node kind is rendered in one method here;
 * templates are dispatched by name to the families under `_templates/`.
 *
 * Recursion follows the tree, whose depth the tokenizer bounds by MAX_DEPTH.
 *
 * @module
 */

import type { Segment } from "../types.ts";
import { decodeEntities } from "./_entities.ts";
import {
  CATEGORY_NAMESPACES,
  FILE_NAMESPACES,
  INTERWIKI_PREFIXES,
  LANGUAGE_PREFIXES,
} from "./_namespaces.ts";
import {
  ARG,
  CONV,
  EXT,
  EXTLINK,
  type ExtNode,
  FAILED,
  HEADING,
  LINK,
  type LinkNode,
  LIST,
  type Node,
  SWITCH,
  TABLE,
  type TableNode,
  TAG,
  TEMPLATE,
  type TemplateNode,
} from "./_nodes.ts";
import { TEX_TAGS } from "./_tags.ts";
import { tokenize } from "./_tokenizer.ts";
import { FlatOutput, type Out, SegmentOutput } from "./_output.ts";
import { trimNodes } from "./_templates/call.ts";
import type { ResolvedOptions } from "./_options.ts";
import { dropsSection } from "./_sections.ts";
import type { TemplateContext } from "./_templates/context.ts";
import { renderTemplate } from "./_templates/registry.ts";

/** Collects the inside of a `-{…}-` block; see {@link Renderer.convText}. */
class ConvOutput extends FlatOutput {
  override text(s: string): void {
    if (s.indexOf("\n") >= 0) {
      s = s.split(BLANK_LINES).map((part) => part.replace(SOURCE_BREAK, "")).join("\n");
    }
    this.buf += s;
  }
}

/** A blank line (a paragraph break) and a single source line break, with their spaces. */
const BLANK_LINES = /[ \t]*\n(?:[ \t]*\n)+[ \t]*/g;
const SOURCE_BREAK = /[ \t]*\n[ \t]*/g;
/** Spaces around the kept line breaks of a block, and runs of them. */
const BREAK_SPACES = /[ \t\u00a0\u3000]*\n[\s]*/g;

const LANG_ATTR_TO = /\bto\s*=\s*["']?([A-Za-z][A-Za-z0-9-]{0,15})/i;
const LANG_ATTR_FROM = /\bfrom\s*=\s*["']?([A-Za-z][A-Za-z0-9-]{0,15})/i;

/** A `<code>` body that holds markup (else it is copied as it is). */
const CODE_MARKUP = /[<[{'&_]/;

/** Writes everything as verbatim text into another output (the inside of `<code>`). */
class VerbatimOutput implements Out {
  constructor(private readonly to: Out) {}
  text(s: string): void {
    this.to.raw(s, true);
  }
  raw(s: string): void {
    this.to.raw(s, true);
  }
  conv(s: string): void {
    this.to.conv(s);
  }
  group(s: string): void {
    this.to.group(s);
  }
  nocc(): void {
    this.to.nocc();
  }
  newline(): void {
    this.to.newline();
  }
  space(): void {
    this.to.space();
  }
}

/** The inside of a `<code>` that holds a `-{…}-` node: prose, spaces kept. */
class CodeTextOutput extends VerbatimOutput {
  constructor(private readonly into: Out) {
    super(into);
  }
  override text(s: string): void {
    this.into.text(s, true);
  }
}

/** Whether a `-{…}-` node occurs anywhere in `list` (explicit stack: no recursion). */
function hasConv(list: Node[]): boolean {
  const stack: Node[][] = [list];
  while (stack.length > 0) {
    for (const n of stack.pop()!) {
      if (typeof n === "string") continue;
      if (n.k === CONV) return true;
      if (n.k === TEMPLATE || n.k === ARG || n.k === LINK || n.k === FAILED) {
        for (const p of n.parts) stack.push(p);
      } else if (n.k === EXTLINK) stack.push(n.label);
      else if (n.k === HEADING) stack.push(n.children);
      else if (n.k === TABLE) {
        stack.push(n.caption);
        for (const row of n.rows) for (const cell of row) stack.push(cell.children);
      }
    }
  }
  return false;
}

/**
 * Cuts `s` into text and whole `-{…}-` blocks (nesting counted), alternately, text first:
 * one linear scan, for a body where nothing else is markup (`<pre>`).
 */
function convPieces(s: string): string[] {
  const out: string[] = [];
  let textStart = 0;
  let open = -1;
  let depth = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    const d = s.charCodeAt(i + 1);
    if (c === 0x2d && d === 0x7b) { // -{
      if (depth++ === 0) open = i;
      i++;
    } else if (c === 0x7d && d === 0x2d && depth > 0) { // }-
      if (--depth === 0) {
        out.push(s.slice(textStart, open), s.slice(open, i + 2));
        textStart = i + 2;
      }
      i++;
    }
  }
  out.push(s.slice(textStart));
  return out;
}

const NOCC_SWITCHES = new Set(["NOCC", "NOCONTENTCONVERT", "不转换内容", "不轉換內容"]);
const DISAMBIG_SWITCHES = new Set(["DISAMBIG", "消除歧义", "消除歧義", "消歧义", "消歧義"]);

const FILE_PREFIX = 1;
const CATEGORY_PREFIX = 2;
const LANGUAGE_PREFIX = 4;
const INTERWIKI_PREFIX = 8;
/** Link prefixes as written (`Category`, `File`, `en`…) repeat: their kinds are cached. */
const PREFIX_KINDS = new Map<string, number>();

/** What a link's prefix before `:` names, as bits (0: none of them, a plain title). */
function prefixKind(raw: string): number {
  let kind = PREFIX_KINDS.get(raw);
  if (kind !== undefined) return kind;
  const prefix = raw.trim().toLowerCase().replace(/[ _]+/g, " ");
  kind = (FILE_NAMESPACES.has(prefix) ? FILE_PREFIX : 0) |
    (CATEGORY_NAMESPACES.has(prefix) ? CATEGORY_PREFIX : 0) |
    (LANGUAGE_PREFIXES.has(prefix) ? LANGUAGE_PREFIX : 0) |
    (INTERWIKI_PREFIXES.has(prefix) ? INTERWIKI_PREFIX : 0);
  if (PREFIX_KINDS.size >= 10_000) PREFIX_KINDS.clear(); // bounded memory across a dump
  PREFIX_KINDS.set(raw, kind);
  return kind;
}

export class Renderer implements TemplateContext {
  readonly opts: ResolvedOptions;
  readonly title: string;
  readonly main = new SegmentOutput();
  out: Out;
  categories: string[] = [];
  unknown: string[] = [];
  /** The unknown templates used inside running text. */
  unknownInline: string[] = [];
  disambig = false;
  /** Sibling context of the template being rendered (for the unknown-template default). */
  siblings: Node[] = [];
  index = 0;

  constructor(opts: ResolvedOptions, title: string) {
    this.opts = opts;
    this.title = title;
    this.out = this.main;
  }

  reportUnknown(name: string): void {
    this.unknown.push(name);
    if (this.isInline()) this.unknownInline.push(name);
  }

  markDisambig(): void {
    this.disambig = true;
  }

  isInline(): boolean {
    const sib = this.siblings;
    const i = this.index;
    // Other templates, refs and files on the line are looked past (a line of navboxes is
    // not running text); a few siblings each way are enough and keep this O(1).
    for (let j = i - 1; j >= 0 && j >= i - 8; j--) {
      const t = touchesText(sib[j], true);
      if (t === TEXT) return true;
      if (t === BREAK) break;
    }
    for (let j = i + 1; j < sib.length && j <= i + 8; j++) {
      const t = touchesText(sib[j], false);
      if (t !== PAST) return t === TEXT;
    }
    return false;
  }

  /** Renders a whole page: sections named in dropSections are muted up to the next peer heading. */
  page(root: Node[]): Segment[] {
    const opts = this.opts;
    let muteLevel = 0;
    for (let i = 0; i < root.length; i++) {
      const node = root[i];
      if (typeof node !== "string" && node.k === HEADING) {
        if (muteLevel > 0 && node.level <= muteLevel) {
          muteLevel = 0;
          this.main.muted = false;
        }
        const rule = opts.sections;
        if (muteLevel === 0 && (rule.patterns || rule.extra.size > 0)) {
          const title = this.quietFlat(node.children);
          if (dropsSection(rule, title)) {
            muteLevel = node.level;
            this.main.newline();
            this.main.muted = true;
            continue;
          }
        }
        if (muteLevel > 0) {
          // A subsection of a dropped section: only its rules count.
          this.main.newline();
          this.nodes(node.children);
          this.main.newline();
          continue;
        }
        this.main.startHeading(node.level, opts.headings === "keep");
        this.nodes(node.children);
        this.main.endHeading();
        continue;
      }
      this.siblings = root;
      this.index = i;
      this.node(node);
    }
    return this.main.finish();
  }

  /**
   * Flat renderings already made, by node list. Links and templates render some of their
   * parts twice (once flat to inspect, once for output); without this, parts nested k deep
   * would be rendered 2^k times.
   */
  #flatCache = new Map<Node[], string>();

  nodes(list: Node[]): void {
    // Flat rendering of a list is context-free text: reuse it when it was made before.
    if (this.out instanceof FlatOutput) {
      this.out.text(this.flat(list));
      return;
    }
    this.walk(list);
  }

  /** Renders each node of `list` into the current output. */
  walk(list: Node[]): void {
    const saveS = this.siblings;
    const saveI = this.index;
    this.siblings = list;
    for (let i = 0; i < list.length; i++) {
      this.index = i;
      this.node(list[i]);
    }
    this.siblings = saveS;
    this.index = saveI;
  }

  /** Renders nodes to a plain string (conversion blocks re-serialised as `-{…}-`). */
  flat(list: Node[]): string {
    if (list.length === 1 && typeof list[0] === "string") return list[0];
    const hit = this.#flatCache.get(list);
    if (hit !== undefined) return hit;
    const save = this.out;
    const f = new FlatOutput();
    this.out = f;
    this.walk(list);
    this.out = save;
    this.#flatCache.set(list, f.buf);
    return f.buf;
  }

  /**
   * The inside of a `-{…}-` block as text: its wikitext rendered (links, templates; files and
   * refs vanish), source line breaks removed with the spaces around them (rule layout, as on
   * the page), `<br>` and blank lines kept as `\n`.
   */
  convText(list: Node[]): string {
    const save = this.out;
    const c = new ConvOutput();
    this.out = c;
    this.walk(list);
    this.out = save;
    const s = c.buf;
    return s.indexOf("\n") < 0 ? s : s.replace(BREAK_SPACES, "\n").replace(/^\n+|\n+$/g, "");
  }

  /** Like {@link flat}, without recording categories or unknown templates. */
  quietFlat(list: Node[]): string {
    const c = this.categories.length;
    const u = this.unknown.length;
    const ui = this.unknownInline.length;
    const d = this.disambig;
    const s = this.flat(list);
    this.categories.length = c;
    this.unknown.length = u;
    this.unknownInline.length = ui;
    this.disambig = d;
    return s;
  }

  node(node: Node): void {
    if (typeof node === "string") {
      this.out.text(node);
      return;
    }
    const main = this.main;
    if (this.out !== main) {
      this.markup(node);
      return;
    }
    const before = main.written;
    this.markup(node);
    if (main.written === before) main.gap();
  }

  /** Renders a node other than text. */
  markup(node: Exclude<Node, string>): void {
    switch (node.k) {
      case TEMPLATE:
        renderTemplate(node as TemplateNode, this);
        return;
      case ARG: {
        // `{{{1|default}}}` outside a template: the default is what shows.
        if (node.parts.length > 1) this.nodes(node.parts[1]);
        return;
      }
      case LINK:
        this.link(node);
        return;
      case EXTLINK:
        this.nodes(node.label);
        return;
      case TAG:
        // HTML table cells sit side by side; other block tags break the line.
        if (node.name === "td" || node.name === "th") this.out.space();
        else this.out.newline();
        return;
      case EXT:
        this.ext(node);
        return;
      case HEADING:
        this.out.newline();
        if (this.opts.headings === "keep") this.nodes(node.children);
        this.out.newline();
        return;
      case LIST:
        this.out.newline();
        return;
      case TABLE: {
        if (this.opts.tables === "text") {
          this.table(node);
          return;
        }
        // A one-cell layout table only frames its content (a formula, a sentence): keep it.
        const cell = onlyCell(node);
        this.out.newline();
        if (cell !== null && this.framesProse(cell)) {
          this.nodes(trimNodes(cell));
          this.out.newline();
        }
        return;
      }
      case CONV:
        this.out.conv(this.convText(node.children));
        return;
      case SWITCH: {
        const name = node.name;
        if (NOCC_SWITCHES.has(name)) this.out.nocc();
        else if (DISAMBIG_SWITCHES.has(name)) this.disambig = true;
        return;
      }
      case FAILED: {
        // The unmatched opener is dropped; what it held stays as text.
        if (node.open === CONV) this.out.text("-{");
        const parts = node.parts;
        for (let i = 0; i < parts.length; i++) {
          if (i > 0) this.out.text("|");
          this.nodes(parts[i]);
        }
        return;
      }
    }
  }

  link(node: LinkNode): void {
    const parts = node.parts;
    let target = this.flat(parts[0]);
    const last = target.length - 1;
    if (last >= 0 && (target.charCodeAt(0) <= 32 || target.charCodeAt(last) <= 32)) {
      target = target.trim();
    }
    let colonLead = false;
    if (target.charCodeAt(0) === 58) {
      colonLead = true;
      target = target.slice(1).trimStart();
    }
    const colon = target.indexOf(":");
    let shown = target;
    if (colon > 0) {
      const kind = prefixKind(target.slice(0, colon));
      const isFile = (kind & FILE_PREFIX) !== 0;
      const isCat = (kind & CATEGORY_PREFIX) !== 0;
      const isLang = (kind & LANGUAGE_PREFIX) !== 0;
      if (!colonLead) {
        if (isFile) return;
        if (isCat) {
          const name = target.slice(colon + 1).replace(/_/g, " ").trim();
          if (name) this.categories.push(name);
          return;
        }
        if (isLang) return;
      }
      if (kind !== 0) {
        shown = target.slice(colon + 1).trim();
        // `[[:en:Category:Foo]]` shows `Foo`.
        const c2 = shown.indexOf(":");
        if (c2 > 0 && (kind & (LANGUAGE_PREFIX | INTERWIKI_PREFIX)) !== 0) {
          if ((prefixKind(shown.slice(0, c2)) & (CATEGORY_PREFIX | FILE_PREFIX)) !== 0) {
            shown = shown.slice(c2 + 1).trim();
          }
        }
      }
    }
    if (parts.length === 1) {
      // Render the target itself when it is shown as written, so a `-{…}-` in it stays a rule.
      if (shown === target && !colonLead) this.nodes(trimNodes(parts[0]));
      else this.out.text(shown);
      return;
    }
    if (parts.length === 2 && this.isBlank(parts[1])) {
      // Pipe trick: `[[a (b)|]]` shows `a`.
      const paren = shown.search(/\s*[（(]/);
      this.out.text(paren > 0 ? shown.slice(0, paren) : shown);
      return;
    }
    for (let i = 1; i < parts.length; i++) {
      if (i > 1) this.out.text("|");
      this.nodes(parts[i]);
    }
  }

  isBlank(list: Node[]): boolean {
    for (const n of list) if (typeof n !== "string" || n.trim() !== "") return false;
    return true;
  }

  ext(node: ExtNode): void {
    const body = node.body;
    if (body === null) return;
    const name = node.name;
    if (name === "nowiki") {
      this.out.raw(decodeEntities(body));
    } else if (name === "code") {
      // <code> is HTML: its content is wikitext (tags, links, `-{}-`), shown unconverted.
      if (!CODE_MARKUP.test(body)) {
        this.out.raw(body, true);
        return;
      }
      const tree = tokenize(body);
      const save = this.out;
      // MediaWiki skips a whole `<code>…</code>` only when no `-{…}-` cuts it: around one,
      // its text is converted (its "force convert"), so it is prose here.
      this.out = hasConv(tree) ? new CodeTextOutput(save) : new VerbatimOutput(save);
      this.walk(tree);
      this.out = save;
    } else if (name === "pre") {
      if (this.opts.pre === "keep") this.pre(body);
    } else if (name === "langconvert") {
      this.langConvert(node.attrs, body);
    } else if (TEX_TAGS.has(name)) {
      if (this.opts.math === "keep") {
        const tex = body.replace(/\s*\n\s*/g, " ").trim();
        if (tex) this.out.raw(tex, true);
      }
    }
    // Everything else opaque (refs, galleries, pre, syntaxhighlight…) shows nothing.
  }

  /**
   * `<pre>` kept (`--pre keep`): a block of lines, spaces kept, entities decoded. Its body is
   * not wikitext (MediaWiki escapes it), so only `-{…}-` is read in it: around one, the text
   * is converted as MediaWiki's "force convert" does; otherwise it stays as written.
   */
  pre(body: string): void {
    // HTML drops one newline right after `<pre>`.
    const text = body.startsWith("\r\n")
      ? body.slice(2)
      : body.startsWith("\n")
      ? body.slice(1)
      : body;
    this.out.newline();
    if (text.includes("-{")) {
      const save = this.out;
      this.out = new CodeTextOutput(save);
      const pieces = convPieces(text);
      for (let i = 0; i < pieces.length; i++) {
        if (i % 2 === 0) this.out.text(decodeEntities(pieces[i]));
        else this.walk(tokenize(pieces[i]));
      }
      this.out = save;
    } else {
      this.out.raw(decodeEntities(text), true);
    }
    this.out.newline();
  }

  /**
   * `<langconvert from="zh-hans" to="zh-hant">文字</langconvert>`: the text converted into
   * `to` whatever the reader's variant. Passed on as conv `zh-hant;langconvert=zh-hans|文字`,
   * which the variant stage reads as such (`_rule.ts` in zhconv).
   */
  langConvert(attrs: string, body: string): void {
    const text = this.convText(tokenize(body)).trim();
    if (text === "") return;
    const to = LANG_ATTR_TO.exec(attrs)?.[1] ?? "";
    const from = LANG_ATTR_FROM.exec(attrs)?.[1] ?? "";
    if (to === "") this.out.text(text);
    else this.out.conv(to + ";langconvert=" + from + "|" + text);
  }

  /** A lone cell holding a formula or a sentence (not a one-word data table). */
  framesProse(cell: Node[]): boolean {
    for (const n of cell) {
      if (typeof n !== "string" && n.k === EXT && TEX_TAGS.has(n.name)) return true;
    }
    const s = this.quietFlat(cell).trimEnd();
    const last = s.charAt(s.length - 1);
    return last === "。" || last === "！" || last === "？" || last === "：";
  }

  table(node: TableNode): void {
    const out = this.out;
    out.newline();
    if (node.caption.length > 0) {
      this.nodes(node.caption);
      out.newline();
    }
    for (const row of node.rows) {
      for (const cell of row) {
        out.space();
        this.nodes(trimNodes(cell.children));
      }
      out.newline();
    }
  }
}

const TEXT = 0;
const BREAK = 1;
const PAST = 2;

/**
 * What a sibling node means for the line of the node next to it: text on the line, a line
 * break (or block) in between, or nothing to decide by (spaces, templates, refs, files).
 */
function touchesText(n: Node, before: boolean): number {
  if (typeof n !== "string") {
    if (n.k === LIST || n.k === TABLE || n.k === HEADING || n.k === TAG) return BREAK;
    if (n.k === TEMPLATE || n.k === EXT || n.k === SWITCH) return PAST;
    if (n.k === LINK) {
      const head = n.parts[0][0];
      if (typeof head === "string") {
        const colon = head.indexOf(":");
        if (
          colon > 0 && (prefixKind(head.slice(0, colon)) & (FILE_PREFIX | CATEGORY_PREFIX)) !== 0
        ) {
          return PAST;
        }
      }
    }
    return TEXT;
  }
  // The nearest character that is not a space or tab must be text, not a line break.
  if (before) {
    for (let j = n.length - 1; j >= 0; j--) {
      const c = n.charCodeAt(j);
      if (c !== 32 && c !== 9) return c === 10 ? BREAK : TEXT;
    }
    return PAST;
  }
  for (let j = 0; j < n.length; j++) {
    const c = n.charCodeAt(j);
    if (c !== 32 && c !== 9) return c === 10 ? BREAK : TEXT;
  }
  return PAST;
}

/** The content of a table with exactly one cell and no caption, else null. */
function onlyCell(t: TableNode): Node[] | null {
  if (t.caption.length > 0) return null;
  let found: Node[] | null = null;
  for (const row of t.rows) {
    for (const cell of row) {
      if (found !== null) return null;
      found = cell.children;
    }
  }
  return found;
}
