/**
 * File-system facts the CLI needs before it writes anything: one-line messages for I/O
 * errors, and file identity (device and inode), so that no output can be the input or
 * another output under a different name, a link or a symlink.
 *
 * @module
 */

/** A one-line message for an I/O error on `path`. */
export function ioMessage(path: string, err: unknown, action: string): string {
  if (err instanceof Deno.errors.NotFound) return `${path}: no such file or directory`;
  if (err instanceof Deno.errors.PermissionDenied) return `${path}: permission denied`;
  if (err instanceof Deno.errors.IsADirectory) return `${path}: is a directory`;
  if (err instanceof Deno.errors.AlreadyExists) return `${path}: already exists`;
  const msg = err instanceof Error
    ? err.message.split("\n")[0].replace(/ \(os error \d+\).*$/, "").replace(/:[^:]*$/, "")
    : String(err);
  return `${path}: cannot ${action}: ${msg}`;
}

export function parentDir(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

/**
 * Names under which a path can be the same file as another: its device and inode if it
 * exists (symlinks followed), and its absolute path with the directory's symlinks resolved.
 */
export async function identities(path: string): Promise<string[]> {
  const keys: string[] = [];
  try {
    const info = await Deno.stat(path);
    if (info.dev !== null && info.ino !== null) keys.push(`inode:${info.dev}:${info.ino}`);
  } catch {
    // not there (or a dangling link): the path alone names it
  }
  try {
    const dir = await Deno.realPath(parentDir(path));
    keys.push(`path:${dir === "/" ? "" : dir}/${baseName(path)}`);
  } catch {
    keys.push(`path:${absolute(path)}`);
  }
  return keys;
}

/** `lstat`, or null when nothing is there. */
export async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}
