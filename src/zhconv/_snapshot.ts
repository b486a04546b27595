/**
 * The bundled snapshot of zhwiki's conversion groups (src/zhconv/_cgroups_data.ts), read
 * lazily: the names are indexed once per worker, a group's rule strings are split out the
 * first time a page names it.
 *
 * @module
 */

import { CGROUPS_DATA, CGROUPS_INFO } from "./_cgroups_data.ts";
import { normalizeGroupName } from "./_rules_file.ts";

export { CGROUPS_INFO };

let index: Map<string, [number, number]> | null = null;

function buildIndex(): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  const s = CGROUPS_DATA;
  let from = 0;
  while (from < s.length) {
    let end = s.indexOf("\n\n", from);
    if (end < 0) end = s.length;
    const nl = s.indexOf("\n", from);
    const headEnd = nl < 0 || nl > end ? end : nl;
    const bodyStart = headEnd < end ? headEnd + 1 : end;
    for (const name of s.slice(from, headEnd).split("\t")) {
      const n = normalizeGroupName(name);
      if (n !== "" && !m.has(n)) m.set(n, [bodyStart, end]);
    }
    from = end + 2;
  }
  return m;
}

/** The snapshot's rule strings of a group (by any of its names), or null. */
export function snapshotGroup(name: string): string[] | null {
  index ??= buildIndex();
  const at = index.get(normalizeGroupName(name));
  if (!at) return null;
  return at[0] < at[1] ? CGROUPS_DATA.slice(at[0], at[1]).split("\n") : [];
}

/** Every group name the snapshot knows (normalised). */
export function snapshotNames(): string[] {
  index ??= buildIndex();
  return [...index.keys()];
}
