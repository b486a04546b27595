/**
 * The command line: options, their checks and the help text. Pure: the values it returns
 * are what the rest of the CLI acts on.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../errors.ts";
import { isParquetPath, parseSize } from "../sink/mod.ts";
import { defaultThreads, MAX_THREADS, threadLimit } from "../parallel/mod.ts";
import { type Converter, CONVERTERS, type Variant, VARIANTS } from "../zhconv/mod.ts";

export const VERSION = "0.1.0";

/** Every option of a conversion run, after validation. */
export interface Options {
  input: string;
  output: string;
  redirects: string | null;
  limit: number;
  quiet: boolean;
  /** Progress lines even when stderr is not a terminal (for logs). */
  progress: boolean;
  force: boolean;
  threads: number;
  format: "text" | "jsonl" | "parquet";
  /** Most bytes per shard file, or null for one file. */
  shardSize: number | null;
  /** Continue an interrupted run from its checkpoint. */
  resume: boolean;
  /** Uncompressed output between checkpoints (a gzip member / zstd frame), or null: the default. */
  checkpointEvery: number | null;
  minChars: number;
  stats: string | null;
  index: string | null;
  rules: string | null;
  variant: Variant;
  converter: Converter;
  keepCornerQuotes: boolean;
  tables: "drop" | "text";
  headings: "keep" | "drop";
  /** null: the default list; `["none"]` keeps every section (the cleanup stage's rule). */
  dropSections: string[] | null;
  keepDisambig: boolean;
  langLabel: boolean;
  math: "keep" | "drop";
  pre: "keep" | "drop";
}

/** What the command line asks for. */
export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "convert"; options: Options }
  | { kind: "rules"; input: string; output: string; quiet: boolean; force: boolean };

export const HELP = `wikizh ${VERSION} — Chinese Wikipedia dump to clean simplified-Chinese text

Usage:
  wikizh [options] DUMP OUT        convert a dump (.xml.bz2, multistream .bz2, .xml, or - for stdin)
                                   to text (OUT may be - for stdout)
  wikizh rules DUMP RULES.json     collect conversion groups (Module:CGroup/…) for --rules

Examples:
  wikizh zhwiki-20261101-pages-articles.xml.bz2 zhwiki.txt
  wikizh --limit 100 zhwiki-20261101-pages-articles-multistream.xml.bz2 -
  wikizh --format jsonl --redirects redirects.tsv dump.xml.bz2 zhwiki.jsonl
  wikizh --shard-size 256MB dump-multistream.xml.bz2 zhwiki.parquet   (zhwiki-00000.parquet, …)
  wikizh rules dump.xml.bz2 rules.json && wikizh --rules rules.json dump.xml.bz2 zhwiki.txt

Output:
  --format text|jsonl|parquet
                          text (default): 【标题】, newline, text, blank line;
                          jsonl: {"id","title","url","text","categories","sections"} per line;
                          parquet: columns id, url, title, text, categories; by default
                          from OUT's name (.parquet, .jsonl[.gz|.zst], else text); OUT ending
                          in .gz or .zst is compressed
  --shard-size SIZE       cut OUT into files of at most SIZE (100KB, 256MB, 1GB) at article
                          boundaries: out.jsonl.gz → out-00000.jsonl.gz, out-00001.jsonl.gz, …
  --resume                continue an interrupted run (killed, power lost, disk full) from its
                          checkpoint OUT.resume, to the same bytes as an uninterrupted run
  --checkpoint-every SIZE output between checkpoints (default 16MB; Parquet: a row group of
                          16MB); a resumed run must use the value of the first
  --redirects FILE        also write redirects as 别名<TAB>目标 lines
  --limit N               stop after N articles
  --min-chars N           skip articles shorter than N characters
  --force                 overwrite OUT if it exists, and replace a leftover OUT.part (OUT is
                          written as OUT.part, renamed at the end)
  --stats FILE            write a JSON summary; also list the 30 most used unknown templates
  -q, --quiet             no progress line and no summary on stderr
  --progress              progress lines even when stderr is not a terminal (every 2 s, for logs)

Chinese variants:
  --variant V             zh-cn (default), zh-hans, zh-sg, zh-my, zh-tw, zh-hk, zh-hant
  --converter mediawiki|opencc
                          mediawiki (default): MediaWiki's own tables, as zh.wikipedia shows
                          the page; opencc: OpenCC's t2s (keeps Taiwan/Hong Kong words)
  --rules FILE            conversion groups collected by 'wikizh rules'
  --keep-corner-quotes    keep 「」『』 (zh-cn turns them into “”‘’ by default)

Wikitext:
  --tables drop|text      drop tables (default) or keep cell text, one row per line
  --headings keep|drop    keep section headings on their own line (default) or drop them
  --drop-sections LIST    sections dropped with their content; default: reference-like and
                          see-also-like titles by pattern (参考…, 注释/注解/脚注/备注, 外部链接,
                          参见/另见/参看, 相关条目, 延伸阅读…, traditional spellings too);
                          '+T' adds T, '-T' keeps T; plain titles replace the patterns;
                          'none' keeps all sections
  --keep-disambig         keep disambiguation pages (skipped by default)
  --lang-label            write {{lang-en|Test}} as 英语：Test instead of Test
  --math keep|drop        keep <math> TeX verbatim (default) or drop it
  --pre drop|keep         drop <pre> blocks (default) or keep their text as the page shows it

Performance:
  --threads N             threads to use, this one included (default: all cores; at most
                          4 per core, ${MAX_THREADS} in all); 2 = one decodes while this one
                          does the pages
  --index FILE            multistream index (…-multistream-index.txt[.bz2]); found beside DUMP by default

  -h, --help              this help
  -V, --version           print the version

Exit codes:
  0 done; 1 input damaged (articles before the damage are written, output left as OUT.part);
  2 usage or I/O error; 70 internal error (please report); 130 interrupted (output left
  as OUT.part).
`;

