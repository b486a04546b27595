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
  const s = raw.replace(/_/g, " ").trim().replace(/^Template:/i, "").replace(/^模板:/, "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** MediaWiki's parameter numbering: `k=v` is named (first `=`), the rest count 1, 2, …. */
function params(args: Arg[]): Map<string, string> {
  const m = new Map<string, string>();
  let n = 0;
  for (const { text, eq } of args) {
    if (eq >= 0) m.set(text.slice(0, eq).trim(), text.slice(eq + 1).trim());
    else m.set(String(++n), text.trim());
  }
  return m;
}

/** The group's own name (from `CGroupH`) and its rule strings, in page order. */
export function templateGroup(wikitext: string): { name: string | null; rules: string[] } {
  const text = wikitext.replace(/<!--[\s\S]*?(-->|$)/g, "");
  const rules: string[] = [];
  let name: string | null = null;
  const stack: Frame[] = [];
  // What a finished call contributes to its parent parameter.
  const finish = (f: Frame): string => {
    const args = [...f.args, { text: f.cur, eq: f.eq }];
    const tname = templateName(args[0].text);
    const p = params(args.slice(1));
    if (tname === "=") return "=";
    if (tname === "!") return "|";
    if (tname.toLowerCase() === "lang") return p.get("2") ?? "";
    if (tname === "CGroupH") {
      const n = p.get("name");
      if (n !== undefined && name === null) name = n;
      return "";
    }
    const key = ITEMS[tname];
    if (key !== undefined) {
      const rule = p.get(key);
      if (rule !== undefined && rule.trim() !== "") rules.push(rule.trim());
    }
    return "";
  };
  let i = 0;
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
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x7b && text.charCodeAt(i + 1) === 0x7b) { // {{
      flushText(i);
      stack.push({ args: [], cur: "", eq: -1, link: 0 });
      i += 2;
      textFrom = i;
    } else if (c === 0x7d && text.charCodeAt(i + 1) === 0x7d && stack.length > 0) { // }}
      flushText(i);
      const f = stack.pop()!;
      const v = finish(f);
      if (stack.length > 0) stack[stack.length - 1].cur += v;
      i += 2;
      textFrom = i;
    } else if (stack.length > 0 && c === 0x5b && text.charCodeAt(i + 1) === 0x5b) { // [[
      stack[stack.length - 1].link++;
      i += 2;
    } else if (stack.length > 0 && c === 0x5d && text.charCodeAt(i + 1) === 0x5d) { // ]]
      const f = stack[stack.length - 1];
      if (f.link > 0) f.link--;
      i += 2;
    } else if (c === 0x7c && stack.length > 0 && stack[stack.length - 1].link === 0) { // |
      flushText(i);
      const f = stack[stack.length - 1];
      f.args.push({ text: f.cur, eq: f.eq });
      f.cur = "";
      f.eq = -1;
      i++;
      textFrom = i;
    } else i++;
  }
  return { name, rules };
}
