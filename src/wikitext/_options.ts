/**
 * Cleanup options with their defaults filled in, as the renderer and the template
 * families read them (the public `CleanupOptions` live in mod.ts).
 *
 * @module
 */

import type { SectionRule } from "./_sections.ts";

/** Options with defaults filled in. */
export interface ResolvedOptions {
  tables: "drop" | "text";
  headings: "keep" | "drop";
  /** Which sections are dropped with their content. */
  sections: SectionRule;
  keepDisambig: boolean;
  langLabel: boolean;
  math: "keep" | "drop";
  pre: "keep" | "drop";
  /** Further names of NoteTA (normalised), from the dump's own redirects. */
  noteTaAliases: Set<string>;
}
