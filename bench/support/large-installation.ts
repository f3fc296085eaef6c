// What bench:api and bench:ui share: a large installation (150 models × 33
// Regions of current certifications, 500,000 history rows) in a database of
// its own, and the production build served by the web server (server/main.ts) on it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createMigratedDatabase, dropDatabase } from "../../tests/setup/test-database";

export type LargeInstallation = {
  databaseUrl: string;
  sql: pg.Pool;
  counts: { models: number; cells: number; runs: number };
  close(): Promise<void>;
};

export async function createLargeInstallation(name: string, poolSize = 8, modelCount = 150): Promise<LargeInstallation> {
  const database = await createMigratedDatabase(name);
  process.env.DATABASE_URL = database.url;
  // A client of its own: the process-wide one may already serve another installation.
  const { createPrismaClient } = await import("@/lib/db/client");
  const prisma = createPrismaClient(database.url, 4);
  const { seedCatalog } = await import("@/lib/catalog/seed");
  const { parseModelsCsv, parseRegionsCsv } = await import("@/lib/catalog/aws-tables");
  const sql = new pg.Pool({ connectionString: database.url, max: poolSize });
  console.log("Seeding a large installation …");
  const models = parseModelsCsv();
  for (let i = models.length; i < modelCount; i++) models.push({ ...models[0]!, name: `Bench model ${i}`, bedrockModelId: `bench.model-${i}` });
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models });
  await sql.query(`
    INSERT INTO model_certifications (id, model_id, region, status, passed, score, rating, error_category, completed_at, created_at, updated_at, test_results)
    SELECT gen_random_uuid()::text, m.id, r.code,
           CASE WHEN random() < 0.8 THEN 'COMPLETED' ELSE 'FAILED' END::"CertificationStatus", random() < 0.8, round((random() * 100)::numeric, 1),
           'GOOD'::"CertificationRating", NULL, now() - (random() * interval '30 days'), now(), now(), '{"version":1,"tests":[]}'::jsonb
      FROM ai_models m CROSS JOIN regions r`);
  await sql.query(`
    INSERT INTO certification_runs (id, model_id, region, status, passed, score, created_at)
    SELECT gen_random_uuid()::text, c.model_id, c.region, c.status, c.passed, c.score, now() - (g * interval '1 minute')
      FROM (SELECT model_id, region, status, passed, score, row_number() OVER () AS n FROM model_certifications) c
      JOIN generate_series(1, 102) g ON true
     LIMIT 500000`);
  await sql.query("ANALYZE");
  const row = (await sql.query(`SELECT (SELECT count(*) FROM ai_models) AS models, (SELECT count(*) FROM model_certifications) AS cells, (SELECT count(*) FROM certification_runs) AS runs`)).rows[0];
  const counts = { models: Number(row.models), cells: Number(row.cells), runs: Number(row.runs) };
  console.log(`  ${counts.models} models, ${counts.cells} current certifications, ${counts.runs} history rows`);
  return {
    databaseUrl: database.url,
    sql,
    counts,
    async close() {
      await sql.end();
      await prisma.$disconnect();
      await dropDatabase(database.name);
    },
  };
}

// A finished whole-catalog job: every cell as a pair (about a third of them not
// tried because of their availability), failures with a category.
export async function createFinishedJob(sql: pg.Pool): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(`
    WITH job AS (
      INSERT INTO certification_jobs (id, type, regions, model_ids, status, total_models, processed_models, success_count, failure_count, not_offered_count, config, created_at, updated_at, completed_at, started_at, duration)
      SELECT gen_random_uuid()::text, 'ALL_MODELS', (SELECT array_agg(code ORDER BY code) FROM regions), (SELECT array_agg(id) FROM ai_models), 'COMPLETED',
             count(*), count(*), 0, 0, 0, '{}'::jsonb, now(), now(), now(), now() - interval '40 seconds', 40000
        FROM model_certifications
      RETURNING id
    ), cells AS (
      SELECT c.*, gen_random_uuid()::text AS run_id, (abs(hashtext(c.id)) % 3 = 0) AS not_offered FROM model_certifications c
    ), runs AS (
      INSERT INTO certification_runs (id, model_id, region, job_id, status, passed, score, error_category, error_message, availability, created_at)
      SELECT run_id, model_id, region, job.id, CASE WHEN not_offered THEN 'COMPLETED' ELSE status END, CASE WHEN not_offered THEN NULL ELSE passed END, score,
             CASE WHEN not_offered THEN 'NOT_OFFERED_IN_REGION' WHEN NOT passed THEN (ARRAY['WRONG_ANSWER', 'ACCESS_DENIED', 'MODEL_TIMEOUT'])[1 + abs(hashtext(model_id)) % 3] END::"ErrorCategory",
             CASE WHEN NOT passed THEN 'Failed: exact_instruction.' END, CASE WHEN not_offered THEN 'NOT_OFFERED' ELSE 'IN_REGION' END::"PairAvailability", now()
        FROM cells, job
    )
    INSERT INTO certification_job_pairs (id, job_id, model_id, region, status, passed, availability, run_id, completed_at, created_at, updated_at)
    SELECT gen_random_uuid()::text, job.id, model_id, region, CASE WHEN not_offered THEN 'COMPLETED' ELSE status END, CASE WHEN not_offered THEN NULL ELSE passed END,
           CASE WHEN not_offered THEN 'NOT_OFFERED' ELSE 'IN_REGION' END::"PairAvailability", run_id, now(), now(), now()
      FROM cells, job
    RETURNING job_id AS id`);
  const id = rows[0]!.id;
  // The counters as the pairs say.
  await sql.query(
    `UPDATE certification_jobs j SET success_count = s.passed, failure_count = s.failed, not_offered_count = s.not_offered
       FROM (SELECT count(*) FILTER (WHERE passed) AS passed, count(*) FILTER (WHERE NOT passed) AS failed, count(*) FILTER (WHERE passed IS NULL) AS not_offered
               FROM certification_job_pairs WHERE job_id = $1) s WHERE j.id = $1`,
    [id],
  );
  return id;
}

export type Server = { base: string; stop(): void };

// The production build (built first unless BENCH_SKIP_BUILD=1 and a build exists).
export async function startServer(port: number): Promise<Server> {
  const base = `http://127.0.0.1:${port}`;
  if (process.env.BENCH_SKIP_BUILD !== "1" || !existsSync(".next/BUILD_ID")) {
    console.log("Building the app …");
    if (spawnSync("npx", ["next", "build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }).status !== 0) throw new Error("next build failed");
  }
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": node flags for the web server (to profile it).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server: ChildProcess = spawn("npx", ["tsx", ...nodeArgs, "server/main.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      WEB_HOST: "127.0.0.1",
      APP_URL: base,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      QUEUE_PREFIX: `{bench-${process.pid}}`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: "ignore",
    detached: true,
  });
  for (
    let i = 0;
    i < 120 &&
    !(await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 500));
  return {
    base,
    stop: () => {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    },
  };
}
