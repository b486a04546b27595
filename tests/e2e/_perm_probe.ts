/**
 * Runs wikizh in-process, then reports what the process may still do. Started by
 * cli_test.ts with the wikizh task's permission flags.
 */
import { main } from "../../src/main.ts";

const code = await main(Deno.args);
const state = async (d: Deno.PermissionDescriptor) => (await Deno.permissions.query(d)).state;
let readPasswd = "read";
try {
  Deno.readTextFileSync("/etc/passwd");
} catch (err) {
  readPasswd = (err as Error).name;
}
let writeTmp = "written";
try {
  Deno.writeTextFileSync(`${Deno.args[Deno.args.length - 1]}.escape`, "x");
} catch (err) {
  writeTmp = (err as Error).name;
}
console.log(JSON.stringify({
  code,
  read: await state({ name: "read" }),
  write: await state({ name: "write" }),
  net: await state({ name: "net" }),
  env: await state({ name: "env" }),
  run: await state({ name: "run" }),
  ffi: await state({ name: "ffi" }),
  readPasswd,
  writeTmp,
}));
