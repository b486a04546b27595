/**
 * Namespace names from the dump's `<siteinfo>`, used only for pages that lack `<ns>`
 * (old export formats). Pages with `<ns>` are never classified by title.
 */
export class NamespaceTable {
  #byName = new Map<string, number>();

  constructor() {
    // Canonical English names are valid prefixes on every wiki, even when siteinfo is localised.
    const canonical: [number, string][] = [
      [-2, "Media"],
      [-1, "Special"],
      [1, "Talk"],
      [2, "User"],
      [3, "User talk"],
      [4, "Project"],
      [5, "Project talk"],
      [6, "File"],
      [6, "Image"],
      [7, "File talk"],
      [8, "MediaWiki"],
      [9, "MediaWiki talk"],
      [10, "Template"],
      [11, "Template talk"],
      [12, "Help"],
      [13, "Help talk"],
      [14, "Category"],
      [15, "Category talk"],
      [828, "Module"],
      [829, "Module talk"],
    ];
    for (const [key, name] of canonical) this.add(key, name);
  }

  add(key: number, name: string): void {
    const n = normalise(name);
    if (n.length > 0 && Number.isFinite(key)) this.#byName.set(n, key);
  }

  /** The namespace a title's prefix names, or 0 when it names none (`Re:从零开始` stays 0). */
  fromTitle(title: string): number {
    const colon = title.indexOf(":");
    if (colon <= 0) return 0;
    return this.#byName.get(normalise(title.slice(0, colon))) ?? 0;
  }
}

function normalise(name: string): string {
  return name.replaceAll("_", " ").trim().toLowerCase();
}
