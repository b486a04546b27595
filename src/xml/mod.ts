/**
 * XML stage: turns the bytes of a MediaWiki XML dump into one {@link PageRecord}
 * per `<page>`, using the streaming parser saxes.
 *
 * @module
 */

import { SaxesParser, type SaxesTagPlain } from "saxes";
import { NotADumpError, XmlSyntaxError } from "../errors.ts";
import type { PageRecord } from "../types.ts";
import { createTextDecoder } from "./_decode.ts";
import { NamespaceTable } from "./_namespaces.ts";

/** Options of {@link PageTokenizerStream} (the encoding is sniffed from the BOM). */
export interface XmlOptions {
  /**
   * When given, an error is handed to this callback and the stream then closes normally
   * instead of erroring, so that every page before the damage still reaches the sink
   * (an errored stream drops what its queues hold).
   */
  onError?: (err: unknown) => void;
}

/** Elements whose text we keep, by where they sit. */
const enum Field {
  None,
  Title,
  Ns,
  Id,
  Text,
  Namespace,
}

/**
 * A `TransformStream` from dump bytes (UTF-8, or UTF-16 with a BOM) to page records.
 * Every page is emitted, whatever its namespace; later stages decide what to keep.
 * Malformed XML errors the stream with an {@link XmlSyntaxError} giving line and column.
 */
