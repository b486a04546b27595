/**
 * Template dispatch: exact names from each family, then the families' name patterns,
 * then the default for unknown templates.
 *
 * Unknown templates (default): dropped, and counted by name. One exception keeps words
 * that would otherwise vanish from running text: a template used *inline* (text on the
 * same line before or after it) with exactly one positional parameter that is short plain
 * text (no markup, no newline, at most 40 characters, not a 1–3 letter code) shows that
 * parameter. Inline single-argument templates are overwhelmingly formatting wrappers
 * (`{{nowrap|…}}`-like); navigation boxes, maintenance tags and infoboxes stand on their
 * own line or take named parameters, so they still vanish.
 *
 * @module
 */

import type { TemplateNode } from "../_nodes.ts";
import type { TemplateContext } from "./context.ts";
import { type Handler, TemplateCall } from "./call.ts";
import * as conversion from "./conversion.ts";
import * as drop from "./drop.ts";
import { FAMILIES } from "./families.ts";
import * as families from "./families.ts";
import * as inline from "./inline.ts";
import * as interlanguage from "./interlanguage.ts";
import * as lang from "./lang.ts";
import * as values from "./values.ts";

const PREFIXES = /^(?:subst|safesubst|msgnw|raw|template|模板|样板|範本|范本|模闆)\s*:\s*/i;

/** Normalises a template name: whitespace/`_` runs → one space, first letter upper case. */
export function normalizeName(raw: string): string {
  let name = raw.replace(/[\s_]+/g, " ").trim();
  for (let i = 0; i < 3; i++) {
    const m = PREFIXES.exec(name);
    if (!m) break;
    name = name.slice(m[0].length);
  }
  if (name.length === 0) return name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Handlers by name as MediaWiki compares names (first letter upper case, `_` = space, the
 * rest case-sensitive), so `{{BD}}` and `{{bd}}` are different templates.
 */
const EXACT = new Map<string, Handler>();
/** By lower-case name, for spellings whose case differs only past the first letter. */
const FOLDED = new Map<string, Handler | null>();

function register(name: string, h: Handler, exactOnly = false): void {
  const n = normalizeName(name);
  EXACT.set(n, h);
  if (exactOnly) return;
  const k = n.toLowerCase();
  const had = FOLDED.get(k);
  // Two templates differing only in case (BD, Bd): neither owns the folded spelling.
  FOLDED.set(k, had === undefined || had === h ? h : null);
}

for (
  const family of [
    drop.templates,
    inline.templates,
    lang.templates,
    interlanguage.templates,
    values.templates,
    conversion.templates,
  ]
) {
  for (const [k, h] of Object.entries(family)) register(k, h);
}
// The families table comes last: its rows override the older per-file entries.
for (const f of FAMILIES) for (const n of f.names) register(n, f.shows, f.exact);

const MATCHERS: ((key: string) => Handler | undefined)[] = [
  families.match,
  lang.match,
  interlanguage.match,
  drop.match,
];

/** Whether a template name is known (exactly or by pattern). */
export function isKnownTemplate(name: string): boolean {
  const n = normalizeName(name);
  if (EXACT.has(n) || FOLDED.get(n.toLowerCase())) return true;
  const key = n.toLowerCase();
  for (const m of MATCHERS) if (m(key)) return true;
  return false;
}

export function renderTemplate(node: TemplateNode, r: TemplateContext): void {
  const head = node.parts[0];
  const rawName = head.length === 1 && typeof head[0] === "string" ? head[0] : r.flat(head);
  if (rawName.length > 256) return; // not a template name: a runaway `{{`
  let entry = NAME_CACHE.get(rawName);
  if (entry === undefined) {
    entry = resolveName(rawName);
    if (NAME_CACHE.size >= 20_000) NAME_CACHE.clear(); // bounded memory across a dump
    NAME_CACHE.set(rawName, entry);
  }
  if (entry.name.length === 0) return;
  const call = new TemplateCall(node, entry.name, entry.key, entry.colonText);
  const aliases = r.opts.noteTaAliases;
  if (aliases.size > 0 && aliases.has(entry.name)) conversion.noteTA(call, r);
  else if (entry.handler !== undefined) entry.handler(call, r);
  else if (entry.key.charCodeAt(0) !== 35) unknownTemplate(call, r); // not a parser function
}

interface NameEntry {
  name: string;
  key: string;
  colonText: string;
  handler: Handler | undefined;
}

/** Template names repeat a lot (`cite web`…): their resolution is cached. */
const NAME_CACHE = new Map<string, NameEntry>();

function resolveName(rawName: string): NameEntry {
  let name = normalizeName(rawName);
  if (name.length > 200) name = "";
  let key = name.toLowerCase();
  let colonText = "";
  let split = false;
  const colon = name.indexOf(":");
  if (colon > 0) {
    const prefix = key.slice(0, colon).trim();
    if (values.isColonName(prefix)) {
      split = true;
      colonText = name.slice(colon + 1);
      key = prefix + ":";
      name = name.slice(0, colon).trim();
    }
  }
  let handler = split ? undefined : EXACT.get(name);
  if (handler === undefined) handler = FOLDED.get(key) ?? undefined;
  if (handler === undefined) {
    for (const m of MATCHERS) {
      handler = m(key);
      if (handler !== undefined) break;
    }
  }
  return { name, key, colonText, handler };
}

function unknownTemplate(t: TemplateCall, r: TemplateContext): void {
  r.reportUnknown(t.name);
  const parts = t.node.parts;
  if (parts.length !== 2) return;
  const p = parts[1];
  if (p.length !== 1 || typeof p[0] !== "string") return;
  const s = p[0];
  if (s.indexOf("=") >= 0 || s.indexOf("\n") >= 0) return;
  const v = s.trim();
  if (v.length === 0 || v.length > 40 || /^[A-Za-z]{1,3}$/.test(v)) return;
  if (!r.isInline()) return;
  r.out.text(v);
}
