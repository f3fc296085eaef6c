#!/usr/bin/env node
// A drop-in for Prisma's native `schema-engine` binary, backed by the WebAssembly
// build of the same engine (@prisma/schema-engine-wasm) and the pg driver adapter.
//
// Why: the Prisma CLI downloads its native schema engine from Prisma's binary
// server, which is unreachable on our build machines. The CLI lets
// PRISMA_SCHEMA_ENGINE_BINARY name any executable that speaks the engine's stdio
// protocol (newline-delimited JSON-RPC 2.0), so this file speaks it and forwards
// each call to the wasm engine. prisma.config.ts points the CLI here, so the stock
// `prisma migrate dev|deploy|status|reset|diff` and `prisma db push` work offline.
//
// Protocol (what the CLI sends us):
//   --datamodels <path> (repeated), --datasource '{"url":..,"shadowDatabaseUrl":..}'
//   --version                          -> print a version line and exit
//   cli can-connect-to-database        -> one-shot, exit 0 / 1 with a JSON log line
//   cli create-database                -> one-shot
//   otherwise: JSON-RPC requests on stdin, responses on stdout, logs as JSON on stderr.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import readline from "node:readline";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

const require = createRequire(import.meta.url);

// A panic inside the engine otherwise surfaces as an unrelated TypeError.
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message() {} };

// The engine's schema describer does not know PostgreSQL's internal `"char"` type
// (OID 18, used by pg_catalog columns such as relkind). Present it as text (25).
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const originalAddFields = pg.Result.prototype.addFields;
pg.Result.prototype.addFields = function addFields(fields) {
  for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  return originalAddFields.call(this, fields);
};

function log(level, message, extra = {}) {
  process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target: "schema_engine::logger" }) + "\n");
}

function parseArgs(argv) {
  const out = { datamodels: [], datasource: null, version: false, cli: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--datamodels") out.datamodels.push(argv[++i]);
    else if (arg === "--datasource") out.datasource = JSON.parse(argv[++i]);
    else if (arg === "--version" || arg === "-V") out.version = true;
    else if (arg === "cli") out.cli = argv[++i];
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") i++;
  }
  return out;
}

let wasmReady;
function loadWasm() {
  wasmReady ??= (async () => {
    const wasmPath = require.resolve("@prisma/schema-engine-wasm").replace(/schema_engine\.js$/, "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": wasmBindings });
    wasmBindings.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return wasmBindings;
  })();
  return wasmReady;
}

function databaseNameOf(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

async function onMaintenanceDb(url, fn) {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// The adapter factory the wasm engine drives. PrismaPg's own connectToShadowDb
// connects to the main database when given a connection string, so we create and
// drop the shadow database ourselves (or reuse a configured shadowDatabaseUrl).
function adapterFactoryFor(datasource) {
  const pools = [];
  const factory = new PrismaPg({ connectionString: datasource.url });
  const tracked = {
    adapterName: factory.adapterName,
    provider: factory.provider,
    async connect() {
      const adapter = await factory.connect();
      pools.push(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      let shadowUrl = datasource.shadowDatabaseUrl;
      let temporary = null;
      if (!shadowUrl) {
        temporary = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
        await onMaintenanceDb(datasource.url, (c) => c.query(`CREATE DATABASE "${temporary}"`));
        shadowUrl = withDatabase(datasource.url, temporary);
      }
      const adapter = await new PrismaPg({ connectionString: shadowUrl }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        if (temporary) await onMaintenanceDb(datasource.url, (c) => c.query(`DROP DATABASE IF EXISTS "${temporary}" WITH (FORCE)`));
      };
      return adapter;
    },
  };
  return {
    bound: bindMigrationAwareSqlAdapterFactory(tracked),
    // Close every pool the engine opened: a pool left open stalls the next call.
    async close() {
      await Promise.allSettled(pools.splice(0).map((a) => a.dispose()));
    },
  };
}

function readDatamodels(paths) {
  if (paths.length === 0) return undefined; // the engine wants undefined, not []
  return paths.map((p) => [p, readFileSync(p, "utf8")]);
}

function errorPayload(err) {
  // The CLI shows `message` and, for known errors, `error_code` (P3006 and friends).
  const message = typeof err === "string" ? err : (err?.message ?? String(err));
  const data = { is_panic: false, message, meta: err?.meta ?? null, error_code: err?.code ?? err?.error_code ?? undefined };
  return { code: 4466, message: "An error happened. Check the data field for details.", data };
}

function timestamp() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const wasm = await loadWasm();
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${wasm.version()}\n`);
    return;
  }
  if (args.cli) {
    await runOneShot(args.cli, args.datasource);
    return;
  }
  await serve(wasm, args);
}

async function runOneShot(command, datasource) {
  // The CLI skips the first stderr line of a one-shot command (the native engine
  // prints a start-up line there) before it looks for the error.
  log("INFO", `Starting schema engine CLI command ${command}`);
  try {
    if (command === "can-connect-to-database") {
      const client = new pg.Client({ connectionString: datasource.url });
      await client.connect();
      await client.end();
    } else if (command === "create-database") {
      const name = databaseNameOf(datasource.url);
      await onMaintenanceDb(datasource.url, async (c) => {
        const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (exists.rowCount === 0) await c.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      });
      process.stdout.write(JSON.stringify({ database_name: name }) + "\n");
    } else if (command === "drop-database") {
      const name = databaseNameOf(datasource.url);
      await onMaintenanceDb(datasource.url, (c) => c.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`));
    } else {
      throw new Error(`unknown cli command ${command}`);
    }
  } catch (err) {
    // P1003: database does not exist; P1001: cannot reach the server.
    const code = err?.code === "3D000" ? "P1003" : "P1001";
    log("ERROR", err?.message ?? String(err), { error_code: code });
    process.exitCode = 1;
  }
}

