/**
 * A small reader for the plain-data Lua of `Module:CGroup/<name>` pages: string literals
 * (quoted with escapes, long brackets), numbers, booleans, table constructors and calls
 * such as `Item('原', 'zh-cn:…;zh-tw:…')`. Anything else (local, require, operators) is
 * skipped. Nesting uses an explicit stack, so no input can exhaust the call stack.
 *
 * @module
 */

import { RulesError } from "../errors.ts";

/** A Lua value as far as this reader understands it. */
export type LuaValue = string | number | boolean | null | LuaTable | LuaCall;

/** A table constructor: named/keyed fields and positional items, in order. */
export interface LuaTable {
  kind: "table";
  fields: Map<string, LuaValue>;
  items: LuaValue[];
}

/** A call `name(args)`, `name{…}` or `name'…'`; `name` keeps dots (`core.Item`). */
export interface LuaCall {
  kind: "call";
  name: string;
  args: LuaValue[];
}

type Tok =
  | { t: "str"; v: string; at: number }
  | { t: "num"; v: number; at: number }
  | { t: "name"; v: string; at: number }
  | { t: "op"; v: string; at: number };

function isNameStart(u: number): boolean {
  return (u >= 0x61 && u <= 0x7a) || (u >= 0x41 && u <= 0x5a) || u === 0x5f || u >= 0x80;
}

function isDigit(u: number): boolean {
  return u >= 0x30 && u <= 0x39;
}

/** `[[`, `[==[` …: the level (number of `=`), or -1 when `s[i]` does not open one. */
function longBracketLevel(s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x5b) return -1;
  let j = i + 1;
  while (s.charCodeAt(j) === 0x3d) j++;
  return s.charCodeAt(j) === 0x5b ? j - i - 1 : -1;
}

function readLong(s: string, i: number, level: number): { v: string; end: number } {
  const open = i + level + 2;
  const close = "]" + "=".repeat(level) + "]";
  const k = s.indexOf(close, open);
  if (k < 0) throw new RulesError(`Lua: unterminated long bracket at offset ${i}`);
  let from = open;
  // A newline right after the opening bracket is not part of the string.
  if (s.charCodeAt(from) === 0x0d) from++;
  if (s.charCodeAt(from) === 0x0a) from++;
  return { v: s.slice(from, k), end: k + close.length };
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
  "\n": "\n",
};

function readQuoted(s: string, i: number): { v: string; end: number } {
  const q = s[i];
  let out = "";
  let j = i + 1;
  let from = j;
  for (;;) {
    if (j >= s.length) throw new RulesError(`Lua: unterminated string at offset ${i}`);
    const c = s[j];
    if (c === q) break;
    if (c === "\n") throw new RulesError(`Lua: newline in string at offset ${j}`);
    if (c !== "\\") {
      j++;
      continue;
    }
    out += s.slice(from, j);
    const e = s[j + 1];
    if (e === undefined) throw new RulesError(`Lua: unterminated string at offset ${i}`);
    if (ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      j += 2;
    } else if (isDigit(e.charCodeAt(0))) {
      let k = j + 1;
      let n = 0;
      while (k < j + 4 && isDigit(s.charCodeAt(k))) n = n * 10 + s.charCodeAt(k++) - 48;
      // Decimal escapes are bytes; these modules only use them for ASCII.
      out += String.fromCharCode(n);
      j = k;
    } else if (e === "x") {
      out += String.fromCharCode(parseInt(s.slice(j + 2, j + 4), 16));
      j += 4;
    } else if (e === "u" && s[j + 2] === "{") {
      const k = s.indexOf("}", j + 3);
      if (k < 0) throw new RulesError(`Lua: bad \\u escape at offset ${j}`);
      out += String.fromCodePoint(parseInt(s.slice(j + 3, k), 16));
      j = k + 1;
    } else if (e === "z") {
      j += 2;
      while (j < s.length && /\s/.test(s[j])) j++;
    } else {
      out += e;
      j += 2;
    }
    from = j;
  }
  return { v: out + s.slice(from, j), end: j + 1 };
}

/** Splits Lua source into tokens, dropping comments. */
export function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const u = s.charCodeAt(i);
    if (u === 0x20 || (u >= 0x09 && u <= 0x0d) || u === 0xfeff) {
      i++;
    } else if (u === 0x2d && s.charCodeAt(i + 1) === 0x2d) {
      const level = longBracketLevel(s, i + 2);
      if (level >= 0) i = readLong(s, i + 2, level).end;
      else {
        const nl = s.indexOf("\n", i);
        i = nl < 0 ? s.length : nl + 1;
      }
    } else if (u === 0x22 || u === 0x27) {
      const r = readQuoted(s, i);
      toks.push({ t: "str", v: r.v, at: i });
      i = r.end;
    } else if (u === 0x5b && longBracketLevel(s, i) >= 0) {
      const r = readLong(s, i, longBracketLevel(s, i));
      toks.push({ t: "str", v: r.v, at: i });
      i = r.end;
    } else if (isDigit(u) || (u === 0x2e && isDigit(s.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < s.length && /[0-9a-fA-FxX.]/.test(s[j])) j++;
      toks.push({ t: "num", v: Number(s.slice(i, j)), at: i });
      i = j;
    } else if (isNameStart(u)) {
      let j = i + 1;
      while (j < s.length && (isNameStart(s.charCodeAt(j)) || isDigit(s.charCodeAt(j)))) j++;
      toks.push({ t: "name", v: s.slice(i, j), at: i });
      i = j;
    } else {
      const two = s.slice(i, i + 2);
      const op = two === ".." || two === "==" || two === "~=" || two === "<=" || two === ">="
        ? two
        : s[i];
      toks.push({ t: "op", v: op, at: i });
      i += op.length;
    }
  }
  return toks;
}

