/**
 * HTML character references in wikitext (`&nbsp;`, `&amp;`, `&#12354;`, `&#x3042;`),
 * decoded once by the tokenizer (and for opaque bodies such as `<nowiki>` by the renderer).
 *
 * `&nbsp;` and the other fixed-width spaces become an ordinary space: the output is a
 * plain-text corpus, and line trimming should treat them like spaces.
 *
 * @module
 */

const NAMED: Record<string, string> = {
  nbsp: " ",
  ensp: " ",
  emsp: " ",
  thinsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  ndash: "–",
  mdash: "—",
  minus: "−",
  hellip: "…",
  middot: "·",
  bull: "•",
  times: "×",
  divide: "÷",
  deg: "°",
  plusmn: "±",
  laquo: "«",
  raquo: "»",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  sbquo: "‚",
  bdquo: "„",
  lsaquo: "‹",
  rsaquo: "›",
  copy: "©",
  reg: "®",
  trade: "™",
  shy: "",
  zwj: "\u200d",
  zwnj: "\u200c",
  lrm: "",
  rlm: "",
  prime: "′",
  Prime: "″",
  sup1: "¹",
  sup2: "²",
  sup3: "³",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  micro: "µ",
  para: "¶",
  sect: "§",
  cent: "¢",
  pound: "£",
  yen: "¥",
  euro: "€",
  iexcl: "¡",
  iquest: "¿",
  dagger: "†",
  Dagger: "‡",
  permil: "‰",
  larr: "←",
  rarr: "→",
  uarr: "↑",
  darr: "↓",
  harr: "↔",
  lArr: "⇐",
  rArr: "⇒",
  hArr: "⇔",
  le: "≤",
  ge: "≥",
  ne: "≠",
  asymp: "≈",
  equiv: "≡",
  infin: "∞",
  sum: "∑",
  prod: "∏",
  radic: "√",
  int: "∫",
  part: "∂",
  nabla: "∇",
  isin: "∈",
  notin: "∉",
  cap: "∩",
  cup: "∪",
  sub: "⊂",
  sup: "⊃",
  and: "∧",
  or: "∨",
  not: "¬",
  forall: "∀",
  exist: "∃",
  empty: "∅",
  there4: "∴",
  prop: "∝",
  ang: "∠",
  perp: "⊥",
  sdot: "⋅",
  lowast: "∗",
  oplus: "⊕",
  otimes: "⊗",
  loz: "◊",
  spades: "♠",
  clubs: "♣",
  hearts: "♥",
  diams: "♦",
  ordf: "ª",
  ordm: "º",
  acute: "´",
  uml: "¨",
  cedil: "¸",
  macr: "¯",
  brvbar: "¦",
  curren: "¤",
  szlig: "ß",
  Agrave: "À",
  Aacute: "Á",
  Acirc: "Â",
  Atilde: "Ã",
  Auml: "Ä",
  Aring: "Å",
  AElig: "Æ",
  Ccedil: "Ç",
  Egrave: "È",
  Eacute: "É",
  Ecirc: "Ê",
  Euml: "Ë",
  Iacute: "Í",
  Ntilde: "Ñ",
  Oacute: "Ó",
  Ouml: "Ö",
  Oslash: "Ø",
  Uacute: "Ú",
  Uuml: "Ü",
  agrave: "à",
  aacute: "á",
  acirc: "â",
  atilde: "ã",
  auml: "ä",
  aring: "å",
  aelig: "æ",
  ccedil: "ç",
  egrave: "è",
  eacute: "é",
  ecirc: "ê",
  euml: "ë",
  igrave: "ì",
  iacute: "í",
  icirc: "î",
  iuml: "ï",
  ntilde: "ñ",
  ograve: "ò",
  oacute: "ó",
  ocirc: "ô",
  otilde: "õ",
  ouml: "ö",
  oslash: "ø",
  ugrave: "ù",
  uacute: "ú",
  ucirc: "û",
  uuml: "ü",
  yacute: "ý",
  yuml: "ÿ",
};

// Greek letters by name.
const GREEK =
  "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi " +
  "Rho _ Sigma Tau Upsilon Phi Chi Psi Omega";
GREEK.split(" ").forEach((name, i) => {
  if (name === "_") return;
  NAMED[name] = String.fromCharCode(0x391 + i);
  NAMED[name.toLowerCase()] = String.fromCharCode(0x3b1 + i);
});
NAMED.sigmaf = "ς";
NAMED.thetasym = "ϑ";

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Result of {@link entityAt}: the decoded text and the index just past the `;`. */
export const entity = { value: "", end: 0 };

/**
 * Reads the character reference starting at `s[amp] === "&"` into {@link entity};
 * returns false (and leaves it) when there is none.
 */
export function entityAt(s: string, amp: number): boolean {
  const n = s.length;
  let j = amp + 1;
  let value: string | undefined;
  if (s.charCodeAt(j) === 35) { // '#'
    j++;
    let hex = false;
    if ((s.charCodeAt(j) | 0x20) === 120) { // 'x'
      hex = true;
      j++;
    }
    const start = j;
    while (j < n && j - start < 8) {
      const c = s.charCodeAt(j);
      const digit = c >= 48 && c <= 57;
      const hexLetter = hex && ((c | 0x20) >= 97 && (c | 0x20) <= 102);
      if (!digit && !hexLetter) break;
      j++;
    }
    if (j > start && s.charCodeAt(j) === 59) {
      const code = parseInt(s.slice(start, j), hex ? 16 : 10);
      if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
        value = code === 0xa0 ? " " : String.fromCodePoint(code);
      }
    }
  } else {
    const start = j;
    while (j < n && j - start < 10 && isAlnum(s.charCodeAt(j))) j++;
    if (j > start && s.charCodeAt(j) === 59) value = NAMED[s.slice(start, j)];
  }
  if (value === undefined) return false;
  entity.value = value;
  entity.end = j + 1;
  return true;
}

/** Decodes character references; unknown or malformed ones stay as written. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  let out = "";
  let last = 0;
  while (amp >= 0) {
    if (entityAt(s, amp)) {
      out += s.slice(last, amp) + entity.value;
      last = entity.end;
      amp = s.indexOf("&", last);
    } else {
      amp = s.indexOf("&", amp + 1);
    }
  }
  return out + s.slice(last);
}
