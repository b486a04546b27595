import {
  describe,
  detectInputFormat,
  EXIT,
  formatProgress,
  formatSummary,
  parseCommand,
} from "../../src/cli/mod.ts";
import {
  Bz2FormatError,
  IoError,
  NotADumpError,
  UsageError,
  XmlSyntaxError,
} from "../../src/errors.ts";
import { RunStats } from "../../src/stats.ts";
import { assertEquals, assertRejects } from "../_assert.ts";

Deno.test("parseCommand reads a conversion with its defaults", () => {
  const c = parseCommand(["dump.xml.bz2", "out.txt"], 2);
  if (c.kind !== "convert") throw new Error(c.kind);
  assertEquals(c.options.input, "dump.xml.bz2");
  assertEquals(c.options.output, "out.txt");
  assertEquals(c.options.variant, "zh-cn");
  assertEquals(c.options.threads, 2);
  assertEquals(c.options.limit, Infinity);
  assertEquals(c.options.format, "text");
  assertEquals(c.options.dropSections, null);
});

Deno.test("parseCommand reads options, 'none' sections and the rules subcommand", () => {
  const c = parseCommand(
    ["--limit", "5", "--format", "jsonl", "--drop-sections", "none", "-q", "-", "-"],
    2,
  );
  if (c.kind !== "convert") throw new Error(c.kind);
  assertEquals([c.options.limit, c.options.format, c.options.dropSections, c.options.quiet], [
    5,
    "jsonl",
    ["none"], // the cleanup stage reads "none" as "keep every section"
    true,
  ]);
  const d = parseCommand(["--drop-sections", "参见，外部链接", "a", "b"], 1);
  if (d.kind !== "convert") throw new Error(d.kind);
  assertEquals(d.options.dropSections, ["参见", "外部链接"]);
  assertEquals(parseCommand(["rules", "d.bz2", "r.json"], 1), {
    kind: "rules",
    input: "d.bz2",
    output: "r.json",
    quiet: false,
    force: false,
  });
  assertEquals(parseCommand(["--help"], 1), { kind: "help" });
  assertEquals(parseCommand(["-V"], 1), { kind: "version" });
});

Deno.test("parseCommand rejects bad usage with a one-line message", async () => {
  const cases: [string[], string][] = [
    [["only-one"], "expected DUMP and OUT (see wikizh --help)"],
    [["a", "b", "c"], "too many arguments: c"],
    [["--limit", "x", "a", "b"], '--limit needs a whole number ≥ 1, not "x"'],
    [
      ["--variant", "zh-xx", "a", "b"],
      '--variant must be one of zh-cn, zh-hans, zh-sg, zh-my, zh-tw, zh-hk, zh-hant, not "zh-xx"',
    ],
    [["--bogus", "a", "b"], "Unknown option '--bogus'"],
    // A negative number is the option's value, checked like any other (not node:util's text).
    [["--limit", "-5", "a", "b"], '--limit needs a whole number ≥ 1, not "-5"'],
    [["--threads", "-1", "a", "b"], '--threads needs a whole number ≥ 1, not "-1"'],
    // 4 threads per core at most (here: 1 core).
    [["--threads", "5", "a", "b"], "--threads is at most 4, not 5"],
    [["--threads", "1000000", "a", "b"], "--threads is at most 4, not 1000000"],
    [["--limit"], "Option '--limit <value>' argument missing"],
    [["--format", "parquet", "a", "o.parquet.gz"], "Parquet compresses its own pages"],
    [["--resume", "a", "-"], "--shard-size and --resume need OUT to be a file, not -"],
    [["--shard-size", "10XB", "a", "o"], 'invalid size "10XB"'],
  ];
  for (const [args, msg] of cases) {
    const err = await assertRejects(() => parseCommand(args, 1), UsageError, msg);
    assertEquals(err.message.includes("\n"), false, err.message);
  }
});

