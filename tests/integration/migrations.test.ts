// The committed migration history, applied to databases of its own: the upgrade
// from the Region-less release keeps every legacy row, the down script restores
// the pre-upgrade schema with the rows intact, and the stock Prisma CLI (through
// our wasm schema engine) deploys, reports status and diffs.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { cellSpeeds } from "@/lib/certification/cell-speeds";
import { createPrismaClient } from "@/lib/db/client";
import { compareSchema, inspectSchema, type SchemaSnapshot } from "@/lib/db/verify-schema";
import { LEGACY_CERTIFICATIONS } from "@/prisma/fixtures/legacy-certifications";
import { createDatabase, createMigratedDatabase, databaseUrl, dropDatabase, prismaCli, uniqueDatabaseName } from "../setup/test-database";

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
const migrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const initial = migrations.find((m) => m.endsWith("_initial_catalog"))!;
const upgrade = migrations.find((m) => m.endsWith("_add_regional_certification"))!;
const sql = (migration: string, file = "migration.sql") => readFileSync(path.join(MIGRATIONS_DIR, migration, file), "utf8");

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(name);
});

async function freshDatabase(purpose: string) {
  const name = uniqueDatabaseName(purpose);
  created.push(name);
  const url = await createDatabase(name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { url, client };
}

async function insertLegacyRows(client: pg.Client) {
  for (const r of LEGACY_CERTIFICATIONS) {
    await client.query(
      `INSERT INTO model_certifications (model_id, status, passed, score, rating, test_results, error_message, certified_at, created_at, updated_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
      [r.modelId, r.status, r.passed, r.score, r.rating, r.testResults, r.errorMessage, r.certifiedAt, r.createdAt, r.createdBy],
    );
  }
}

// A schema snapshot as plain data, without Prisma's own history table.
function comparable(snapshot: SchemaSnapshot) {
  const own = (table: string) => table !== "_prisma_migrations";
  return {
    enums: Object.fromEntries(snapshot.enums),
    columns: Object.fromEntries([...snapshot.columns].filter(([t]) => own(t)).map(([t, c]) => [t, Object.fromEntries(c)])),
    indexes: snapshot.indexes.filter((i) => own(i.table)),
    foreignKeys: snapshot.foreignKeys,
  };
}

const allRows = async (client: pg.Client, table: string) => (await client.query(`SELECT * FROM ${table} ORDER BY id`)).rows;

describe("migration history", () => {
  it("starts with the Region-less release, then the regional upgrade", () => {
    expect(migrations.slice(0, 2)).toEqual([initial, upgrade]);
    expect(sql(initial)).toContain('CREATE TABLE "model_certifications"');
    expect(sql(initial)).not.toContain('"region"');
  });

  it("upgrade keeps every legacy row; rollback restores the pre-upgrade schema with the rows intact", async () => {
    const { client } = await freshDatabase("upgrade");
    try {
      await client.query(sql(initial));
      await insertLegacyRows(client);
      const before = await allRows(client, "model_certifications");
      const schemaBefore = await inspectSchema(client);
      expect(before).toHaveLength(20);

      await client.query(sql(upgrade));
      expect(await allRows(client, "model_certifications_legacy")).toEqual(before);
      // Then every later migration: the result is the full schema contract.
      for (const m of migrations.slice(2)) await client.query(sql(m));
      expect(compareSchema(await inspectSchema(client)).filter((c) => !c.ok)).toEqual([]);
      // The regional table is new and empty; new legacy ids continue the old sequence.
      expect((await client.query("SELECT count(*)::int AS n FROM model_certifications")).rows[0].n).toBe(0);
      const next = await client.query(`INSERT INTO model_certifications_legacy (model_id, status, updated_at) VALUES ('x', 'COMPLETED', now()) RETURNING id`);
      expect(next.rows[0].id).toBe(21);
      await client.query("DELETE FROM model_certifications_legacy WHERE id = 21");

      // The down script needs Prisma's history table, as a deployed database has.
      await client.query(`CREATE TABLE "_prisma_migrations" (migration_name text)`);
      for (const m of migrations) await client.query(`INSERT INTO "_prisma_migrations" VALUES ($1)`, [m]);
      for (const m of migrations.slice(1).reverse()) await client.query(sql(m, "down.sql"));

      expect(comparable(await inspectSchema(client))).toEqual(comparable(schemaBefore));
      expect(await allRows(client, "model_certifications")).toEqual(before);
      expect((await client.query(`SELECT migration_name FROM "_prisma_migrations"`)).rows).toEqual([{ migration_name: initial }]);

      // And the upgrade can be applied again after a rollback.
      await client.query(sql(upgrade));
      expect(await allRows(client, "model_certifications_legacy")).toEqual(before);
    } finally {
      await client.end();
    }
  });
});

describe("the stock Prisma CLI, offline", () => {
  it("migrate deploy creates a missing database and status reports it up to date", async () => {
    const name = uniqueDatabaseName("cli");
    created.push(name);
    const url = databaseUrl(name); // not created: deploy must create it
    const deploy = prismaCli(["migrate", "deploy"], url);
    expect(deploy).toContain("All migrations have been successfully applied");
    expect(prismaCli(["migrate", "status"], url)).toContain("Database schema is up to date");
  });

  it("every migration after the first has a down script", () => {
    for (const m of migrations.slice(1)) expect(readFileSync(path.join(MIGRATIONS_DIR, m, "down.sql"), "utf8")).toContain(m.replace(/^\d+_/, ""));
  });

  it("cell_speed_columns fills the speed columns of the cells already there from their test results", async () => {
    const { name, url } = await createMigratedDatabase("speeds");
    created.push(name);
    const before = migrations[migrations.findIndex((m) => m.endsWith("_cell_speed_columns")) - 1]!;
    execFileSync("npx", ["tsx", "scripts/db-rollback.ts", "--to", before], { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
    const db = createPrismaClient(url, 2);
    await seedCatalog(db, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv().slice(0, 2) });
    await db.$disconnect();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const [first, second] = (await client.query<{ id: string }>(`SELECT id FROM ai_models ORDER BY id LIMIT 2`)).rows;
    const results = {
      version: 1,
      tests: [{ name: "latency", outcome: "passed", metrics: { timeToFirstTokenMs: 420, tokensPerSecond: 61.5, maxLatencyMs: 900 } }],
      capabilities: { streaming: "broken", json: "broken", tool_use: "certified" },
    };
    await client.query(
      `INSERT INTO model_certifications (id, model_id, region, status, test_results, created_at, updated_at) VALUES ('with', $1, 'us-east-1', 'COMPLETED', $2::jsonb, now(), now()), ('without', $3, 'us-east-1', 'QUEUED', NULL, now(), now())`,
      [first!.id, JSON.stringify(results), second!.id],
    );
    prismaCli(["migrate", "deploy"], url);
    const rows = (await client.query(`SELECT id, time_to_first_token_ms, tokens_per_second, latency_ms, broken_capabilities FROM model_certifications ORDER BY id`)).rows;
    await client.end();
    // The same rule as a cell written after the upgrade (lib/certification/cell-speeds.ts).
    const expected = cellSpeeds(results as never);
    expect(rows).toEqual([
      {
        id: "with",
        time_to_first_token_ms: expected.timeToFirstTokenMs,
        tokens_per_second: expected.tokensPerSecond,
        latency_ms: expected.latencyMs,
        broken_capabilities: expected.brokenCapabilities,
      },
      { id: "without", time_to_first_token_ms: null, tokens_per_second: null, latency_ms: null, broken_capabilities: null },
    ]);
    expect(expected).toEqual({ timeToFirstTokenMs: 420, tokensPerSecond: 61.5, latencyMs: 900, brokenCapabilities: "json,streaming" });
  });

  it("db:rollback takes a fully migrated database back to the Region-less release; status reports pending, deploy restores", async () => {
    const { name, url } = await createMigratedDatabase("status");
    created.push(name);
    const rollback = execFileSync("npx", ["tsx", "scripts/db-rollback.ts", "--to", initial], { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
    expect(rollback).toContain(`Rolling back ${upgrade}`);
    expect(rollback).toContain(`the database is at ${initial}`);
    let status = "";
    try {
      prismaCli(["migrate", "status"], url);
    } catch (err) {
      status = String((err as { stdout?: string }).stdout);
    }
    expect(status).toContain("have not yet been applied");
    for (const m of migrations.slice(1)) expect(status).toContain(m);
    prismaCli(["migrate", "deploy"], url);
    expect(prismaCli(["migrate", "status"], url)).toContain("Database schema is up to date");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect(compareSchema(await inspectSchema(client)).filter((c) => !c.ok)).toEqual([]);
    await client.end();
  });

  it("the schema and the migrations agree (migrate diff is empty)", () => {
    const out = execFileSync("npx", ["prisma", "migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"], {
      encoding: "utf8",
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toContain("No difference detected");
  });
});
