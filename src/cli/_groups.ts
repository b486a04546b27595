/**
 * Conversion groups with no second pass: in a multistream dump, the index names the
 * streams that hold `Module:CGroup/*`, `Template:CGroup/*`, `MediaWiki:Conversiontable/*`
 * and NoteTA's redirects; a worker reads and decodes only those streams, before the first
 * article, and hands back the rules.
 *
 * @module
 */

import type { MultistreamIndex } from "../parallel/mod.ts";
import { IoError } from "../errors.ts";
import type { GroupsReply, GroupsRequest } from "./_group_pages.ts";

/** What {@link lookupGroups} brings back: the rules, and what reading them cost. */
export type GroupLookup = Omit<Extract<GroupsReply, { type: "done" }>, "type">;

/**
 * Reads the conversion pages the index names on a worker of its own, which ends once it
 * answers: the main thread keeps the rules only, not the decoded pages' garbage (measured
 * on the 210 MB bench: 80 MB more peak RSS, and more time, when read on this thread).
 * Call it before permissions are revoked: the worker reads the dump.
 */
export function lookupGroups(dump: string, index: MultistreamIndex): Promise<GroupLookup> {
  const worker = new Worker(new URL("./_groups_worker.ts", import.meta.url).href, {
    type: "module",
  });
  const { promise, resolve, reject } = Promise.withResolvers<GroupLookup>();
  worker.onmessage = (e: MessageEvent<GroupsReply>) => {
    const r = e.data;
    if (r.type === "done") resolve(r);
    else if (r.path !== null) reject(new IoError(r.message, r.path));
    else reject(new Error(`conversion group lookup: ${r.message}`));
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    reject(new Error(`conversion group lookup: ${e.message}`));
  };
  worker.postMessage(
    { dump, index: { offsets: index.offsets, found: index.found } } satisfies GroupsRequest,
  );
  return promise.finally(() => worker.terminate());
}
