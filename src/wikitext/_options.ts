/**
 * Cleanup options with their defaults filled in, as the renderer and the template
 * families read them (the public `CleanupOptions` live in mod.ts).
 *
 * @module
 */

/** Options with defaults filled in. */
export interface ResolvedOptions {
  tables: "drop" | "text";
  headings: "keep" | "drop";
  dropSections: Set<string>;
  keepDisambig: boolean;
  langLabel: boolean;
  math: "keep" | "drop";
}
