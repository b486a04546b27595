/**
 * The wikizh process: reads the command line, runs `convert` or `rules`, and turns every
 * outcome into one line on stderr and an exit code. With `main.ts`, the only code that
 * touches `Deno.*`.
 *
 * @module
 */

import { type Command, HELP, parseCommand, VERSION } from "./_args.ts";
import { runConvert } from "./_convert.ts";
import { runRules } from "./_rules.ts";
import { describe, EXIT, say } from "./_report.ts";

export { type Command, HELP, type Options, parseCommand, VERSION } from "./_args.ts";
export { detectInputFormat, type InputFormat } from "./_sniff.ts";
export { countBytes, formatProgress, formatSummary } from "./_progress.ts";
export { describe, EXIT } from "./_report.ts";

const enc = new TextEncoder();

/** Runs the command line `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(args, navigator.hardwareConcurrency || 1);
  } catch (err) {
    say(`wikizh: ${describe(err, { inputName: "", format: "xml" })[0]}`);
    return EXIT.usage;
  }
  try {
    switch (command.kind) {
      case "help":
        await Deno.stdout.write(enc.encode(HELP));
        return EXIT.ok;
      case "version":
        await Deno.stdout.write(enc.encode(`wikizh ${VERSION}\n`));
        return EXIT.ok;
      case "rules":
        return await runRules(command);
      case "convert":
        return await runConvert(command.options);
    }
  } catch (err) {
    const inputName = command.kind === "convert" ? command.options.input : "";
    const [line, code] = describe(err, { inputName, format: "xml" });
    say(`wikizh: ${line}`);
    return code;
  }
}
