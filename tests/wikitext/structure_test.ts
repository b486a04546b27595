/**
 * House rules of the wikitext stage's source: no import circle among its modules, no
 * import of another folder's private files, and every module opens with a doc comment.
 * @module
 */

import { assert, assertEquals } from "../_assert.ts";

const root = new URL("../../src/wikitext/", import.meta.url);

function modules(dir: URL, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory) out.push(...modules(new URL(e.name + "/", dir), prefix + e.name + "/"));
    else if (e.name.endsWith(".ts")) out.push(prefix + e.name);
  }
  return out.sort();
}

const IMPORT = /^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm;

/** Module path (relative to src/wikitext/) → the modules it imports, static and type-only. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const m of modules(root)) {
    const src = Deno.readTextFileSync(new URL(m, root));
    const deps: string[] = [];
    for (const hit of src.matchAll(IMPORT)) {
      const url = new URL(hit[1], new URL(m, root));
      if (url.href.startsWith(root.href)) deps.push(url.href.slice(root.href.length));
      else deps.push("../" + url.href.split("/src/")[1]);
    }
    g.set(m, deps);
  }
  return g;
}

Deno.test("wikitext modules import each other without a circle", () => {
  const g = graph();
  const state = new Map<string, number>(); // 1 visiting, 2 done
  const circles: string[] = [];
  for (const start of g.keys()) {
    if (state.get(start) === 2) continue;
    // Iterative depth-first search, the path kept on an explicit stack.
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const deps = g.get(top[0]) ?? [];
      if (top[1] >= deps.length) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      const d = deps[top[1]++];
      if (!g.has(d)) continue;
      if (state.get(d) === 1) {
        circles.push([...stack.map((s) => s[0]), d].join(" → "));
      } else if (state.get(d) !== 2) {
        state.set(d, 1);
        stack.push([d, 0]);
      }
    }
  }
  assertEquals(circles, []);
});

Deno.test("wikitext modules import only src/types.ts and src/errors.ts outside their folder", () => {
  for (const [m, deps] of graph()) {
    for (const d of deps) {
      if (!d.startsWith("../")) continue;
      assert(d === "../types.ts" || d === "../errors.ts", `${m} imports ${d}`);
    }
  }
});

Deno.test("wikitext template handlers never see the concrete Renderer", () => {
  for (const m of modules(root)) {
    if (!m.startsWith("_templates/")) continue;
    const src = Deno.readTextFileSync(new URL(m, root));
    assert(!/_render\.ts/.test(src), `${m} imports _render.ts`);
  }
});

Deno.test("wikitext modules start with a doc comment of at least two lines", () => {
  for (const m of modules(root)) {
    const src = Deno.readTextFileSync(new URL(m, root));
    const lines = src.split("\n");
    assertEquals(lines[0], "/**", `${m} does not start with a doc comment`);
    assert(
      /^ \* \S/.test(lines[1]) && /^ \* \S/.test(lines[2]),
      `${m}: the doc's first paragraph is shorter than two lines`,
    );
  }
});
