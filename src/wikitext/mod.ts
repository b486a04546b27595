/**
 * Wikitext cleanup stage: {@link PageRecord} → {@link CleanPage}, the prose a reader sees
 * as typed segments for the variant stage; `cleanPage` and `WikitextCleanupStream`.
 *
 * A page is tokenized in one pass into a small tree (`_tokenizer.ts`, `_nodes.ts`) and
 * rendered to prose segments (`_render.ts`; templates by family under `_templates/`).
 * What each construct becomes follows ../shared/docs/zhwiki-markup.md sections 3–5;
 * `-{…}-` and the conversion templates are passed on as `conv`/`group`/`nocc` segments
 * for the variant stage. Pure and synchronous: it can run in a Web Worker.
 *
 * Decisions (details in the files named):
 * - Unknown templates are dropped and reported in `unknownTemplates`; an inline one with a
 *   single short plain parameter shows it (`_templates/registry.ts`).
 * - `{{lang}}`/`{{lang-xx}}` text is `raw` unless the language is Chinese (zh, lzh, yue, wuu,
 *   gan, hak, hsn, cdo, cjy, cmn, cpx, czh, czo, mnp, nan, och, ltc: `_templates/lang.ts`).
 * - `&nbsp;` and other fixed-width spaces become an ordinary space (`_entities.ts`).
 * - Each source line stays a line: lines of one paragraph are never glued together, so no
 *   words are joined that the page kept apart; empty lines and line-end spaces go.
 * - Values that depend on the viewing date (`{{age}}`, `{{CURRENTYEAR}}`) print nothing;
 *   `{{convert}}` prints the value with its unit, not the conversion.
 * - Redirect and namespace pages are not rendered (no categories); disambiguation and empty
 *   pages are, so their categories and unknown templates are still reported; an empty
 *   page keeps the segments that show nothing (rules, groups), for its title.
 *
 * @module
 */

import type { CleanPage, PageRecord, Segment } from "../types.ts";
import { isSilentConv } from "./_output.ts";
import type { ResolvedOptions } from "./_options.ts";
import { Renderer } from "./_render.ts";
import { sectionRule } from "./_sections.ts";
import { normalizeName } from "./_templates/registry.ts";
import { tokenize } from "./_tokenizer.ts";

export interface CleanupOptions {
  /** Tables: dropped (default) or their cell text, one row per line. */
  tables?: "drop" | "text";
  /** Headings on their own line (default) or dropped. */
  headings?: "keep" | "drop";
  /**
   * Sections dropped with their content. Absent: reference-like and see-also-like titles by
   * pattern (`_sections.ts`; {@link DEFAULT_DROP_SECTIONS} lists common ones). `[]` or
   * `["none"]`: none. Plain titles: exactly those. `+标题` adds to the patterns, `-标题` keeps.
   */
  dropSections?: string[];
  /** Keep disambiguation pages as articles (default false). */
  keepDisambig?: boolean;
  /** `{{lang-en|Test}}` → `英语：Test` instead of `Test` (default false). */
  langLabel?: boolean;
  /** `<math>`/`<chem>`/`<ce>`: TeX kept verbatim (default) or dropped. */
  math?: "keep" | "drop";
  /**
   * `<pre>`: nothing (default: preformatted text is code, not prose) or its text as
   * MediaWiki shows it, line by line, spaces kept, unconverted unless a `-{…}-` cuts it.
   */
  pre?: "keep" | "drop";
  /**
   * Further template names that are NoteTA (the dump's `Template:` redirects to it, e.g. from a
   * multistream index), with or without the `Template:` prefix. zhwiki's own are built in.
   */
  noteTaAliases?: string[];
}

/** Common boilerplate titles the default patterns drop, in simplified and traditional spellings. */
export const DEFAULT_DROP_SECTIONS: readonly string[] = Object.freeze([
  "参考资料",
  "參考資料",
  "参考文献",
  "參考文獻",
  "参考来源",
  "参考书目",
  "参考及注释",
  "参考资料及注释",
  "参考",
  "注释",
  "注釋",
  "註釋",
  "注解",
  "脚注",
  "腳註",
  "备注",
  "外部链接",
  "外部連結",
  "外部鏈接",
  "外部连结",
  "参见",
  "參見",
  "另见",
  "参看",
  "相关条目",
  "相關條目",
  "相关文献",
  "关连项目",
  "延伸阅读",
  "延伸閱讀",
]);

