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

import { RulesCollector } from "../zhconv/mod.ts";
import type { PageRecord } from "../types.ts";
import {
  conversionPages,
  type GroupsReply,
  type GroupsRequest,
  noteTaAliases,
} from "./_group_pages.ts";

let ids: ReadonlySet<number> = new Set();
/** Only redirects are kept: NoteTA's aliases are among them; the rest is read once. */
const redirects: PageRecord[] = [];
let pages = 0;
// Each stream's pages are read while the main thread still decodes the next one.
const rules = new RulesCollector();
let failed = false;

self.onmessage = (e: MessageEvent<GroupsRequest>) => {
  const m = e.data;
  if (failed) return;
  try {
    if (m.type === "ids") ids = new Set(m.ids);
    else if (m.type === "stream") {
      for (const page of conversionPages(m.xml, ids)) {
        rules.add(page);
        pages++;
        if (page.redirect !== null) redirects.push(page);
      }
    } else {
      self.postMessage(
        {
          type: "done",
          rules: rules.result(),
          aliases: noteTaAliases(redirects),
          pages,
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
