/**
 * Reads a `Template:CGroup/<name>` page: the wikitext group form zhwiki uses beside the
 * Lua modules. The header `{{CGroupH|name=…|desc=…}}` names the group; each item template
 * holds one rule: `{{CItem|original=…|1=zh-cn:…;zh-tw:…}}` (also `CI`, `CItemHidden`,
 * `CNoteA`: the rule is parameter 1), `{{CItemLan|rule|original}}` and
 * `{{CItemLan/R|original|rule}}`. Inside parameters `{{=}}` is "=", `{{!}}` is "|" and
 * `{{lang|xx|text}}` is its text, as on the wiki. Template calls are matched with an
 * explicit stack, so any nesting stays linear and within the call stack.
 *
 * @module
 */

/** Item templates and the parameter holding their rule. */
const ITEMS: Record<string, string> = {
  "CItem": "1",
  "CI": "1",
  "CItemHidden": "1",
  "CNoteA": "1",
  "CItemLan": "1",
  "CItemLan/R": "2",
};

interface Arg {
  text: string;
  /** Where the first literal `=` is (one from `{{=}}` does not count), or -1. */
  eq: number;
}

interface Frame {
  /** Finished parameters. */
  args: Arg[];
  cur: string;
  eq: number;
  /** Depth of `[[…]]` inside the current parameter: its `|` do not split. */
  link: number;
}

function templateName(raw: string): string {
  let s = raw.trim();
  // The replacements only change names holding `_` or a namespace prefix.
  if (s.indexOf("_") >= 0 || s.indexOf(":") >= 0) {
    s = raw.replace(/_/g, " ").trim().replace(/^Template:/i, "").replace(/^模板:/, "");
  }
  const c = s.charCodeAt(0);
  // Only a lower-case first letter changes (CItem, CI… are written upper-case already).
  if (c < 128 && !(c >= 97 && c <= 122)) return s;
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Parameter `key` of a call (`args[0]` is its name), numbered as MediaWiki numbers them:
 * `k=v` is named (first `=`), the rest count 1, 2, …; a repeated one takes the last value.
 */
function param(args: Arg[], key: string): string | undefined {
  let found: string | undefined;
  let n = 0;
  for (let k = 1; k < args.length; k++) {
    const { text, eq } = args[k];
    if (eq >= 0) {
      if (text.slice(0, eq).trim() === key) found = text.slice(eq + 1).trim();
    } else if (String(++n) === key) found = text.trim();
  }
  return found;
}

/** What the reader stops at: `{{`, `}}`, `[[`, `]]` and `|`. */
const MARKS = /\{\{|\}\}|\[\[|\]\]|\|/;

/** The group's own name (from `CGroupH`) and its rule strings, in page order. */
export function templateGroup(wikitext: string): { name: string | null; rules: string[] } {
  const text = wikitext.replace(/<!--[\s\S]*?(-->|$)/g, "");
  const rules: string[] = [];
  let name: string | null = null;
  const stack: Frame[] = [];
  // What a finished call contributes to its parent parameter.
  const finish = (f: Frame): string => {
    const args = f.args;
    args.push({ text: f.cur, eq: f.eq });
    const tname = templateName(args[0].text);
    if (tname === "=") return "=";
    if (tname === "!") return "|";
    if (tname.toLowerCase() === "lang") return param(args, "2") ?? "";
    if (tname === "CGroupH") {
      const n = param(args, "name");
      if (n !== undefined && name === null) name = n;
      return "";
    }
    const key = ITEMS[tname];
    if (key !== undefined) {
      const rule = param(args, key);
      if (rule !== undefined && rule !== "") rules.push(rule);
    }
    return "";
  };
  let textFrom = 0;
  const flushText = (to: number) => {
    if (stack.length > 0 && to > textFrom) {
      const f = stack[stack.length - 1];
      const piece = text.slice(textFrom, to);
      const e = f.eq < 0 ? piece.indexOf("=") : -1;
      if (e >= 0) f.eq = f.cur.length + e;
      f.cur += piece;
    }
    textFrom = to;
  };
  // Jumps from one mark to the next instead of stepping through every character: group
  // pages are read once, before the first article, so their loop never warms up.
  const marks = new RegExp(MARKS.source, "g");
  for (let m = marks.exec(text); m !== null; m = marks.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (c === 0x7b) { // {{
      flushText(i);
      stack.push({ args: [], cur: "", eq: -1, link: 0 });
      textFrom = i + 2;
    } else if (top === undefined) {
      // Outside any call only `{{` counts: go on from the next character, as `}}}` or `[[[`
      // may hold a mark that starts there.
      if (c !== 0x7c) marks.lastIndex = i + 1;
    } else if (c === 0x7d) { // }}
      flushText(i);
      stack.pop();
      const v = finish(top);
      if (stack.length > 0) stack[stack.length - 1].cur += v;
      textFrom = i + 2;
    } else if (c === 0x5b) top.link++; // [[
    else if (c === 0x5d) { // ]]
      if (top.link > 0) top.link--;
    } else if (top.link === 0) { // |
      flushText(i);
      top.args.push({ text: top.cur, eq: top.eq });
      top.cur = "";
      top.eq = -1;
      textFrom = i + 1;
    }
  }
  return { name, rules };
}