Deno.test("detectInputFormat tells bzip2 and XML from common wrong files", () => {
  const b = (s: string | number[]) =>
    typeof s === "string" ? new TextEncoder().encode(s) : new Uint8Array(s);
  assertEquals(detectInputFormat(b("BZh91AY&SY")).kind, "bz2");
  assertEquals(detectInputFormat(b("\n  <mediawiki>")).kind, "xml");
  assertEquals(detectInputFormat(b([0xef, 0xbb, 0xbf, 0x3c])).kind, "xml");
  assertEquals(detectInputFormat(b([0xff, 0xfe, 0x3c, 0])).kind, "xml");
  const reason = (x: Uint8Array) => {
    const f = detectInputFormat(x);
    return f.kind === "unsupported" ? f.reason : f.kind;
  };
  assertEquals(reason(b([0x1f, 0x8b, 8, 0])), "gzip data, not bzip2 or XML");
  assertEquals(reason(b("<!DOCTYPE html><html>")), "an HTML page, not a dump (a failed download?)");
  assertEquals(reason(b("")), "empty file");
  assertEquals(reason(b("hello")), "not bzip2 or XML");
});

Deno.test("formatProgress shows articles, MB of total, MB/s and ETA", () => {
  const s = new RunStats();
  s.startedAt = 0;
  s.articlesWritten = 12345;
  s.bytesIn = 100e6;
  s.bytesTotal = 300e6;
  assertEquals(
    formatProgress(s, 10_000),
    "12,345 articles · 100.0/300.0 MB (33.3%) · 10.0 MB/s · ETA 0:20 · elapsed 0:10",
  );
});

Deno.test("formatSummary names articles, skips by reason and elapsed time", () => {
  const s = new RunStats();
  s.startedAt = 0;
  s.articlesWritten = 23;
  s.skipped.namespace = 10;
  s.skipped.redirect = 2;
  assertEquals(
    formatSummary(s, 65_000),
    "wikizh: 23 articles written; skipped namespace 10, redirect 2; 1:05 elapsed; " +
      "conversion groups from the bundled snapshot",
  );
  s.unresolvedGroups.set("IT", 3).set("Movie", 1);
  s.groupSource = "rules file r.json";
  assertEquals(
    formatSummary(s, 65_000),
    "wikizh: 23 articles written; skipped namespace 10, redirect 2; 1:05 elapsed; " +
      "conversion groups from rules file r.json, 2 not found: IT ×3, Movie ×1",
  );
});

Deno.test("describe turns every error into one line and its exit code, internal ones without paths", () => {
  const ctx = { inputName: "d.xml.bz2", format: "bz2" as const };
  assertEquals(describe(new Bz2FormatError("bad block CRC", 1234, 2), ctx), [
    "d.xml.bz2: bad block CRC at byte 1234 (block 2)",
    EXIT.damaged,
  ]);
  assertEquals(describe(new XmlSyntaxError("unclosed tag", 3, 4, 99), ctx), [
    "d.xml.bz2: unclosed tag at line 3, column 4, byte 99 of the decompressed XML",
    EXIT.damaged,
  ]);
  assertEquals(describe(new NotADumpError("not a MediaWiki dump", 1, 1), ctx)[1], EXIT.usage);
  assertEquals(describe(new IoError("o.txt: permission denied", "o.txt"), ctx), [
    "o.txt: permission denied",
    EXIT.usage,
  ]);
  const bug = new TypeError(
    "Cannot read properties of undefined (reading 'x')\n    at f (file:///w/src/a.ts:1:2)",
  );
  const [line, code] = describe(bug, ctx);
  assertEquals(code, EXIT.internal);
  assertEquals(
    line,
    "internal error: TypeError: Cannot read properties of undefined (reading 'x') (please report)",
  );
  assertEquals(
    describe(new RangeError("at file:///w/src/x/_y.ts:3:4 boom"), ctx)[0].includes(".ts"),
    false,
  );
});

Deno.test("parseCommand picks the format from OUT's name unless --format says", () => {
  const format = (args: string[]) => {
    const c = parseCommand(args, 1);
    if (c.kind !== "convert") throw new Error(c.kind);
    return c.options.format;
  };
  assertEquals(format(["d.bz2", "o.txt"]), "text");
  assertEquals(format(["d.bz2", "o.jsonl"]), "jsonl");
  assertEquals(format(["d.bz2", "o.jsonl.gz"]), "jsonl");
  assertEquals(format(["d.bz2", "o.NDJSON.zst"]), "jsonl");
  assertEquals(format(["d.bz2", "o.parquet"]), "parquet");
  assertEquals(format(["d.bz2", "-"]), "text");
  assertEquals(format(["--format", "text", "d.bz2", "o.jsonl"]), "text");
});
