import { compressionFor, isParquetPath, parseSize, shardName } from "../../src/sink/mod.ts";
import { UsageError } from "../../src/errors.ts";
import { assert, assertEquals } from "../_assert.ts";
import { fixtureText } from "./_fixtures.ts";

const cases = JSON.parse(fixtureText("names.json"));

Deno.test("parseSize reads KB, MB, GB (powers of 1000), MiB (1024) and plain bytes", () => {
  for (const [text, bytes] of cases.sizes) assertEquals(parseSize(text), bytes, text);
  for (const text of cases.badSizes) {
    let error: unknown = null;
    try {
      parseSize(text);
    } catch (err) {
      error = err;
    }
    assert(error instanceof UsageError && !error.message.includes("\n"), `rejects "${text}"`);
  }
});

Deno.test("shardName inserts -00000 before the first dot of the file name", () => {
  for (const [path, n, name] of cases.shardNames) assertEquals(shardName(path, n), name, path);
});

Deno.test("compressionFor and isParquetPath read OUT's extension", () => {
  for (const [path, kind] of cases.compression) assertEquals(compressionFor(path), kind, path);
  assert(isParquetPath("out.parquet") && isParquetPath("A.PARQUET") && !isParquetPath("out.jsonl"));
});
