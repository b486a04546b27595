/**
 * End-to-end: the CLI as a subprocess, with the wikizh task's permission flags,
 * on the bundled sample dump (and the shared zhwiki fragment when present).
 */
import { assert, assertEquals, assertMatch, assertStringIncludes, corpusPath } from "../_assert.ts";
import { exists, ROOT, TASK_ARGS, tempDir, wikizh } from "../_cli.ts";

const fx = (name: string) => `${ROOT}tests/fixtures/${name}`;
const expected = Deno.readTextFileSync(fx("sample.expected.txt"));
const expectedRedirects = Deno.readTextFileSync(fx("sample.expected-redirects.tsv"));

Deno.test("wikizh converts the sample .xml.bz2 to the expected text", async () => {
  const dir = tempDir();
  const r = await wikizh([fx("sample.xml.bz2"), `${dir}/out.txt`]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(Deno.readTextFileSync(`${dir}/out.txt`), expected);
  assert(!exists(`${dir}/out.txt.part`));
  // One summary line: articles, skips by reason, elapsed.
  assertMatch(
    r.stderr,
    /^wikizh: 4 articles written; skipped namespace 2, redirect 2, empty 1, disambig 1; \d+:\d\d elapsed; conversion groups from the bundled snapshot \(2026-02-05, 444 groups\)\n$/,
  );
});

Deno.test("wikizh gives the same output for .xml, multistream .bz2, stdin and 1 to 4 threads", async () => {
  const dir = tempDir();
  const runs: [string, string[], Uint8Array?][] = [
    ["stdin", ["-", `${dir}/stdin.txt`], Deno.readFileSync(fx("sample.xml.bz2"))],
  ];
  // Every thread layout: all on one thread, one decoder beside this thread (with the index:
  // by whole streams), and page workers (with the index: each does everything).
  for (const threads of ["1", "2", "3", "4"]) {
    for (const file of ["sample.xml", "sample.xml.bz2", "sample-multistream.xml.bz2"]) {
      runs.push([`${file} ${threads} threads`, [
        "--threads",
        threads,
        fx(file),
        `${dir}/${file}.${threads}.txt`,
      ]]);
    }
  }
  // One source of conversion groups for every run (a multistream index would find the
  // dump's own; groups_test.ts covers that).
  Deno.writeTextFileSync(`${dir}/rules.json`, JSON.stringify({ version: 1, groups: {} }));
  for (const [name, args, stdin] of runs) {
    const r = await wikizh(["--rules", `${dir}/rules.json`, ...args], stdin);
    assertEquals(r.code, 0, `${name}: ${r.stderr}`);
    assertEquals(Deno.readTextFileSync(args[args.length - 1]), expected, name);
  }
});

Deno.test("wikizh writes to stdout with -, and --limit stops early", async () => {
  const r = await wikizh(["-q", "--limit", "2", fx("sample.xml.bz2"), "-"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stderr, "");
  const firstTwo = expected.split("\n\n").slice(0, 2).join("\n\n") + "\n\n";
  assertEquals(r.stdout, firstTwo);
});

Deno.test("wikizh --redirects writes the synonym table", async () => {
  const dir = tempDir();
  const r = await wikizh([
    "-q",
    "--redirects",
    `${dir}/r.tsv`,
    fx("sample.xml.bz2"),
    `${dir}/o.txt`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(Deno.readTextFileSync(`${dir}/r.tsv`), expectedRedirects);
});

Deno.test("wikizh --format jsonl round-trips titles and text", async () => {
  const r = await wikizh(["-q", "--format", "jsonl", fx("sample.xml.bz2"), "-"]);
  assertEquals(r.code, 0, r.stderr);
  const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  const fromText = expected.trimEnd().split("\n\n").map((block) => {
    const nl = block.indexOf("\n");
    return [block.slice(1, nl - 1), block.slice(nl + 1)];
  });
  assertEquals(rows.map((x) => [x.title, x.text]), fromText);
  // The url names the page as the wiki does (its own title, not the converted one).
  const source = new Map(
    [
      ...Deno.readTextFileSync(fx("sample.xml")).matchAll(
        /<title>([^<]*)<\/title>\s*<ns>\d+<\/ns>\s*<id>(\d+)</g,
      ),
    ]
      .map((m) => [Number(m[2]), m[1]]),
  );
  for (const x of rows) {
    const title = source.get(x.id)!;
    assertEquals(
      x.url,
      `https://zh.wikipedia.org/wiki/${
        encodeURIComponent(title.replaceAll(" ", "_")).replaceAll("%3A", ":").replaceAll("%2F", "/")
      }`,
    );
    assert(Array.isArray(x.sections) && x.sections[0].level === 1, JSON.stringify(x.sections));
    assert(Array.isArray(x.categories) && typeof x.id === "number");
  }
});

Deno.test("wikizh --help and --version", async () => {
  const h = await wikizh(["--help"]);
  assertEquals(h.code, 0);
  assertStringIncludes(h.stdout, "Usage:");
  assertStringIncludes(h.stdout, "Exit codes:");
  const v = await wikizh(["--version"]);
  assertMatch(v.stdout, /^wikizh \d+\.\d+\.\d+\n$/);
});

Deno.test("wikizh gives up file permissions once its input and output are open", async () => {
  const dir = tempDir();
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      ...TASK_ARGS.slice(0, -1),
      "tests/e2e/_perm_probe.ts",
      "-q",
      fx("sample.xml.bz2"),
      `${dir}/o.txt`,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  const report = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(report, {
    code: 0,
    read: "prompt",
    write: "prompt",
    net: "prompt",
    env: "prompt",
    run: "prompt",
    ffi: "prompt",
    readPasswd: "NotCapable",
    writeTmp: "NotCapable",
  });
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt`), expected);
  assert(!exists(`${dir}/o.txt.escape`));
});

Deno.test("wikizh: paths named in page content cannot make it read or write anything else", async () => {
  // Every construct the tool touches names /etc/passwd or ../x: links, files, templates,
  // parser functions, -{}- rules, NoteTA groups, refs, galleries, tags, redirects, titles.
  const dir = tempDir();
  const out = `${dir}/sub/o.txt`;
  Deno.mkdirSync(`${dir}/sub`);
  for (const threads of ["1", "2"]) {
    const cmd = new Deno.Command(Deno.execPath(), {
      args: [
        ...TASK_ARGS.slice(0, -1),
        "tests/e2e/_perm_probe.ts",
        "-q",
        "--force",
        "--threads",
        threads,
        "--redirects",
        `${dir}/sub/r.tsv`,
        fx("escape.xml"),
        out,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    });
    const res = await cmd.output();
    const report = JSON.parse(new TextDecoder().decode(res.stdout));
    assertEquals(report.code, 0, new TextDecoder().decode(res.stderr));
    assertEquals([report.read, report.write, report.readPasswd], [
      "prompt",
      "prompt",
      "NotCapable",
    ]);
    for (const p of ["net", "env", "run", "ffi"]) assertEquals(report[p], "prompt", p);
  }
  const text = Deno.readTextFileSync(out);
  assert(text.startsWith("【/etc/passwd】\n"), text); // the title rule, as text only
  assert(!text.includes("root:"), "no file content leaked into the output");
  assertEquals(Deno.readTextFileSync(`${dir}/sub/r.tsv`), "/etc/passwd\t../x\n");
  // Nothing was created beside or above the output.
  assertEquals([...Deno.readDirSync(`${dir}/sub`)].map((e) => e.name).sort(), ["o.txt", "r.tsv"]);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["sub"]);
  assert(!exists(`${ROOT}x`) && !exists(`${ROOT}../x`));
});

Deno.test("wikizh refuses bad inputs and outputs with one line, exit 2 and no output file", async () => {
  const dir = tempDir();
  Deno.writeFileSync(`${dir}/junk.bz2`, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  const cases: [string[], RegExp][] = [
    [[`${dir}/missing.xml.bz2`, `${dir}/o.txt`], /missing\.xml\.bz2: no such file or directory$/],
    [[dir, `${dir}/o.txt`], /: is a directory, not a dump file$/],
    [
      [`${dir}/junk.bz2`, `${dir}/o.txt`],
      /junk\.bz2: not bzip2 or XML; expected a \.xml\.bz2 or \.xml MediaWiki dump$/,
    ],
    [
      [fx("sample.xml.bz2"), `${dir}/no/such/dir/o.txt`],
      /o\.txt: directory .*no\/such\/dir does not exist$/,
    ],
    [["--variant", "klingon", fx("sample.xml.bz2"), `${dir}/o.txt`], /--variant must be one of/],
    [
      [
        "--threads",
        "4",
        "--index",
        fx("sample.xml"),
        fx("sample-multistream.xml.bz2"),
        `${dir}/o.txt`,
      ],
      /sample\.xml: line 1 is not "offset:id:title"$/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = await wikizh(args);
    assertEquals(r.code, 2, `${args}: ${r.stderr}`);
    assertEquals(r.stderr.split("\n").length, 2, r.stderr);
    assertMatch(r.stderr.trimEnd(), re);
    assert(!exists(`${dir}/o.txt`) && !exists(`${dir}/o.txt.part`), `${args} left an output`);
  }
});

Deno.test("wikizh writes the articles before a truncation, names the byte offset and exits 1", async () => {
  const dir = tempDir();
  const full = Deno.readFileSync(fx("sample-multistream.xml.bz2"));
  const index = Deno.readTextFileSync(fx("sample-multistream-index.txt"));
  const secondGroup = Number(index.trimEnd().split("\n").at(-1)!.split(":")[0]);
  // Cut inside the second page group: the first group's articles survive.
  Deno.writeFileSync(`${dir}/cut.xml.bz2`, full.subarray(0, secondGroup + 200));
  const withIndex = ["--index", fx("sample-multistream-index.txt")];
  // All on one thread; one decoder; decoders and page workers; whole streams per worker.
  const layouts = [["1"], ["2"], ["2", ...withIndex], ["3"], ["4", ...withIndex]];
  for (const [i, [threads, ...more]] of layouts.entries()) {
    const out = `${dir}/o${i}.txt`;
    const r = await wikizh(["--threads", threads, ...more, `${dir}/cut.xml.bz2`, out]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(
      r.stderr,
      /cut\.xml\.bz2: .* at byte \d+.*incomplete output \(\d+ articles\) left in .*\.part \(--resume continues it\)\n$/,
    );
    assert(!exists(out));
    const partial = Deno.readTextFileSync(`${out}.part`);
    assert(expected.startsWith(partial) && partial.length > 0, `${threads} ${more}: ${partial}`);
  }
});

Deno.test("wikizh on the shared zhwiki fragment: 23 clean articles, same for multistream", async () => {
  const single = corpusPath("zhwiki-2018-head.xml.bz2");
  const multi = corpusPath("zhwiki-2018-head-multistream.xml.bz2");
  if (single === null || multi === null) return;
  const a = await wikizh(["-q", single, "-"]);
  assertEquals(a.code, 0, a.stderr);
  // Every thread layout, single-stream and multistream with its index, gives the same bytes.
  for (const threads of ["1", "2", "4"]) {
    for (const file of [single, multi]) {
      const b = await wikizh(["-q", "--threads", threads, file, "-"]);
      assertEquals(b.code, 0, b.stderr);
      assertEquals(b.stdout, a.stdout, `${file} with ${threads} threads`);
    }
  }
  const titles = [...a.stdout.matchAll(/^【(.+)】$/gm)].map((m) => m[1]);
  assertEquals(titles.length, 23);
  for (const t of ["数学", "哲学", "文学", "历史"]) assert(titles.includes(t), `${t} in ${titles}`);
  assert(!titles.some((t) => /^(Wikipedia|Help):/.test(t)), `${titles}`);
  for (const junk of ["<ref", "{{", "}}", "[[", "]]", "{|"]) {
    assert(!a.stdout.includes(junk), `output contains ${junk}`);
  }
});

Deno.test("wikizh shows a live progress line on a terminal, then the summary", async () => {
  // `script` gives the CLI a pseudo-terminal as stderr.
  const has = await new Deno.Command("script", { args: ["--version"], stdout: "null" }).output()
    .then((o) => o.success, () => false);
  if (!has) {
    console.log("(skipped: util-linux script is not installed)");
    return;
  }
  const dir = tempDir();
  const inner = [Deno.execPath(), ...TASK_ARGS, fx("sample.xml.bz2"), `${dir}/o.txt`]
    .map((a) => `'${a}'`).join(" ");
  // Slow the run down by a pause in the middle of the input (fed through stdin).
  const f = fx("sample.xml.bz2");
  const cmd = `(head -c 1000 '${f}'; sleep 1.5; tail -c +1001 '${f}') | ` +
    inner.replace(`'${f}'`, "-");
  const out = await new Deno.Command("script", {
    args: ["-qec", cmd, "/dev/null"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const screen = new TextDecoder().decode(out.stdout);
  assertEquals(out.code, 0, screen);
  // The escape sequence that redraws the line is what is being checked.
  // deno-lint-ignore no-control-regex
  assertMatch(screen, /\r\x1b\[K0 articles · [\d.]+ MB · [\d.]+ MB\/s · elapsed 0:0\d/);
  assertMatch(
    screen,
    /wikizh: 4 articles written; skipped namespace 2, redirect 2, empty 1, disambig 1;/,
  );
  assertEquals(Deno.readTextFileSync(`${dir}/o.txt`), expected);
});

Deno.test("wikizh drops <pre> by default and keeps its text with --pre keep", async () => {
  const dir = tempDir();
  const xml = `<mediawiki><page><title>程式</title><ns>0</ns><id>1</id><revision><text>` +
    `程式的例子如下：\n&lt;pre&gt;int  main();\n  return 0;&lt;/pre&gt;\n其後是說明。</text>` +
    `</revision></page></mediawiki>`;
  Deno.writeTextFileSync(`${dir}/d.xml`, xml);
  const plain = await wikizh(["-q", `${dir}/d.xml`, "-"]);
  assertEquals(plain.code, 0, plain.stderr);
  assertEquals(plain.stdout, "【程式】\n程式的例子如下：\n其后是说明。\n\n");
  const kept = await wikizh(["-q", "--pre", "keep", `${dir}/d.xml`, "-"]);
  assertEquals(kept.code, 0, kept.stderr);
  // Kept as written: unconverted, spaces inside a line kept.
  assertEquals(
    kept.stdout,
    "【程式】\n程式的例子如下：\nint  main();\nreturn 0;\n其后是说明。\n\n",
  );
  const bad = await wikizh(["-q", "--pre", "maybe", `${dir}/d.xml`, "-"]);
  assertEquals(bad.code, 2);
});
