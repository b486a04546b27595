/** What the first bytes of an input say it is. */
export type InputFormat =
  | { kind: "bz2" }
  | { kind: "xml" }
  | { kind: "unsupported"; reason: string };

/**
 * Tells a bzip2 dump from plain XML by its first bytes, and names the common wrong
 * files (gzip, xz, zip, 7z, an HTML error page) instead of failing deep in a decoder.
 */
export function detectInputFormat(head: Uint8Array): InputFormat {
  if (head.length === 0) return { kind: "unsupported", reason: "empty file" };
  const b = (i: number) => (i < head.length ? head[i] : -1);
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return { kind: "bz2" }; // "BZh"
  if (b(0) === 0x1f && b(1) === 0x8b) {
    return { kind: "unsupported", reason: "gzip data, not bzip2 or XML" };
  }
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58) {
    return { kind: "unsupported", reason: "xz data, not bzip2 or XML (decompress it with xz -dc)" };
  }
  if (b(0) === 0x50 && b(1) === 0x4b) return { kind: "unsupported", reason: "zip archive" };
  if (b(0) === 0x37 && b(1) === 0x7a && b(2) === 0xbc && b(3) === 0xaf) {
    return { kind: "unsupported", reason: "7z archive" };
  }
  // UTF-16 byte-order marks: XML re-saved by an editor.
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) return { kind: "xml" };
  let i = 0;
  if (b(0) === 0xef && b(1) === 0xbb && b(2) === 0xbf) i = 3;
  while (
    i < head.length &&
    (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)
  ) i++;
  if (i < head.length && head[i] === 0x3c) {
    const text = new TextDecoder().decode(head.subarray(i, i + 200)).toLowerCase();
    if (text.startsWith("<!doctype html") || text.startsWith("<html")) {
      return { kind: "unsupported", reason: "an HTML page, not a dump (a failed download?)" };
    }
    return { kind: "xml" };
  }
  if (i === head.length) return { kind: "unsupported", reason: "only whitespace" };
  return { kind: "unsupported", reason: "not bzip2 or XML" };
}
