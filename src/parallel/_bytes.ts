/**
 * Byte-level searches the cutters and page workers share: page tags in UTF-8 XML, found
 * without decoding it (`<page>` and `</page>` only ever appear there as tags).
 *
 * @module
 */

const enc = new TextEncoder();
export const PAGE_OPEN: Uint8Array = enc.encode("<page>");
export const PAGE_CLOSE: Uint8Array = enc.encode("</page>");

/** Index of `pat` in `buf` at or after `from`, or -1. */
export function indexOf(buf: Uint8Array, pat: Uint8Array, from: number): number {
  const first = pat[0];
  for (
    let i = buf.indexOf(first, from);
    i >= 0 && i + pat.length <= buf.length;
    i = buf.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < pat.length && buf[i + k] === pat[k]) k++;
    if (k === pat.length) return i;
  }
  return -1;
}

/** Index of the last `pat` in `buf`, or -1. */
export function lastIndexOf(buf: Uint8Array, pat: Uint8Array): number {
  const first = pat[0];
  for (
    let i = buf.lastIndexOf(first, buf.length - pat.length);
    i >= 0;
    i = buf.lastIndexOf(first, i - 1)
  ) {
    let k = 1;
    while (k < pat.length && buf[i + k] === pat[k]) k++;
    if (k === pat.length) return i;
    if (i === 0) break;
  }
  return -1;
}

/** Whether `buf[from, to)` is only XML white space. */
export function isBlank(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}
