/**
 * The narrow view of the renderer that template handlers get: options, the page title,
 * the current output, and rendering of parameter nodes. Handlers never see the Renderer.
 *
 * @module
 */

import type { Node } from "../_nodes.ts";
import type { ResolvedOptions } from "../_options.ts";
import type { Out } from "../_output.ts";

/** What a template handler may read and do while it renders one template use. */
export interface TemplateContext {
  readonly opts: ResolvedOptions;
  /** The page title, as the dump names it (`{{PAGENAME}}`). */
  readonly title: string;
  /** Where the handler writes. */
  readonly out: Out;
  /** Renders nodes into {@link out}. */
  nodes(list: Node[]): void;
  /** Renders nodes to a plain string (conversion blocks re-serialised as `-{…}-`). */
  flat(list: Node[]): string;
  /** Counts a use of a template the cleaner does not know. */
  reportUnknown(name: string): void;
  /** Marks the page as a disambiguation page. */
  markDisambig(): void;
  /** Whether the template being rendered shares its line with other text. */
  isInline(): boolean;
}
