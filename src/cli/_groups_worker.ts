/**
 * The group lookup's worker: reads the pages of the streams the main thread decodes for it
 * (those a multistream dump's index names for conversion pages) and returns only the rules
 * and NoteTA aliases they hold. It runs once, before the first article, and then ends:
 * the group pages (about 11 MB of wikitext on zhwiki) and their parse never reach the main
 * thread's heap, only the decoded XML passes through it, in buffers handed over.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { rulesFromPages } from "../zhconv/mod.ts";
import type { PageRecord } from "../types.ts";
import {
  conversionPages,
  type GroupsReply,
  type GroupsRequest,
  noteTaAliases,
} from "./_group_pages.ts";

let ids: ReadonlySet<number> = new Set();
const pages: PageRecord[] = [];
let failed = false;

self.onmessage = (e: MessageEvent<GroupsRequest>) => {
  const m = e.data;
  if (failed) return;
  try {
    if (m.type === "ids") ids = new Set(m.ids);
    else if (m.type === "stream") pages.push(...conversionPages(m.xml, ids));
    else {
      self.postMessage(
        {
          type: "done",
          rules: rulesFromPages(pages),
          aliases: noteTaAliases(pages),
          pages: pages.length,
          streams: m.streams,
        } satisfies GroupsReply,
      );
    }
  } catch (err) {
    failed = true;
    self.postMessage(
      {
        type: "error",
        message: err instanceof Error ? err.message : String(err),
        path: null,
      } satisfies GroupsReply,
    );
  }
};
