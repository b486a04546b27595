/**
 * The group lookup's worker: reads the streams of a multistream dump that its index names
 * for conversion pages, and returns only the rules and NoteTA aliases they hold. It runs
 * once, before the first article, and then ends: the decoded group pages (about 11 MB of
 * wikitext on zhwiki) and their parse never reach the main thread's heap.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { rulesFromPages } from "../zhconv/mod.ts";
import { IoError } from "../errors.ts";
import {
  type GroupsReply,
  type GroupsRequest,
  noteTaAliases,
  readConversionPages,
} from "./_group_pages.ts";

self.onmessage = async (e: MessageEvent<GroupsRequest>) => {
  try {
    const { dump, index } = e.data;
    const found = await readConversionPages(dump, { ...index, resumeOffset: null });
    self.postMessage(
      {
        type: "done",
        rules: rulesFromPages(found.pages),
        aliases: noteTaAliases(found.pages),
        pages: found.pages.length,
        streams: found.streams,
      } satisfies GroupsReply,
    );
  } catch (err) {
    self.postMessage(
      {
        type: "error",
        message: err instanceof Error ? err.message : String(err),
        path: err instanceof IoError ? err.path : null,
      } satisfies GroupsReply,
    );
  }
};