function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name} needs a whole number ≥ ${min}, not "${value}"`);
  }
  if (Number(value) > max) throw new UsageError(`--${name} is at most ${max}, not ${value}`);
  return Number(value);
}

/** Every option and its kind, as node:util parseArgs reads them. */
const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
  quiet: { type: "boolean", short: "q" },
  progress: { type: "boolean" },
  force: { type: "boolean" },
  redirects: { type: "string" },
  limit: { type: "string" },
  threads: { type: "string" },
  format: { type: "string" },
  "shard-size": { type: "string" },
  resume: { type: "boolean" },
  "checkpoint-every": { type: "string" },
  "min-chars": { type: "string" },
  stats: { type: "string" },
  index: { type: "string" },
  rules: { type: "string" },
  variant: { type: "string" },
  converter: { type: "string" },
  "keep-corner-quotes": { type: "boolean" },
  tables: { type: "string" },
  headings: { type: "string" },
  "drop-sections": { type: "string" },
  "keep-disambig": { type: "boolean" },
  "lang-label": { type: "boolean" },
  math: { type: "string" },
  pre: { type: "string" },
} as const;

/** The format OUT's name asks for: `.parquet`, `.jsonl`/`.ndjson` (compressed or not), else text. */
function formatFor(out: string): "text" | "jsonl" | "parquet" {
  if (isParquetPath(out)) return "parquet";
  return /\.(?:jsonl|ndjson)(?:\.gz|\.zst)?$/i.test(out) ? "jsonl" : "text";
}

/** Options that take a value, so that `--limit -5` reaches our check as the value "-5". */
const VALUED = new Set(
  Object.entries(OPTIONS).filter(([, o]) => o.type === "string").map(([name]) => `--${name}`),
);

function choice<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, not "${value}"`);
  }
  return value as T;
}

/**
 * Parses the command line (without the program name) for a machine with `cores` cores.
 * Throws {@link UsageError}.
 */
export function parseCommand(args: string[], cores: number): Command {
  // node:util reads "-5" after an option as another option (a three-line message).
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (VALUED.has(a) && i + 1 < args.length && /^-\d/.test(args[i + 1])) {
      joined.push(`${a}=${args[++i]}`);
    } else joined.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joined,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (err) {
    // node:util's messages are long and mention internals; keep the first sentence.
    const msg = err instanceof Error ? err.message.split(/\.\s|\n/)[0] : String(err);
    throw new UsageError(msg);
  }
  const v = parsed.values;
  if (v.help) return { kind: "help" };
  if (v.version) return { kind: "version" };
  const pos = parsed.positionals;
  if (pos[0] === "rules") {
    if (pos.length !== 3) throw new UsageError("usage: wikizh rules DUMP RULES.json");
    return {
      kind: "rules",
      input: pos[1],
      output: pos[2],
      quiet: v.quiet ?? false,
      force: v.force ?? false,
    };
  }
  if (pos.length !== 2) {
    throw new UsageError(
      pos.length < 2
        ? "expected DUMP and OUT (see wikizh --help)"
        : `too many arguments: ${pos.slice(2).join(" ")}`,
    );
  }
  if (pos[1] === "-" && (v["shard-size"] !== undefined || v.resume)) {
    throw new UsageError("--shard-size and --resume need OUT to be a file, not -");
  }
  if (v.resume && v.force) throw new UsageError("--resume and --force exclude each other");
  if ((v.format === "parquet" || isParquetPath(pos[1])) && /\.(?:gz|zst)$/i.test(pos[1])) {
    throw new UsageError(
      "Parquet compresses its own pages: OUT should end in .parquet, not .gz or .zst",
    );
  }
  const dropSections = v["drop-sections"];
  return {
    kind: "convert",
    options: {
      input: pos[0],
      output: pos[1],
      redirects: v.redirects ?? null,
      limit: intOption("limit", v.limit, Infinity, 1),
      quiet: v.quiet ?? false,
      progress: v.progress ?? false,
      force: v.force ?? false,
      threads: intOption("threads", v.threads, defaultThreads(cores), 1, threadLimit(cores)),
      format: choice("format", v.format, ["text", "jsonl", "parquet"] as const) ??
        formatFor(pos[1]),
      shardSize: v["shard-size"] === undefined ? null : parseSize(v["shard-size"]),
      resume: v.resume ?? false,
      checkpointEvery: v["checkpoint-every"] === undefined
        ? null
        : parseSize(v["checkpoint-every"]),
      minChars: intOption("min-chars", v["min-chars"], 0, 0),
      stats: v.stats ?? null,
      index: v.index ?? null,
      rules: v.rules ?? null,
      variant: choice("variant", v.variant, VARIANTS) ?? "zh-cn",
      converter: choice("converter", v.converter, CONVERTERS) ?? "mediawiki",
      keepCornerQuotes: v["keep-corner-quotes"] ?? false,
      tables: choice("tables", v.tables, ["drop", "text"] as const) ?? "drop",
      headings: choice("headings", v.headings, ["keep", "drop"] as const) ?? "keep",
      dropSections: dropSections === undefined
        ? null
        : dropSections.split(/[,，]/).map((s) => s.trim()).filter((s) => s.length > 0),
      keepDisambig: v["keep-disambig"] ?? false,
      langLabel: v["lang-label"] ?? false,
      math: choice("math", v.math, ["keep", "drop"] as const) ?? "keep",
      pre: choice("pre", v.pre, ["drop", "keep"] as const) ?? "drop",
    },
  };
}
