/**
 * The wikizh command's entry point (`deno run src/main.ts`, `deno compile`): everything
 * it does is in `cli/`.
 *
 * @module
 */

import { main } from "./cli/mod.ts";

export { main };

if (import.meta.main) Deno.exit(await main(Deno.args));