const resolvedCache = new WeakMap<CleanupOptions, ResolvedOptions>();
const DEFAULTS: CleanupOptions = {};

function resolve(options: CleanupOptions = DEFAULTS): ResolvedOptions {
  let r = resolvedCache.get(options);
  if (r !== undefined) return r;
  r = {
    tables: options.tables ?? "drop",
    headings: options.headings ?? "keep",
    sections: sectionRule(options.dropSections),
    keepDisambig: options.keepDisambig ?? false,
    langLabel: options.langLabel ?? false,
    math: options.math ?? "keep",
    pre: options.pre ?? "drop",
    noteTaAliases: new Set((options.noteTaAliases ?? []).map(normalizeName)),
  };
  resolvedCache.set(options, r);
  return r;
}

// Anchored and applied to the first few hundred characters only. The target stops at
// `#`: like the dump's <redirect title>, it names the page, not a section of it.
const REDIRECT = /^\s*#\s*(?:redirect|重定向|重新導向|重新导向)\s*[:：]?\s*\[\[([^\]|\n#]*)/i;

/** The target of a `#REDIRECT [[目标]]` page, or null when the text is not a redirect. */
export function redirectTarget(text: string): string | null {
  const m = REDIRECT.exec(text.slice(0, 512));
  if (!m) {
    return /^\s*#\s*(?:redirect|重定向|重新導向|重新导向)/i.test(text.slice(0, 64)) ? "" : null;
  }
  return m[1].trim();
}

function skipped(page: PageRecord, status: CleanPage["status"]): CleanPage {
  return {
    id: page.id,
    ns: page.ns,
    title: page.title,
    status,
    redirect: page.redirect,
    segments: [],
    categories: [],
    unknownTemplates: [],
    unknownInline: [],
  };
}

function visible(segments: Segment[]): boolean {
  for (const s of segments) {
    if (s.kind === "text" || s.kind === "raw") {
      if (s.text.trim() !== "") return true;
    } else if (s.kind === "conv" && !isSilentConv(s.text)) return true;
  }
  return false;
}

/** Cleans one page. Never throws on malformed wikitext. */
export function cleanPage(page: PageRecord, options?: CleanupOptions): CleanPage {
  if (page.ns !== 0) return skipped(page, "namespace");
  if (page.redirect !== null) return skipped(page, "redirect");
  // The XML stage dropped the text (e.g. above its size limit): say why, not "empty".
  if (page.skip !== undefined) return skipped(page, page.skip);
  const text = page.text;
  const target = redirectTarget(text);
  if (target !== null) {
    const out = skipped(page, "redirect");
    out.redirect = target;
    return out;
  }
  if (text.trim() === "") return skipped(page, "empty");
  const opts = resolve(options);
  const r = new Renderer(opts, page.title);
  const segments = r.page(tokenize(text));
  let status: CleanPage["status"] = "article";
  if (r.disambig && !opts.keepDisambig) status = "disambig";
  else if (!visible(segments)) status = "empty";
  return {
    id: page.id,
    ns: page.ns,
    title: page.title,
    status,
    redirect: null,
    // An empty page keeps its rules: a `-{T|…}-` alone still sets the title the wiki shows.
    segments: status === "article" || status === "empty" ? segments : [],
    categories: r.categories,
    unknownTemplates: r.unknown,
    unknownInline: r.unknownInline,
  };
}

/** Cleans each page of the stream; skipped pages pass through with their status. */
export class WikitextCleanupStream extends TransformStream<PageRecord, CleanPage> {
  constructor(options?: CleanupOptions) {
    super({
      transform(page, controller) {
        controller.enqueue(cleanPage(page, options));
      },
    });
  }
}
