/**
 * Which sections are dropped with their content: reference-like and see-also-like titles
 * recognised by pattern after folding traditional spellings, and the `dropSections` option.
 *
 * A title is folded (spaces removed, a few dozen traditional characters of such titles made
 * simplified) and then read, longest word first, as a sequence of words from {@link WORDS}
 * (参考, 资料, 注释, 外部, 链接, 参见, 相关, 条目, 延伸, 阅读, 及, 与…). It is boilerplate when
 * the whole title reads so and one of the words is an anchor (参考, 注释, 外部, 参见, …):
 * `参考资料及注释`, `外部連結`, `相關條目` match; `参考系`, `相关人物`, `资料` do not.
 *
 * The option: absent → the patterns; `[]` (CLI `none`) → nothing dropped; plain titles →
 * exactly those titles (as before); `+标题` adds a title to the patterns, `-标题` keeps a
 * title the patterns would drop. Linear in the title's length.
 *
 * @module
 */

/** Traditional (and variant) characters of section titles → simplified. */
const FOLD: Record<string, string> = {
  參: "参",
  資: "资",
  獻: "献",
  釋: "释",
  註: "注",
  腳: "脚",
  備: "备",
  連: "连",
  結: "结",
  鏈: "链",
  鍊: "链",
  見: "见",
  關: "关",
  條: "条",
  錄: "录",
  閱: "阅",
  讀: "读",
  書: "书",
  來: "来",
  與: "与",
  擴: "扩",
  網: "网",
  項: "项",
  圖: "图",
  詳: "详",
  額: "额",
  說: "说",
  內: "内",
  進: "进",
  階: "阶",
  籍: "籍",
  獲: "获",
};

/** Words a boilerplate title is made of; `true` marks an anchor word. */
const WORDS: Record<string, boolean> = {
  参考: true,
  注释: true,
  注解: true,
  脚注: true,
  备注: true,
  注脚: true,
  外部: true,
  参见: true,
  另见: true,
  参看: true,
  相关: true,
  延伸: true,
  扩展: true,
  进阶: true,
  引用: true,
  详见: true,
  来源: true,
  文献: true,
  关连: true,
  引注: true,
  资料: false,
  书目: false,
  书籍: false,
  条目: false,
  项目: false,
  链接: false,
  连结: false,
  连接: false,
  链结: false,
  网站: false,
  网页: false,
  阅读: false,
  读物: false,
  文章: false,
  内容: false,
  及: false,
  与: false,
  和: false,
  或: false,
  "、": false,
  "/": false,
  "&": false,
  以: false,
  其他: false,
  和其他: false,
};

const MAX_WORD = 3;

/** Section titles are compared without spaces, traditional spellings folded. */
export function sectionKey(title: string): string {
  let out = "";
  for (const ch of title) {
    if (ch === " " || ch === "\t" || ch === "\u3000" || ch === "\u00a0") continue;
    out += FOLD[ch] ?? ch;
  }
  return out;
}

/** Whether a folded title is reference-like or see-also-like. */
export function isBoilerplate(key: string): boolean {
  let i = 0;
  let anchor = false;
  const n = key.length;
  if (n === 0 || n > 24) return false;
  while (i < n) {
    let hit = 0;
    for (let len = Math.min(MAX_WORD, n - i); len > 0; len--) {
      const w = key.slice(i, i + len);
      const a = WORDS[w];
      if (a !== undefined) {
        if (a) anchor = true;
        hit = len;
        break;
      }
    }
    if (hit === 0) return false;
    i += hit;
  }
  return anchor;
}

/** The `dropSections` option, resolved. */
export interface SectionRule {
  /** Use the patterns (else only `extra`). */
  patterns: boolean;
  /** Titles dropped besides the patterns (folded). */
  extra: Set<string>;
  /** Titles kept although the patterns match them (folded). */
  keep: Set<string>;
  /** Decisions made, by title as rendered (titles repeat across a dump: 参考资料, 历史…). */
  seen: Map<string, boolean>;
}

export function sectionRule(list: readonly string[] | undefined): SectionRule {
  const rule: SectionRule = {
    patterns: list === undefined,
    extra: new Set(),
    keep: new Set(),
    seen: new Map(),
  };
  if (list === undefined) return rule;
  let plain = false;
  let signed = false;
  for (const raw of list) {
    const t = raw.trim();
    if (t === "" || t.toLowerCase() === "none") continue;
    if (t.charAt(0) === "+") {
      signed = true;
      rule.extra.add(sectionKey(t.slice(1)));
    } else if (t.charAt(0) === "-") {
      signed = true;
      rule.keep.add(sectionKey(t.slice(1)));
    } else {
      plain = true;
      rule.extra.add(sectionKey(t));
    }
  }
  // Only `+`/`-` entries: they adjust the patterns; any plain title replaces them.
  rule.patterns = signed && !plain;
  return rule;
}

/** Whether a section of this (rendered) title is dropped. */
export function dropsSection(rule: SectionRule, title: string): boolean {
  const hit = rule.seen.get(title);
  if (hit !== undefined) return hit;
  const key = sectionKey(title);
  let drop: boolean;
  if (rule.keep.has(key)) drop = false;
  else if (rule.extra.has(key)) drop = true;
  else drop = rule.patterns && isBoilerplate(key);
  if (rule.seen.size >= 50_000) rule.seen.clear(); // bounded across a dump
  rule.seen.set(title, drop);
  return drop;
}
