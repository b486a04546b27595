/**
 * Runs one SQL query in DuckDB (the independent Parquet reader of the sink's tests) and
 * prints its rows as JSON. A subprocess, because DuckDB is a native addon that needs
 * `--allow-ffi`, which the test runner is not given:
 * `deno run --allow-read --allow-env --allow-ffi tests/sink/_duckdb.ts "<sql>"`.
 * @module
 */

import { DuckDBInstance } from "@duckdb/node-api";

const db = await DuckDBInstance.create(":memory:");
const connection = await db.connect();
const result = await connection.runAndReadAll(Deno.args[0]);
const rows = result.getRowObjectsJson();
console.log(JSON.stringify(rows));
