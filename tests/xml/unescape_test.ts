import { assertEquals } from "../_assert.ts";
import { unescapeNamed } from "../../src/xml/_unescape.ts";
import { PageTokenizerStream } from "../../src/xml/mod.ts";
import type { PageRecord } from "../../src/types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

const NAMED: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&apos;": "'",
};

/** What the kernel must give: the five entities replaced, null at any other `&`. */
function reference(s: string): string | null {
  let out = "";
  for (let i = 0; i < s.length;) {
    if (s[i] !== "&") {
      out += s[i++];
      continue;
    }
    const hit = Object.keys(NAMED).find((e) => s.startsWith(e, i));
    if (hit === undefined) return null;
    out += NAMED[hit];
    i += hit.length;
  }
  return out;
}

function run(s: string): string | null {
  const got = unescapeNamed(enc.encode(s));
  return got === null ? null : dec.decode(got);
}

Deno.test("unescapeNamed replaces the five named entities wherever they fall in a vector", () => {
  for (const [entity, ch] of Object.entries(NAMED)) {
    for (let before = 0; before < 40; before++) {
      for (const after of [0, 1, 5, 17]) {
        const s = "x".repeat(before) + entity + "y".repeat(after);
        assertEquals(run(s), "x".repeat(before) + ch + "y".repeat(after), `${entity} at ${before}`);
      }
    }
  }
  assertEquals(
    run("&lt;ref name=&quot;a&quot;&gt;中文&amp;amp;&lt;/ref&gt;"),
    '<ref name="a">中文&amp;</ref>',
  );
  assertEquals(run("&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;"), "&&&&&&&&&&");
  assertEquals(run(""), "");
});

Deno.test("unescapeNamed gives up on other entities and on one cut by the field's end", () => {
  for (
    const s of [
      "&#60;",
      "a&#x3c;b",
      "&nbsp;",
      "&lt",
      "x&am",
      "&quot",
      "&apos",
      "&",
      "a & b",
      "&LT;",
    ]
  ) {
    for (const pad of ["", "0123456789abcdef0123"]) {
      assertEquals(run(pad + s), null, JSON.stringify(pad + s));
    }
  }
  // Bytes past the field that would complete an entity do not count.
  const whole = enc.encode("0123456789&lt;");
  const cut = unescapeNamed(whole.subarray(0, 12));
  assertEquals(cut, null);
});

Deno.test("unescapeNamed matches a reference on random text", () => {
  const pieces = [
    "&lt;",
    "&gt;",
    "&amp;",
    "&quot;",
    "&apos;",
    "&",
    "&l",
    "lt;",
    ";",
    "a",
    "中",
    "\n",
    "&#1;",
  ];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let n = 0; n < 3000; n++) {
    let s = "";
    const k = Math.floor(rnd() * 60);
    for (let j = 0; j < k; j++) s += pieces[Math.floor(rnd() * pieces.length)];
    assertEquals(run(s), reference(s), JSON.stringify(s));
  }
  // A field larger than the kernel's memory so far grows it.
  const big = "中文&lt;b&gt;".repeat(100_000);
  assertEquals(run(big), "中文<b>".repeat(100_000));
});

async function pages(xml: string): Promise<PageRecord[]> {
  const out: PageRecord[] = [];
  const stream = new Blob([xml]).stream().pipeThrough(new PageTokenizerStream());
  for await (const p of stream) out.push(p);
  return out;
}

Deno.test("PageTokenizerStream reads the same text whether a field takes the fast or the general path", async () => {
  const page = (text: string) =>
    `<mediawiki><page><title>T</title><ns>0</ns><id>1</id><revision><text>${text}</text></revision></page></mediawiki>`;
  // Only named entities (fast), a character reference as well (general), both in one dump.
  const fast = await pages(page("&lt;ref&gt;&quot;x&quot;&lt;/ref&gt; &amp;amp;"));
  const general = await pages(page("&lt;ref&gt;&#34;x&#x22;&lt;/ref&gt; &amp;amp;"));
  assertEquals(fast[0].text, '<ref>"x"</ref> &amp;');
  assertEquals(general[0].text, fast[0].text);
  // A field above the kernel's size limit goes the general way, to the same text.
  const long = "中文&lt;b&gt;&amp;".repeat(200_000);
  assertEquals(unescapeNamed(enc.encode(long)), null);
  const [big] = await pages(page(long));
  assertEquals(big.text, "中文<b>&".repeat(200_000));
});
