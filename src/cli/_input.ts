/**
 * Opens the dump (a file or stdin), reads its first bytes to tell bzip2 from XML (or name
 * the wrong kind of file), and holds the rest back until the sandbox is in place.
 *
 * @module
 */

import { IoError } from "../errors.ts";
import { identities, ioMessage } from "./_fs.ts";
import { detectInputFormat } from "./_sniff.ts";

export interface Input {
  /** The name errors use: the path, or `<stdin>`. */
  name: string;
  /** The path given ("-" for stdin). */
  path: string;
  /** Yields nothing until {@link Input.open} is called: no page is read before the sandbox. */
  bytes: ReadableStream<Uint8Array>;
  open: () => void;
  /** Gives the input up unread. */
  close: () => Promise<unknown>;
  format: "bz2" | "xml";
  /** Size in bytes when it is a regular file, else 0. */
  size: number;
  /** The input's file identities (see `identities`); empty for stdin. */
  ids: string[];
}

/**
 * Opens `path` ("-": stdin) and sniffs its format; `from` > 0 starts that many bytes in
 * (a resumed run skipping whole bzip2 streams).
 */
export async function openInput(path: string, from = 0): Promise<Input> {
  let source: ReadableStream<Uint8Array>;
  let size = 0;
  let ids: string[] = [];
  if (path === "-") {
    source = Deno.stdin.readable;
  } else {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (err) {
      throw new IoError(ioMessage(path, err, "read"), path);
    }
    if (info.isDirectory) throw new IoError(`${path}: is a directory, not a dump file`, path);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (err) {
      throw new IoError(ioMessage(path, err, "open"), path);
    }
    size = info.isFile ? info.size : 0;
    ids = await identities(path);
    if (from > 0) await file.seek(from, Deno.SeekMode.Start);
    source = file.readable;
  }
  // Read a little ahead to sniff the format, then hand on those bytes and the rest.
  const reader = source.getReader();
  const head: Uint8Array[] = [];
  let headLen = 0;
  let done = false;
  try {
    while (headLen < 512) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headLen += r.value.length;
    }
  } catch (err) {
    throw new IoError(ioMessage(path, err, "read"), path);
  }
  const joined = new Uint8Array(headLen);
  let at = 0;
  for (const c of head) {
    joined.set(c, at);
    at += c.length;
  }
  const name = path === "-" ? "<stdin>" : path;
  const format = detectInputFormat(joined);
  if (format.kind === "unsupported") {
    await reader.cancel().catch(() => {});
    throw new IoError(
      `${name}: ${format.reason}; expected a .xml.bz2 or .xml MediaWiki dump`,
      path,
    );
  }
  const gate = Promise.withResolvers<void>();
  let first = true;
  const bytes = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        await gate.promise;
        for (const c of head) controller.enqueue(c);
        if (done) controller.close();
        return;
      }
      let r;
      try {
        r = await reader.read();
      } catch (err) {
        throw new IoError(ioMessage(name, err, "read"), path);
      }
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  const close = () => reader.cancel().catch(() => {});
  return { name, path, bytes, open: () => gate.resolve(), close, format: format.kind, size, ids };
}
