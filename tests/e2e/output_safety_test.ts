/**
 * Nothing but OUT is ever written: planted links, the input under another name, two runs
 * on one OUT, a file appearing during the run, options naming OUT, leftovers, and inputs
 * whose pages straddle bzip2 streams or whose damage lies in a later fragment.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import {
  bzip2,
  exists,
  halfRun,
  hasBzip2,
  ROOT,
  TASK_ARGS,
  TASK_ENV,
  tempDir,
  wikizh,
} from "../_cli.ts";

const fx = (name: string) => `${ROOT}tests/fixtures/${name}`;
const expected = Deno.readTextFileSync(fx("sample.expected.txt"));
const sampleXml = Deno.readFileSync(fx("sample.xml"));
const sampleBz2 = Deno.readFileSync(fx("sample.xml.bz2"));

/** Exit code and the one stderr line. */
async function oneLine(args: string[], code: number, re: RegExp): Promise<void> {
  const r = await wikizh(args);
  assertEquals(r.code, code, `${args.join(" ")}: ${r.stderr}`);
  assertEquals(r.stderr.split("\n").length, 2, `one line expected: ${r.stderr}`);
  assertMatch(r.stderr.trimEnd(), re);
  assert(!r.stderr.includes(".ts:"), `no internal path: ${r.stderr}`);
}

Deno.test("wikizh never follows a planted OUT.part symlink", async () => {
  const dir = tempDir();
  Deno.writeTextFileSync(`${dir}/victim`, "precious");
  Deno.symlinkSync(`${dir}/victim`, `${dir}/o.txt.part`);
  await oneLine(
    [fx("sample.xml.bz2"), `${dir}/o.txt`],
    2,
    /o\.txt\.part: a symbolic link; use --force to replace it$/,
  );
  assertEquals(Deno.readTextFileSync(`${dir}/victim`), "precious");
  assert(!exists(`${dir}/o.txt`));
  // --force replaces the link itself, never its target.
  const r = await wikizh(["-q", "--force", fx("sample.xml.bz2"), `${dir}/o.txt`]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(Deno.readTextFileSync(`${dir}/victim`), "precious");
  assert(Deno.lstatSync(`${dir}/o.txt`).isFile, "OUT is a file, not a link");
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt`), expected);
});

Deno.test("wikizh refuses an OUT.part that is the input, by name, symlink or hard link", async () => {
  const dir = tempDir();
  Deno.writeFileSync(`${dir}/o.txt.part`, sampleBz2);
  await oneLine(
    [`${dir}/o.txt.part`, `${dir}/o.txt`],
    2,
    /o\.txt\.part: is the input file; choose another output$/,
  );
  Deno.renameSync(`${dir}/o.txt.part`, `${dir}/in.bz2`);
  Deno.symlinkSync(`${dir}/in.bz2`, `${dir}/s.txt.part`);
  Deno.linkSync(`${dir}/in.bz2`, `${dir}/h.txt.part`);
  for (const out of ["s.txt", "h.txt"]) {
    for (const force of [[], ["--force"]]) {
      await oneLine(
        [...force, `${dir}/in.bz2`, `${dir}/${out}`],
        2,
        new RegExp(`${out.replace(".", "\\.")}\\.part: is the input file; choose another output$`),
      );
    }
  }
  assertEquals(Deno.readFileSync(`${dir}/in.bz2`), sampleBz2, "the input is untouched");
  assert(!exists(`${dir}/s.txt`) && !exists(`${dir}/h.txt`));
});

Deno.test("wikizh refuses --redirects or --stats naming OUT (or OUT.part) before writing anything", async () => {
  const dir = tempDir();
  const out = `${dir}/o.txt`;
  for (
    const [args, re] of [
      [
        ["--redirects", out],
        /o\.txt: is the same file as .*o\.txt; choose another --redirects file$/,
      ],
      [["--stats", out], /o\.txt: is the same file as .*o\.txt; choose another --stats file$/],
      [
        ["--redirects", `${out}.part`],
        /o\.txt\.part: is the same file as .*; choose another --redirects file$/,
      ],
      [
        ["--redirects", `${dir}/r.tsv`, "--stats", `${dir}/r.tsv`],
        /r\.tsv: is the same file as .*r\.tsv; choose another --stats file$/,
      ],
    ] as [string[], RegExp][]
  ) {
    await oneLine([...args, fx("sample.xml.bz2"), out], 2, re);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), [], `nothing written: ${args}`);
  }
});

Deno.test("wikizh refuses a leftover OUT.part without --force, and replaces it with", async () => {
  const dir = tempDir();
  Deno.writeTextFileSync(`${dir}/o.txt.part`, "half of an old run");
  await oneLine(
    [fx("sample.xml.bz2"), `${dir}/o.txt`],
    2,
    /o\.txt\.part: left by an earlier run; use --force to replace it$/,
  );
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt.part`), "half of an old run");
  const r = await wikizh(["-q", "--force", fx("sample.xml.bz2"), `${dir}/o.txt`]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt`), expected);
  assert(!exists(`${dir}/o.txt.part`));
});

Deno.test("wikizh gives one line for --index naming a directory, and for too many threads", async () => {
  const dir = tempDir();
  await oneLine(
    ["--threads", "3", "--index", dir, fx("sample-multistream.xml.bz2"), `${dir}/o.txt`],
    2,
    /: is a directory$/,
  );
  await oneLine(
    ["--threads", "1000000", fx("sample.xml.bz2"), `${dir}/o.txt`],
    2,
    /^wikizh: --threads is at most \d+, not 1000000$/,
  );
  assertEquals([...Deno.readDirSync(dir)].length, 0);
});

Deno.test("wikizh refuses a second run on the same OUT while the first is writing", async () => {
  const dir = tempDir();
  const first = await halfRun(["-q"], `${dir}/o.txt`, sampleXml);
  for (const force of [[], ["--force"]]) {
    await oneLine(
      [...force, fx("sample.xml.bz2"), `${dir}/o.txt`],
      2,
      /o\.txt: another wikizh run is writing it \(.*o\.txt\.part is locked\)$/,
    );
  }
  const r = await first.finish();
  assertEquals(r.code, 0, r.stderr);
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt`), expected);
});

