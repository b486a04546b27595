/**
 * The bad-input matrix: each case runs the CLI as a subprocess and checks the stderr
 * line, the exit code and what is left on disk.
 */
import { assert, assertEquals, assertMatch, corpusPath } from "../_assert.ts";
import { bzip2, exists, halfRun, hasBzip2, ROOT, TASK_ARGS, tempDir, wikizh } from "../_cli.ts";

const fx = (name: string) => `${ROOT}tests/fixtures/${name}`;
const expected = Deno.readTextFileSync(fx("sample.expected.txt"));
const sampleXml = Deno.readFileSync(fx("sample.xml"));
const sampleBz2 = Deno.readFileSync(fx("sample.xml.bz2"));

async function isRoot(): Promise<boolean> {
  const out = await new Deno.Command("id", { args: ["-u"] }).output();
  return new TextDecoder().decode(out.stdout).trim() === "0";
}

/** Runs one case: exit code, one stderr line matching `re`, and no OUT (nor OUT.part unless kept). */
async function refuses(
  args: string[],
  code: number,
  re: RegExp,
  out: string,
  opts: { part?: boolean; stdin?: Uint8Array; prefix?: string[] } = {},
) {
  const r = await wikizh(args, opts.stdin, opts.prefix);
  assertEquals(r.code, code, `${args.join(" ")}: ${r.stderr}`);
  assertEquals(r.stderr.split("\n").length, 2, `one line expected: ${r.stderr}`);
  assertMatch(r.stderr.trimEnd(), re);
  if (out !== "-") {
    assert(!exists(out), `${out} must not exist`);
    assertEquals(exists(`${out}.part`), opts.part ?? false, `${out}.part`);
  }
  return r;
}

