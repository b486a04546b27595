/**
 * The house rules of `src/`, checked on the sources themselves: no stage reaches into
 * another folder's private `_` files, `Deno.*` only in the process code, no import circle,
 * no loose private module at the top.
 *
 * @module
 */

import { assertEquals } from "../_assert.ts";

const SRC = new URL("../../src/", import.meta.url).pathname;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}${e.name}`;
    if (e.isDirectory) out.push(...walk(`${p}/`));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

const files = walk(SRC);
const rel = (p: string) => p.slice(SRC.length);

/** Code without comments (so that a doc naming `Deno.x` or an import does not count). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Relative modules a file imports, statically or as a worker (`new URL("./x.ts", …)`). */
function imports(path: string): string[] {
  const text = code(Deno.readTextFileSync(path));
  const specs = [
    ...text.matchAll(/\b(?:from|import)\s*["'](\.[^"']+)["']/g),
    ...text.matchAll(/new URL\(\s*["'](\.[^"']+\.ts)["']\s*,\s*import\.meta\.url/g),
  ].map((m) => m[1]);
  const dir = path.slice(0, path.lastIndexOf("/") + 1);
  return specs.map((s) => new URL(s, `file://${dir}`).pathname);
}

/** The stage folder a source belongs to ("" for the top of src/). */
const folder = (p: string) => rel(p).includes("/") ? rel(p).split("/")[0] : "";

Deno.test("src imports no other folder's private _ files", () => {
  const bad: string[] = [];
  for (const f of files) {
    for (const target of imports(f)) {
      const name = target.slice(target.lastIndexOf("/") + 1);
      const privateFile = name.startsWith("_") ||
        rel(target).split("/").slice(0, -1).some((d) => d.startsWith("_"));
      if (privateFile && folder(target) !== folder(f)) bad.push(`${rel(f)} → ${rel(target)}`);
    }
  }
  assertEquals(bad, []);
});

Deno.test("src uses Deno.* only in main.ts and cli/", () => {
  const bad = files.filter((f) => {
    if (rel(f) === "main.ts" || rel(f).startsWith("cli/")) return false;
    return /\bDeno\.[a-zA-Z]/.test(code(Deno.readTextFileSync(f)));
  }).map(rel);
  assertEquals(bad, []);
});

Deno.test("src has no import circle", () => {
  const graph = new Map(files.map((f) => [f, imports(f).filter((t) => files.includes(t))]));
  // Iterative depth-first search: a back edge to a module on the stack is a circle.
  const state = new Map<string, 1 | 2>();
  const circles: string[] = [];
  for (const start of files) {
    if (state.has(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const next = graph.get(top[0])![top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next) === 1) {
        const from = stack.findIndex(([f]) => f === next);
        circles.push(stack.slice(from).map(([f]) => rel(f)).concat(rel(next)).join(" → "));
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  assertEquals(circles, []);
});

Deno.test("src has no loose private module at its top, and every module says what it is for", () => {
  assertEquals(files.filter((f) => folder(f) === "" && rel(f).startsWith("_")).map(rel), []);
  // A generated file may say so on a line of its own before its doc.
  const doc = (text: string) => text.replace(/^(\/\/.*\n)+/, "").trimStart().startsWith("/**");
  const undocumented = files.filter((f) => !doc(Deno.readTextFileSync(f))).map(rel);
  assertEquals(undocumented, []);
});

Deno.test("the wikizh task, the demo, the compile task, the release workflow and bench:e2e run with the same V8 flags", () => {
  const root = new URL("../../", import.meta.url);
  const tasks = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).tasks;
  const release = Deno.readTextFileSync(new URL(".github/workflows/release.yml", root));
  const bench = Deno.readTextFileSync(new URL("scripts/bench.ts", root));
  const flags = (text: string) => [...text.matchAll(/--v8-flags=([^\s"]+)/g)].map((m) => m[1]);
  const expected = flags(tasks.wikizh);
  assertEquals(expected.length, 1, tasks.wikizh);
  for (const text of [tasks.demo, tasks.compile, release, bench]) {
    assertEquals(flags(text), expected);
  }
});

Deno.test("every worker module is --include'd by the compile task and the release workflow", () => {
  const workers = files.flatMap((f) =>
    [...code(Deno.readTextFileSync(f)).matchAll(/new Worker\(\s*new URL\(\s*["'](\.[^"']+)["']/g)]
      .map((m) => `src/${rel(new URL(m[1], `file://${f}`).pathname)}`)
  ).sort();
  assertEquals(workers.length >= 3, true, workers.join());
  const root = new URL("../../", import.meta.url);
  const task = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).tasks.compile;
  const release = Deno.readTextFileSync(new URL(".github/workflows/release.yml", root));
  for (const text of [task, release]) {
    const included = [...text.matchAll(/--include (\S+)/g)].map((m) => m[1]).sort();
    assertEquals(included, workers);
  }
});