Deno.test("wikizh never replaces an OUT that appeared during the run", async () => {
  const dir = tempDir();
  const run = await halfRun(["-q"], `${dir}/o.txt`, sampleXml);
  Deno.writeTextFileSync(`${dir}/o.txt`, "someone else's");
  const r = await run.finish();
  assertEquals(r.code, 2, r.stderr);
  assertMatch(
    r.stderr,
    /^wikizh: .*o\.txt: not written: it appeared during the run; the output is in .*o\.txt\.part\n$/,
  );
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt`), "someone else's");
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt.part`), expected);
});

Deno.test({
  name: "wikizh reads a multistream dump whose streams are cut at any byte (pbzip2-style)",
  ignore: !hasBzip2,
  async fn() {
    const dir = tempDir();
    // Cut the XML at arbitrary bytes (inside tags, pages and UTF-8 characters alike).
    const cuts = [0, 97, 1001, 1500, 2222, 3333, 4097, 5000, 6001, sampleXml.length];
    const streams: Uint8Array[] = [];
    const starts: number[] = [];
    let at = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      starts.push(at);
      const s = await bzip2(sampleXml.subarray(cuts[i], cuts[i + 1]));
      streams.push(s);
      at += s.length;
    }
    const file = new Uint8Array(at);
    streams.forEach((s, i) => file.set(s, starts[i]));
    // The index names, for each page, the stream its `<page>` starts in.
    const text = new TextDecoder().decode(sampleXml);
    const lines: string[] = [];
    const enc = new TextEncoder();
    for (let p = text.indexOf("<page>"), id = 1; p >= 0; p = text.indexOf("<page>", p + 1), id++) {
      const byte = enc.encode(text.slice(0, p)).length;
      let s = 0;
      while (s + 1 < cuts.length - 1 && cuts[s + 1] <= byte) s++;
      lines.push(`${starts[s]}:${id}:page ${id}`);
    }
    Deno.writeFileSync(`${dir}/d-multistream.xml.bz2`, file);
    Deno.writeTextFileSync(`${dir}/d-multistream-index.txt`, lines.join("\n") + "\n");
    for (const threads of ["1", "2", "3", "4"]) {
      const out = `${dir}/o${threads}.txt`;
      const r = await wikizh(["-q", "--threads", threads, `${dir}/d-multistream.xml.bz2`, out]);
      assertEquals(r.code, 0, `${threads} threads: ${r.stderr}`);
      assertEquals(Deno.readTextFileSync(out), expected, `${threads} threads`);
    }
  },
});

