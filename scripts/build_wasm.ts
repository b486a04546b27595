/**
 * Rebuilds the generated WebAssembly modules from their `.wat` sources.
 *
 *   deno task build:wasm
 *
 * @module
 */

import { assemble, KERNELS, render } from "./_wasm.ts";

const root = new URL("../", import.meta.url).pathname;
for (const k of KERNELS) {
  const bytes = await assemble(k.wat, await Deno.readTextFile(root + k.wat));
  await Deno.writeTextFile(root + k.ts, render(k.wat, bytes));
  console.log(`${k.ts}: ${bytes.length} bytes of WebAssembly`);
}
