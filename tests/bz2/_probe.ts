/**
 * Subprocess for lifecycle tests: builds the stream (spawning its workers), waits for
 * them to load and revokes read permission as the CLI does, then decodes `Deno.args[0]` (read
 * beforehand) and prints the output length and CRC. With "flip", one bit of
 * block data is flipped first, so decoding fails. The process must then exit
 * by itself: no worker may keep it alive.
 */
import { Bzip2DecompressionStream } from "../../src/bz2/mod.ts";
import { crc32 } from "../../src/bz2/_crc.ts";
import { concat } from "../_assert.ts";

const input = Deno.readFileSync(Deno.args[0]);
if (Deno.args[1] === "flip") input[input.length >> 1] ^= 0x10;
const stream = new Bzip2DecompressionStream({ threads: 2 });
// As the CLI does: a worker still loading its modules when read permission goes cannot
// load them (this raced, and failed on a fresh clone's cold module cache).
await stream.ready;
await Deno.permissions.revoke({ name: "read" });
const parts: Uint8Array[] = [];
try {
  const source = new Blob([input]).stream();
  for await (const c of source.pipeThrough(stream)) parts.push(c);
  const out = concat(parts);
  console.log(`ok ${out.length} ${crc32(out)}`);
} catch (e) {
  console.log(`error ${(e as Error).message}`);
}
