/**
 * UTF-8 checks done in JavaScript where the native decoder cannot say where it failed:
 * the exact offset of a bad byte, and columns counted in characters.
 *
 * @module
 */

/**
 * Length of the well-formed UTF-8 sequence at `data[i]` (1–4), 0 when it is malformed
 * (overlong, surrogate, above U+10FFFF, stray continuation byte), or -1 when it is cut
 * short by `end` and might complete with more bytes.
 */
export function sequenceLength(data: Uint8Array, i: number, end: number): number {
  const b = data[i];
  if (b < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  // The second byte has a narrower range for some lead bytes; the rest are 80..BF.
  for (let k = 1; k < n; k++) {
    if (i + k >= end) return -1;
    const c = data[i + k];
    if (k === 1 ? c < lo || c > hi : (c & 0xc0) !== 0x80) return 0;
  }
  return n;
}

/** Offset of the first malformed or truncated sequence in `data[from, to)`, or -1. */
export function firstInvalid(data: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to;) {
    if (data[i] < 0x80) {
      i++;
      continue;
    }
    const n = sequenceLength(data, i, to);
    if (n <= 0) return i;
    i += n;
  }
  return -1;
}

/** Characters (code points) in `data[from, to)`: the bytes that are not continuation bytes. */
export function countChars(data: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((data[i] & 0xc0) !== 0x80) n++;
  return n;
}