export class PageTokenizerStream extends TransformStream<Uint8Array, PageRecord> {
  constructor(options: XmlOptions = {}) {
    const parser = new SaxesParser<{ xmlns: false; position: true }>({
      xmlns: false,
      position: true,
    });
    const decoder = createTextDecoder();
    const namespaces = new NamespaceTable();
    const stack: string[] = [];
    let pending: PageRecord[] = [];
    let failure: XmlSyntaxError | null = null;
    // Bytes received; exact as an error position only once the input has ended.
    let bytesSeen = 0;
    let atEnd = false;
    let sawRoot = false;
    let startChecked = false;

    // Fields of the page being read.
    let field = Field.None;
    let parts: string[] = [];
    let inPage = false;
    let title: string | null = null;
    let ns: number | null = null;
    let id: number | null = null;
    let redirect: string | null = null;
    let text = "";
    let nsKey = 0;
    // A revision must hold <text>; a misspelt element there means a damaged dump.
    let revisionHasText = false;
    let strayInRevision: string | null = null;

    const fail = (message: string, notADump = false) => {
      if (failure === null) {
        const Cls = notADump ? NotADumpError : XmlSyntaxError;
        failure = new Cls(
          message,
          parser.line,
          parser.column + 1,
          atEnd ? bytesSeen : -1,
        );
      }
    };

    parser.on("error", (err: Error) => {
      // saxes prefixes "line:column: "; our error carries the position itself.
      fail(err.message.replace(/^\d+:\d+: /, ""));
      throw failure;
    });
    parser.on("opentag", (tag: SaxesTagPlain) => {
      const name = tag.name;
      const parent = stack.length > 0 ? stack[stack.length - 1] : "";
      stack.push(name);
      if (!sawRoot) {
        sawRoot = true;
        if (name !== "mediawiki") {
          fail(`not a MediaWiki XML dump (root element <${name}>)`, true);
          throw failure;
        }
        return;
      }
      if (name === "page" && parent === "mediawiki") {
        inPage = true;
        title = null;
        ns = null;
        id = null;
        redirect = null;
        text = "";
        return;
      }
      if (inPage) {
        if (parent === "page") {
          if (name === "title") field = Field.Title;
          else if (name === "ns") field = Field.Ns;
          else if (name === "id") field = Field.Id;
          else if (name === "redirect") {
            const t = tag.attributes["title"];
            redirect = typeof t === "string" ? t : "";
          } else if (name === "revision") {
            revisionHasText = false;
            strayInRevision = null;
          }
        } else if (parent === "revision") {
          if (name === "text") {
            field = Field.Text;
            revisionHasText = true;
          } else if (!REVISION_CHILDREN.has(name) && strayInRevision === null) {
            strayInRevision = name;
          }
        }
      } else if (name === "namespace" && parent === "namespaces") {
        field = Field.Namespace;
        nsKey = Number(tag.attributes["key"]);
      }
      if (field !== Field.None) parts = [];
    });
    parser.on("text", (t: string) => {
      if (field !== Field.None) parts.push(t);
    });
    parser.on("cdata", (t: string) => {
      if (field !== Field.None) parts.push(t);
    });
    parser.on("closetag", (tag: SaxesTagPlain) => {
      stack.pop();
      if (field !== Field.None) {
        const value = parts.length === 1 ? parts[0] : parts.join("");
        parts = [];
        switch (field) {
          case Field.Title:
            title = value;
            break;
          case Field.Ns:
            ns = parseIntStrict(value);
            if (ns === null) fail(`bad <ns> value "${value.slice(0, 20)}"`);
            break;
          case Field.Id:
            id = parseIntStrict(value);
            if (id === null) fail(`bad page <id> value "${value.slice(0, 20)}"`);
            break;
          case Field.Text:
            // Full-history dumps hold several revisions: the last one wins.
            text = value;
            break;
          case Field.Namespace:
            namespaces.add(nsKey, value);
            break;
        }
        field = Field.None;
        if (failure) throw failure;
        return;
      }
      if (tag.name === "revision" && inPage && !revisionHasText) {
        const where = title !== null ? ` of page "${title}"` : "";
        const found = strayInRevision !== null ? ` (found <${strayInRevision}>)` : "";
        fail(`revision${where} has no <text>${found}`);
        throw failure;
      }
      if (tag.name === "page" && inPage && stack.length === 1) {
        inPage = false;
        if (title === null) {
          fail(`page without <title>${id !== null ? ` (id ${id})` : ""}`);
          throw failure;
        }
        pending.push({
          id: id ?? 0,
          // Old export formats have no <ns>: derive it from the title prefix and siteinfo.
          ns: ns ?? namespaces.fromTitle(title),
          title,
          redirect,
          text,
        });
      }
    });

    const feed = (s: string, controller: TransformStreamDefaultController<PageRecord>) => {
      if (s.length === 0) return;
      if (!startChecked) {
        // Reject binary junk early with a plain message, not a parser quirk.
        const first = firstNonSpace(s);
        if (first !== -1) {
          startChecked = true;
          if (s.charCodeAt(first) !== 0x3c /* < */) {
            failure = new NotADumpError("not an XML file", 1, 1, 0);
            throw failure;
          }
        }
      }
      try {
        parser.write(s);
      } catch (err) {
        throw failure ?? err;
      } finally {
        // Pages completed before an error in this chunk are still good.
        for (const p of pending) controller.enqueue(p);
        pending = [];
      }
    };

    /** Runs a step; with `onError`, an error ends the stream cleanly after what came before. */
    const guard = (controller: TransformStreamDefaultController<PageRecord>, step: () => void) => {
      if (options.onError === undefined) return step();
      try {
        step();
      } catch (err) {
        options.onError(err);
        controller.terminate();
      }
    };

    super({
      transform: (chunk, controller) =>
        guard(controller, () => {
          bytesSeen += chunk.length;
          let s: string;
          try {
            s = decoder.decode(chunk);
          } catch {
            // The parser has consumed everything before the bad bytes: its position is theirs.
            fail(`invalid ${decoder.encoding} data`);
            throw failure;
          }
          feed(s, controller);
        }),
      flush: (controller) => guard(controller, () => finish(controller)),
    });

    function finish(controller: TransformStreamDefaultController<PageRecord>) {
      atEnd = true;
      feed(decoder.flush(), controller);
      if (!sawRoot) throw new NotADumpError("empty input: no XML document", 1, 1, 0);
      if (stack.length > 0) {
        fail(`input ended inside <${stack[stack.length - 1]}>`);
        throw failure;
      }
      try {
        parser.close();
      } catch (err) {
        throw failure ?? err;
      }
    }
  }
}

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

function parseIntStrict(s: string): number | null {
  const t = s.trim();
  if (t.length === 0 || t.length > 15) return null;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c < 0x30 || c > 0x39) && !(i === 0 && c === 0x2d)) return null;
  }
  return Number(t);
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}