type Frame =
  | { kind: "table"; value: LuaTable; key: string | null }
  | { kind: "call"; value: LuaCall; close: string };

/**
 * Reads every top-level value of a chunk (e.g. the table after `return`). Unknown syntax
 * is skipped rather than rejected: the goal is the data, not the program.
 */
export function readLua(src: string): LuaValue[] {
  const toks = tokenize(src);
  const top: LuaValue[] = [];
  const stack: Frame[] = [];
  let concat = false;

  const emit = (v: LuaValue) => {
    const f = stack[stack.length - 1];
    let list: LuaValue[];
    if (f === undefined) list = top;
    else if (f.kind === "call") list = f.value.args;
    else if (f.key !== null) {
      if (concat && typeof v === "string") {
        const prev = f.value.fields.get(f.key);
        if (typeof prev === "string") v = prev + v;
      }
      f.value.fields.set(f.key, v);
      concat = false;
      return;
    } else list = f.value.items;
    if (concat && typeof v === "string" && typeof list[list.length - 1] === "string") {
      list[list.length - 1] = (list[list.length - 1] as string) + v;
    } else list.push(v);
    concat = false;
  };

  for (let k = 0; k < toks.length; k++) {
    const tk = toks[k];
    const next = toks[k + 1];
    const f = stack[stack.length - 1];
    if (tk.t === "str" || tk.t === "num") {
      emit(tk.v);
    } else if (tk.t === "name") {
      if (tk.v === "true" || tk.v === "false") {
        emit(tk.v === "true");
        continue;
      }
      if (tk.v === "nil") {
        emit(null);
        continue;
      }
      if (f?.kind === "table" && next?.t === "op" && next.v === "=") {
        f.key = tk.v;
        k++;
        continue;
      }
      // A possibly dotted name followed by a call.
      let name = tk.v;
      let j = k + 1;
      while (
        toks[j]?.t === "op" && (toks[j].v === "." || toks[j].v === ":") && toks[j + 1]?.t === "name"
      ) {
        name += String(toks[j].v) + String(toks[j + 1].v);
        j += 2;
      }
      const after = toks[j];
      if (after?.t === "op" && after.v === "(") {
        stack.push({ kind: "call", value: { kind: "call", name, args: [] }, close: ")" });
        k = j;
      } else if (after?.t === "op" && after.v === "{") {
        // f{...}: the table is the only argument.
        stack.push({ kind: "call", value: { kind: "call", name, args: [] }, close: "{}" });
        k = j - 1;
      } else if (after?.t === "str") {
        emit({ kind: "call", name, args: [after.v] });
        k = j;
      } else k = j - 1;
    } else {
      switch (tk.v) {
        case "{":
          stack.push({
            kind: "table",
            value: { kind: "table", fields: new Map(), items: [] },
            key: null,
          });
          break;
        case "}": {
          if (f?.kind !== "table") throw new RulesError(`Lua: unexpected "}" at offset ${tk.at}`);
          stack.pop();
          emit(f.value);
          const g = stack[stack.length - 1];
          if (g?.kind === "call" && g.close === "{}") {
            stack.pop();
            emit(g.value);
          }
          break;
        }
        case ")":
          if (f?.kind === "call" && f.close === ")") {
            stack.pop();
            emit(f.value);
          }
          break;
        case "[":
          // [key] = value
          if (
            f?.kind === "table" && toks[k + 2]?.v === "]" && toks[k + 3]?.v === "=" &&
            (next?.t === "str" || next?.t === "num")
          ) {
            f.key = String(next.v);
            k += 3;
          }
          break;
        case "..":
          concat = true;
          break;
        case ",":
        case ";":
          if (f?.kind === "table") f.key = null;
          break;
      }
    }
  }
  if (stack.length > 0) throw new RulesError("Lua: unclosed table or call at end of input");
  return top;
}

/**
 * The conversion rules of a CGroup module: the `content` list's rule strings,
 * `{type='item', rule=…}` tables and `Item(original, rule)` calls, in order.
 */
export function cgroupRules(src: string): string[] {
  const values = readLua(src);
  const rules: string[] = [];
  const contents: LuaTable[] = [];
  // Find every table with a `content` list (walked with a stack, not recursion).
  const todo: LuaValue[] = values.slice();
  while (todo.length > 0) {
    const v = todo.pop()!;
    if (v === null || typeof v !== "object") continue;
    // One push per value: spreading a 200,000-item table would overflow the call stack.
    if (v.kind === "call") {
      for (const a of v.args) todo.push(a);
      continue;
    }
    const c = v.fields.get("content");
    if (c && typeof c === "object" && c.kind === "table") contents.push(c);
    for (const f of v.fields.values()) todo.push(f);
    for (const item of v.items) todo.push(item);
  }
  contents.reverse();
  for (const c of contents) {
    for (const item of c.items) {
      if (typeof item === "string") rules.push(item);
      else if (item && typeof item === "object") {
        if (item.kind === "table") {
          const type = item.fields.get("type");
          const rule = item.fields.get("rule");
          if ((type === undefined || type === "item") && typeof rule === "string") rules.push(rule);
        } else if (/(^|[.:])Item$/.test(item.name)) {
          const rule = item.args[1];
          if (typeof rule === "string") rules.push(rule);
        }
      }
    }
  }
  return rules;
}
