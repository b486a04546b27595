/**
 * Links to a not-yet-written local article with a foreign fallback: `{{le}}`, `{{ilh}}`,
 * `{{link-en}}`/`{{link-ja}}`…, `{{tsl}}`/`{{Translink}}`, `{{ill}}`. They show the
 * display text, else the local title.
 *
 * @module
 */

import { first, type Handler } from "./call.ts";

/** `{{le|本地|Foreign|显示}}` (also `d=`), same shape for ilh and link-xx. */
const localForeignDisplay: Handler = (t, r) => {
  first(r, t.named("d"), t.arg(3), t.arg(1), t.named("1"));
};

/** `{{tsl|en|Foreign|本地|显示}}`. */
const tsl: Handler = (t, r) => {
  first(r, t.named("d"), t.arg(4), t.arg(3), t.arg(2));
};

/** `{{ill|本地|en|Foreign|lt=显示}}` (English Wikipedia's shape, also used on zhwiki). */
const ill: Handler = (t, r) => {
  first(r, t.named("lt"), t.arg(1));
};

export const templates: Record<string, Handler> = {
  le: localForeignDisplay,
  ilh: localForeignDisplay,
  "internal link helper": localForeignDisplay,
  "link-interwiki": localForeignDisplay,
  tsl,
  translink: tsl,
  "translink-link": tsl,
  ill,
  "interlanguage link": ill,
  "interlanguage link multi": ill,
};

/** `{{link-xx|…}}` for any language code xx. */
export function match(key: string): Handler | undefined {
  if (key.startsWith("link-") && key.length > 5 && key.length < 16) return localForeignDisplay;
  if (key.startsWith("internal link helper/")) return localForeignDisplay;
  return undefined;
}
