/**
 * A template use as the families see it: normalised name, positional and named parameters,
 * and the small helpers handlers share (a parameter's text, the first non-blank one).
 *
 * @module
 */

import type { Node, TemplateNode } from "../_nodes.ts";
import type { TemplateContext } from "./context.ts";

/** A template family entry: renders one use of the template into `r.out`. */
export type Handler = (t: TemplateCall, r: TemplateContext) => void;

export class TemplateCall {
  readonly node: TemplateNode;
  /** Normalised name as reported in statistics: first letter upper case, `_` → space. */
  readonly name: string;
  /** Lookup key: the name in lower case; for `{{name:arg}}` forms, `name:`. */
  readonly key: string;
  /** For `{{formatnum:1234}}`-style magic words and `{{#if:…}}`: the text after the colon. */
  readonly colonText: string;
  private pos: Node[][] | null = null;
  private byName: Map<string, Node[]> | null = null;
  private positionalCount = -1;

  constructor(node: TemplateNode, name: string, key: string, colonText: string) {
    this.node = node;
    this.name = name;
    this.key = key;
    this.colonText = colonText;
  }

  private split(): void {
    const pos: Node[][] = [];
    const byName = new Map<string, Node[]>();
    const parts = this.node.parts;
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i];
      const first = part[0];
      const eq = typeof first === "string" ? first.indexOf("=") : -1;
      if (eq >= 0) {
        const name = (first as string).slice(0, eq).trim();
        const value: Node[] = [(first as string).slice(eq + 1)];
        for (let j = 1; j < part.length; j++) value.push(part[j]);
        byName.set(name, value);
      } else pos.push(part);
    }
    this.pos = pos;
    this.byName = byName;
  }

  /** The i-th (1-based) positional parameter; an explicit `i=` wins, as in MediaWiki. */
  arg(i: number): Node[] | undefined {
    if (this.pos === null) this.split();
    return this.byName!.get(String(i)) ?? this.pos![i - 1];
  }

  /** A named parameter (first of the given names that is present). */
  named(...names: string[]): Node[] | undefined {
    if (this.byName === null) this.split();
    for (const n of names) {
      const v = this.byName!.get(n);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Number of positional parameters (explicit numbered ones included). */
  get count(): number {
    if (this.positionalCount < 0) {
      if (this.pos === null) this.split();
      let n = this.pos!.length;
      for (const k of this.byName!.keys()) {
        const v = Number(k);
        if (Number.isInteger(v) && v > n && v < this.node.parts.length + 8) n = v;
      }
      this.positionalCount = n;
    }
    return this.positionalCount;
  }

  /** All named parameters, in order of appearance. */
  namedEntries(): [string, Node[]][] {
    if (this.byName === null) this.split();
    return [...this.byName!];
  }

  /** The i-th raw part after the name (parser functions do not split on `=`). */
  raw(i: number): Node[] | undefined {
    return this.node.parts[i];
  }
}

/** A parameter's text, trimmed ("" when absent). */
export function text(r: TemplateContext, nodes: Node[] | undefined): string {
  return nodes === undefined ? "" : r.flat(nodes).trim();
}

/** True when the parameter is absent or renders to whitespace only. */
export function blank(r: TemplateContext, nodes: Node[] | undefined): boolean {
  if (nodes === undefined) return true;
  for (const n of nodes) {
    if (typeof n !== "string") return r.flat(nodes).trim() === "";
    if (n.trim() !== "") return false;
  }
  return true;
}

/** Renders the first present, non-blank parameter; returns whether one was found. */
export function first(r: TemplateContext, ...candidates: (Node[] | undefined)[]): boolean {
  for (const c of candidates) {
    if (!blank(r, c)) {
      r.nodes(trimNodes(c!));
      return true;
    }
  }
  return false;
}

/** Trims leading and trailing whitespace of the text at the ends of a parameter. */
export function trimNodes(nodes: Node[]): Node[] {
  if (nodes.length === 0) return nodes;
  const a = nodes[0];
  const b = nodes[nodes.length - 1];
  if (nodes.length === 1) {
    if (typeof a !== "string") return nodes;
    const t = a.trim();
    return t === a ? nodes : [t];
  }
  const a2 = typeof a === "string" ? a.trimStart() : a;
  const b2 = typeof b === "string" ? b.trimEnd() : b;
  // Most parameters and link targets have nothing to trim: no copy then.
  if (a2 === a && b2 === b) return nodes;
  const out = nodes.slice();
  out[0] = a2;
  out[out.length - 1] = b2;
  return out;
}

/** A handler that renders nothing. */
export const drop: Handler = () => {};