async function serve(wasm, args) {
  const datamodels = readDatamodels(args.datamodels);
  const send = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
  let nextOutgoingId = 1_000_000;
  const pendingOutgoing = new Map();

  // Requests from the engine to the CLI (only `print`, for `prisma migrate diff`).
  function printToCli(content) {
    const id = nextOutgoingId++;
    return new Promise((resolve) => {
      pendingOutgoing.set(id, resolve);
      send({ jsonrpc: "2.0", method: "print", params: { content }, id });
    });
  }

  async function withEngine(fn) {
    const factory = adapterFactoryFor(args.datasource ?? { url: process.env.DATABASE_URL });
    const engine = await wasm.SchemaEngine.new({ datamodels }, (line) => process.stderr.write(String(line) + "\n"), factory.bound);
    try {
      return await fn(engine);
    } finally {
      engine.free();
      await factory.close();
    }
  }

  // The wasm engine's own createMigration and evaluateDataLoss need a
  // shadow-database factory they cannot get here; a diff from the migrations
  // folder to the schema produces the same SQL and does use our shadow database.
  const diffMigrationsToSchema = (engine, input) =>
    engine.diff({
      from: input.migrationsList.migrationDirectories.length === 0 ? { tag: "empty" } : { tag: "migrations", ...input.migrationsList },
      to: { tag: "schemaDatamodel", files: input.schema.files },
      script: true,
      exitCode: true,
      filters: input.filters,
    });

  const handlers = {
    async evaluateDataLoss(engine, input) {
      // Data-loss warnings are not available from the diff: review generated SQL.
      const diff = await diffMigrationsToSchema(engine, input);
      return { migrationSteps: diff.exitCode === 0 ? 0 : 1, unexecutableSteps: [], warnings: [] };
    },
    async createMigration(engine, input) {
      const diff = await diffMigrationsToSchema(engine, input);
      const empty = diff.exitCode === 0;
      const name = `${timestamp()}_${input.migrationName || "migration"}`;
      return {
        connectorType: "postgresql",
        generatedMigrationName: name,
        migrationScript: empty && !input.draft ? null : (diff.stdout ?? ""),
        extension: "sql",
      };
    },
    async diff(engine, input) {
      const result = await engine.diff(input);
      if (result.stdout != null) await printToCli(result.stdout.replace(/\n$/, ""));
      return { exitCode: result.exitCode };
    },
    async getDatabaseVersion(engine) {
      return engine.version();
    },
    async createDatabase(_engine, input) {
      const url = input?.datasource?.url ?? args.datasource.url;
      await runOneShot("create-database", { url });
      return { databaseName: databaseNameOf(url) };
    },
  };

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve();
  rl.on("line", (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (msg.id != null && !msg.method) {
      pendingOutgoing.get(msg.id)?.(msg.result);
      pendingOutgoing.delete(msg.id);
      return;
    }
    // The engine answers requests one at a time, in order, as the native one does.
    queue = queue.then(async () => {
      try {
        const params = msg.params ?? {};
        const result = await withEngine((engine) => (handlers[msg.method] ? handlers[msg.method](engine, params) : callEngine(engine, msg.method, params)));
        send({ jsonrpc: "2.0", id: msg.id, result: result ?? {} });
      } catch (err) {
        log("ERROR", err?.message ?? String(err));
        send({ jsonrpc: "2.0", id: msg.id, error: errorPayload(err) });
      }
    });
  });
  rl.on("close", () => queue.then(() => process.exit(0)));
}

function callEngine(engine, method, params) {
  if (typeof engine[method] !== "function") throw new Error(`schema engine method ${method} is not supported by the wasm engine`);
  return engine[method](params);
}

main().catch((err) => {
  log("ERROR", err?.stack ?? String(err));
  process.exit(1);
});
