/**
 * Conversion groups with no second pass: in a multistream dump, the index names the
 * streams that hold `Module:CGroup/*`, `Template:CGroup/*`, `MediaWiki:Conversiontable/*`
 * and NoteTA's redirects; only those streams are read and decoded, before the first
 * article (here, while a worker loads), and the worker reads their pages and hands back
 * the rules.
 *
 * @module
 */

import type { MultistreamIndex } from "../parallel/mod.ts";
import { IoError } from "../errors.ts";
import { conversionStreams, type GroupsReply, type GroupsRequest } from "./_group_pages.ts";

/** What {@link lookupGroups} brings back: the rules, and what reading them cost. */
export type GroupLookup = Omit<Extract<GroupsReply, { type: "done" }>, "type">;

/**
 * Reads the conversion pages the index names on a worker of its own, which ends once it
 * answers: the main thread keeps the rules only, not the decoded pages' garbage (measured
 * on the 210 MB bench: 80 MB more peak RSS, and more time, when read on this thread). This
 * thread only decodes the streams, while the worker loads, and hands the XML over.
 * Call it before permissions are revoked: it reads the dump.
 */
export async function lookupGroups(dump: string, index: MultistreamIndex): Promise<GroupLookup> {
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
  const answer = promise.finally(() => worker.terminate());
  // Awaited below; a failure there while streams are still being decoded is not unhandled.
  answer.catch(() => {});
  const send = (m: GroupsRequest, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
  send({ type: "ids", ids: index.found.map((e) => e.id) });
  // Decoded here while the worker loads its modules, then read there as each comes.
  let streams = 0;
  try {
    for await (const xml of conversionStreams(dump, index)) {
      streams++;
      if (xml !== null) send({ type: "stream", xml }, [...new Set(xml.map((c) => c.buffer))]);
    }
  } catch (err) {
    worker.terminate();
    throw err;
  }
  send({ type: "end", streams });
  return await answer;
}
