/**
 * A streaming bytes→string decoder that picks UTF-8 or UTF-16 from the byte-order mark,
 * since a dump re-saved by an editor may arrive as UTF-16 with a BOM.
 */
export interface StreamingDecoder {
  decode(chunk: Uint8Array): string;
  flush(): string;
  /** The encoding in use ("UTF-8" until a UTF-16 BOM is seen). */
  readonly encoding: string;
}

export function createTextDecoder(): StreamingDecoder {
  let decoder: TextDecoder | null = null;
  // Up to 3 bytes held back until the BOM (if any) can be recognised.
  let head = new Uint8Array(0);

  const pick = (bytes: Uint8Array): TextDecoder => {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
      return new TextDecoder("utf-16le", { fatal: true });
    }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
      return new TextDecoder("utf-16be", { fatal: true });
    }
    // TextDecoder strips a UTF-8 BOM itself.
    return new TextDecoder("utf-8", { fatal: true });
  };

  return {
    get encoding() {
      return decoder === null || decoder.encoding === "utf-8" ? "UTF-8" : "UTF-16";
    },
    decode(chunk) {
      if (decoder === null) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        if (joined.length < 3) {
          head = joined;
          return "";
        }
        decoder = pick(joined);
        return decoder.decode(joined, { stream: true });
      }
      return decoder.decode(chunk, { stream: true });
    },
    flush() {
      if (decoder === null) {
        if (head.length === 0) return "";
        decoder = pick(head);
        return decoder.decode(head);
      }
      return decoder.decode();
    },
  };
}