Deno.test("wikizh refuses empty, gzip, HTML and non-dump inputs with exit 2", async () => {
  const dir = tempDir();
  Deno.writeFileSync(`${dir}/empty.xml.bz2`, new Uint8Array(0));
  Deno.writeFileSync(`${dir}/dump.xml.gz`, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
  Deno.writeTextFileSync(`${dir}/error.xml.bz2`, "<!DOCTYPE html>\n<html><body>503</body></html>");
  Deno.writeTextFileSync(`${dir}/other.xml`, "<?xml version='1.0'?><rss><channel/></rss>");
  const out = `${dir}/o.txt`;
  await refuses([`${dir}/empty.xml.bz2`, out], 2, /empty\.xml\.bz2: empty file;/, out);
  await refuses([`${dir}/dump.xml.gz`, out], 2, /dump\.xml\.gz: gzip data, not bzip2 or XML;/, out);
  await refuses([`${dir}/error.xml.bz2`, out], 2, /error\.xml\.bz2: an HTML page, not a dump/, out);
  await refuses(
    [`${dir}/other.xml`, out],
    2,
    /other\.xml: not a MediaWiki XML dump \(root element <rss>\) at line 1, column \d+, byte \d+$/,
    out,
  );
  if (hasBzip2) {
    Deno.writeFileSync(`${dir}/text.bz2`, await bzip2(new TextEncoder().encode("hello world\n")));
    await refuses(
      [`${dir}/text.bz2`, out],
      2,
      /text\.bz2: not an XML file at line 1, column 1/,
      out,
    );
  }
});

Deno.test("wikizh reports an unreadable input with exit 2", async () => {
  const dir = tempDir();
  Deno.writeFileSync(`${dir}/secret.xml.bz2`, sampleBz2);
  Deno.chmodSync(`${dir}/secret.xml.bz2`, 0o000);
  // Root reads any file; setpriv drops the capability that lets it, so file modes apply.
  const root = await isRoot();
  const prefix = root ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : [];
  if (
    root &&
    !(await new Deno.Command("setpriv", { args: ["--help"], stdout: "null" }).output().then(
      () => true,
      () => false,
    ))
  ) {
    console.log("(skipped: running as root without setpriv, file modes cannot be tested)");
    return;
  }
  await refuses(
    [`${dir}/secret.xml.bz2`, `${dir}/o.txt`],
    2,
    /secret\.xml\.bz2: permission denied$/,
    `${dir}/o.txt`,
    { prefix },
  );
});

Deno.test("wikizh reports truncated and corrupted .bz2 dumps with the byte offset, exit 1", async () => {
  const dir = tempDir();
  const out = `${dir}/o.txt`;
  // Truncated inside the stream header: nothing decoded, so no output is kept.
  Deno.writeFileSync(`${dir}/head.xml.bz2`, sampleBz2.subarray(0, 6));
  await refuses([`${dir}/head.xml.bz2`, out], 1, /head\.xml\.bz2: .* at byte \d+/, out);
  // Truncated mid-block: the block cannot be checked, nothing of it is emitted.
  Deno.writeFileSync(`${dir}/mid.xml.bz2`, sampleBz2.subarray(0, sampleBz2.length >> 1));
  await refuses([`${dir}/mid.xml.bz2`, out], 1, /mid\.xml\.bz2: .* at byte \d+/, out);
  // One flipped bit inside the block: a CRC (or Huffman) error naming the block.
  const flipped = sampleBz2.slice();
  flipped[flipped.length >> 1] ^= 0x10;
  Deno.writeFileSync(`${dir}/crc.xml.bz2`, flipped);
  await refuses([`${dir}/crc.xml.bz2`, out], 1, /crc\.xml\.bz2: .*block 1.* at byte \d+/, out);
});

Deno.test("wikizh keeps the articles before a mid-page truncation of plain XML in OUT.part", async () => {
  const dir = tempDir();
  // Cut inside the page after 網路: the three articles before it are complete.
  const text = new TextDecoder().decode(sampleXml);
  const at = new TextEncoder().encode(text.slice(0, text.indexOf("<title>數學"))).length;
  const cut = sampleXml.subarray(0, at + 300);
  Deno.writeFileSync(`${dir}/cut.xml`, cut);
  const out = `${dir}/o.txt`;
  await refuses(
    [`${dir}/cut.xml`, out],
    1,
    /cut\.xml: input ended inside <\w+> at line \d+, column \d+, byte \d+; incomplete output \(3 articles\) left in .*o\.txt\.part \(--resume continues it\)$/,
    out,
    { part: true },
  );
  const partial = Deno.readTextFileSync(`${out}.part`);
  assertEquals(partial, expected.split("\n\n").slice(0, 3).join("\n\n") + "\n\n");
});

Deno.test("wikizh on the shared broken dumps: errors for 1 and 3, 2 and 4 read", async () => {
  const broken = (n: number) => corpusPath(`broken/zhwiki-broken-${n}.xml`);
  if (broken(1) === null) return;
  const dir = tempDir();
  const out = `${dir}/o.txt`;
  await refuses(
    [broken(1)!, out],
    1,
    /zhwiki-broken-1\.xml: page without <title> \(id 13\) at line 374, column \d+, byte 49644$/,
    out,
  );
  await refuses(
    [broken(3)!, out],
    1,
    /zhwiki-broken-3\.xml: revision of page "数学" has no <text> \(found <texts>\) at line 374/,
    out,
  );
  const two = await wikizh(["-q", broken(2)!, "-"]);
  assertEquals(two.code, 0, two.stderr);
  assertEquals([...two.stdout.matchAll(/^【(.+)】$/gm)].map((m) => m[1]), ["数学"]);
  const four = await wikizh([broken(4)!, out]);
  assertEquals(four.code, 0, four.stderr);
  assertEquals(Deno.readTextFileSync(out), "");
  assertMatch(four.stderr, /^wikizh: 0 articles written; skipped namespace 2, empty 1;/);
});

Deno.test("wikizh reads a UTF-16 dump with a BOM like the UTF-8 one", async () => {
  const dir = tempDir();
  const text = new TextDecoder().decode(sampleXml);
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    bytes[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    bytes[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  Deno.writeFileSync(`${dir}/utf16.xml`, bytes);
  const r = await wikizh(["-q", `${dir}/utf16.xml`, "-"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, expected);
});

Deno.test("wikizh handles a page whose <text> is 50 MB long", async () => {
  const dir = tempDir();
  const para =
    "'''數學'''是研究[[數量]]、[[結構]]以及{{lang|en|space}}等概念的學科。&lt;ref&gt;x&lt;/ref&gt;\n";
  const body = para.repeat(Math.ceil(50e6 / new TextEncoder().encode(para).length));
  const xml =
    `<mediawiki><page><title>長頁</title><ns>0</ns><id>1</id><revision><text>${body}</text></revision></page></mediawiki>`;
  Deno.writeTextFileSync(`${dir}/big.xml`, xml);
  const r = await wikizh(["-q", `${dir}/big.xml`, `${dir}/o.txt`]);
  assertEquals(r.code, 0, r.stderr);
  const out = Deno.readTextFileSync(`${dir}/o.txt`);
  assert(
    out.startsWith("【长页】\n数学是研究数量、结构以及space等概念的学科。\n数学是"),
    out.slice(0, 100),
  );
  assertEquals(out.split("\n").length, body.split("\n").length + 2);
});

Deno.test("wikizh refuses bad outputs: same as input, existing, unwritable, disk full", async () => {
  const dir = tempDir();
  Deno.writeFileSync(`${dir}/in.xml.bz2`, sampleBz2);
  await refuses(
    [`${dir}/in.xml.bz2`, `${dir}/in.xml.bz2`],
    2,
    /in\.xml\.bz2: is the input file; choose another output$/,
    "-",
  );
  Deno.writeTextFileSync(`${dir}/old.txt`, "keep me");
  await refuses(
    [`${dir}/in.xml.bz2`, `${dir}/old.txt`],
    2,
    /old\.txt: already exists \(use --force to overwrite\)$/,
    "-",
  );
  assertEquals(Deno.readTextFileSync(`${dir}/old.txt`), "keep me");
  const forced = await wikizh(["-q", "--force", `${dir}/in.xml.bz2`, `${dir}/old.txt`]);
  assertEquals(forced.code, 0, forced.stderr);
  assertEquals(Deno.readTextFileSync(`${dir}/old.txt`), expected);
  // An unwritable directory: root ignores modes, but not the immutable attribute.
  Deno.mkdirSync(`${dir}/ro`);
  const locked = await new Deno.Command("chattr", { args: ["+i", `${dir}/ro`], stderr: "null" })
    .output().then((o) => o.success, () => false);
  if (!locked) Deno.chmodSync(`${dir}/ro`, 0o555);
  if (locked || !(await isRoot())) {
    await refuses(
      [`${dir}/in.xml.bz2`, `${dir}/ro/o.txt`],
      2,
      /ro\/o\.txt: (permission denied|cannot write: .*)$/,
      `${dir}/ro/o.txt`,
    );
  } else {
    console.log("(skipped: cannot make a directory unwritable for root here)");
  }
  if (locked) await new Deno.Command("chattr", { args: ["-i", `${dir}/ro`] }).output();
  if (exists("/dev/full")) {
    await refuses(
      [`${dir}/in.xml.bz2`, "/dev/full"],
      2,
      /\/dev\/full: cannot write: No space left on device$/,
      "-",
    );
  }
});

Deno.test("wikizh exits quietly when stdout is closed early (| head -1)", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...TASK_ARGS, fx("sample.xml.bz2"), "-"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  await reader.cancel();
  const status = await child.status;
  const stderr = new TextDecoder().decode(
    (await new Response(child.stderr).arrayBuffer()) as ArrayBuffer,
  );
  assertEquals(status.code, 0);
  assert(!stderr.includes("error"), stderr);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`wikizh on ${signal} leaves OUT.part and a message, never OUT, exit 130`, async () => {
    const dir = tempDir();
    // Half a dump, then silence: the run is certainly mid-way when the signal comes.
    const run = await halfRun([], `${dir}/o.txt`, sampleXml);
    const { code, stderr } = await run.kill(signal);
    assertEquals(code, 130, stderr);
    assertMatch(
      stderr,
      new RegExp(
        `^wikizh: interrupted by ${signal}; incomplete output \\(\\d+ articles?\\) left in .*o\\.txt\\.part \\(--resume continues it\\)\n$`,
      ),
    );
    assert(exists(`${dir}/o.txt.part`), "OUT.part is kept");
    assert(!exists(`${dir}/o.txt`), "OUT must not exist");
  });
}

Deno.test("the wikizh and demo tasks never let Deno check for updates (no network)", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)).tasks;
  for (const name of ["wikizh", "demo"]) {
    assertMatch(tasks[name], /DENO_NO_UPDATE_CHECK=1 deno run /);
    assert(!/--allow-net|--allow-all|\s-A\s/.test(tasks[name]), name);
  }
});