Deno.test("wikizh names the same position for damage in a later fragment, whatever the threads", async () => {
  const dir = tempDir();
  // About 6 MB of pages, so that page workers get several fragments; damage near the end.
  const text = new TextDecoder().decode(sampleXml);
  const head = text.slice(0, text.indexOf("<page>"));
  const page = text.slice(text.indexOf("<page>"), text.lastIndexOf("</page>") + 7);
  const body = Array.from({ length: 900 }, () => page).join("\n  ");
  const broken = body.slice(0, body.length - 3000) + "<oops>" + body.slice(body.length - 3000);
  Deno.writeTextFileSync(`${dir}/d.xml`, `${head}${broken}\n</mediawiki>\n`);
  const lines = new Set<string>();
  for (const threads of ["1", "2", "3"]) {
    const r = await wikizh(["-q", "--threads", threads, `${dir}/d.xml`, `${dir}/o${threads}.txt`]);
    assertEquals(r.code, 1, r.stderr);
    lines.add(r.stderr.replaceAll(`o${threads}.txt`, "o.txt"));
  }
  assertEquals(lines.size, 1, [...lines].join(""));
  // The line of the damage, counted from the top of the dump.
  const line = `${head}${broken}`.slice(0, `${head}${broken}`.indexOf("<oops>")).split("\n").length;
  assertMatch([...lines][0], new RegExp(`at line ${line}, column \\d+.*; incomplete output`));
});

const hasTime = await new Deno.Command("/usr/bin/time", { args: ["-v", "true"], stderr: "null" })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "wikizh keeps memory bounded on a bzip2 bomb of white space, whatever the threads",
  ignore: !hasBzip2 || !hasTime,
  async fn() {
    const dir = tempDir();
    const text = new TextDecoder().decode(sampleXml);
    const p = text.indexOf("<page>", text.indexOf("<page>") + 1);
    // 384 MB of spaces between two pages, a few hundred KB of bzip2.
    const make =
      `{ printf '%s' "$1"; head -c 402653184 /dev/zero | tr '\\0' ' '; printf '%s' "$2"; } | bzip2 -9 > "$3"`;
    const made = await new Deno.Command("bash", {
      args: ["-c", make, "_", text.slice(0, p), text.slice(p), `${dir}/bomb.xml.bz2`],
    }).output();
    assert(made.success, new TextDecoder().decode(made.stderr));
    for (const threads of ["2", "3", "4"]) {
      const out = `${dir}/o${threads}.txt`;
      const r = await new Deno.Command("/usr/bin/time", {
        args: [
          "-v",
          Deno.execPath(),
          ...TASK_ARGS,
          "-q",
          "--threads",
          threads,
          `${dir}/bomb.xml.bz2`,
          out,
        ],
        cwd: ROOT,
        env: TASK_ENV,
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(r.stderr);
      assertEquals(r.code, 0, err);
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)![1]) * 1024;
      console.log(`  ${threads} threads: peak RSS ${rss >> 20} MB`);
      assert(rss < 1 << 30, `${threads} threads: peak RSS ${rss >> 20} MB`);
      assertEquals(Deno.readTextFileSync(out), expected, `${threads} threads`);
    }
  },
});
