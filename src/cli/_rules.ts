/**
 * `wikizh rules DUMP RULES.json`: collects the dump's conversion groups and tables into a
 * rules file for `--rules`.
 *
 * @module
 */

import { pages } from "../pipeline.ts";
import { RunStats } from "../stats.ts";
import { collectRules, serializeRulesFile } from "../zhconv/mod.ts";
import { revokeFilePermissions } from "./_convert.ts";
import { Finisher } from "./_finisher.ts";
import { openInput } from "./_input.ts";
import { openOutputs } from "./_output.ts";
import { countBytes } from "./_progress.ts";
import { describe, say } from "./_report.ts";

const enc = new TextEncoder();

export async function runRules(
  c: { input: string; output: string; quiet: boolean; force: boolean },
): Promise<number> {
  const stats = new RunStats();
  stats.startedAt = Date.now();
  const input = await openInput(c.input);
  const [out] = await openOutputs([c.output], { force: c.force, input: input.ids });
  const finisher = new Finisher([out]);
  const records = pages(input.bytes.pipeThrough(countBytes(stats)), input.format);
  await Promise.all([records.ready, finisher.ready]);
  revokeFilePermissions();
  input.open();
  try {
    const rules = await collectRules(records.stream);
    if (records.failure() !== null) throw records.failure();
    const w = out.writable.getWriter();
    await w.write(enc.encode(serializeRulesFile(rules)));
    await w.close();
    await finisher.commit([out]);
    if (!c.quiet) {
      const groups = Object.keys(rules.groups).length;
      say(`wikizh: ${groups} conversion groups written to ${c.output}`);
    }
    return 0;
  } catch (err) {
    await out.writable.abort().catch(() => {});
    await finisher.discard([out]);
    const [line, code] = describe(err, { inputName: input.name, format: input.format });
    say(`wikizh: ${line}`);
    return code;
  } finally {
    finisher.close();
  }
}
