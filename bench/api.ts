// `npm run bench:api`: the API under concurrent load on loopback, beside the
// plain SQL that returns the same data, in one command. Self-contained: its own
// database with a large installation (150 models × 33 Regions of current
// certifications, 500,000 history rows), the production build served by
// `next start`, an API token, and a load loop.
//   BENCH_CONCURRENCY=8 BENCH_REQUESTS=400 [BENCH_SKIP_BUILD=1] npm run bench:api
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createMigratedDatabase, dropDatabase } from "../tests/setup/test-database";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PORT = Number(process.env.BENCH_PORT ?? 3150);
const BASE = `http://127.0.0.1:${PORT}`;

const database = await createMigratedDatabase("benchapi");
process.env.DATABASE_URL = database.url;
process.env.APP_URL = BASE;
const { prisma } = await import("@/lib/db/client");
const { seedCatalog } = await import("@/lib/catalog/seed");
const { parseModelsCsv, parseRegionsCsv } = await import("@/lib/catalog/aws-tables");
const { upsertUser } = await import("@/lib/auth/users");
const { auth } = await import("@/lib/auth/auth");
const sql = new pg.Pool({ connectionString: database.url, max: CONCURRENCY });
let server: ReturnType<typeof spawn> | null = null;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(name: string, once: () => Promise<unknown>) {
  for (let i = 0; i < CONCURRENCY * 2; i++) await once(); // warm up
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const t = performance.now();
        await once();
        times.push(performance.now() - t);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const r = { p50: Math.round(percentile(times, 50) * 10) / 10, p95: Math.round(percentile(times, 95) * 10) / 10 };
  console.log(`  ${name.padEnd(34)} p50 ${String(r.p50).padStart(6)} ms   p95 ${String(r.p95).padStart(6)} ms`);
  return r;
}

try {
  console.log("Seeding a large installation …");
  const models = parseModelsCsv();
  for (let i = models.length; i < 150; i++) models.push({ ...models[0]!, name: `Bench model ${i}`, bedrockModelId: `bench.model-${i}` });
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
  const counts = (await sql.query(`SELECT (SELECT count(*) FROM ai_models) AS models, (SELECT count(*) FROM model_certifications) AS cells, (SELECT count(*) FROM certification_runs) AS runs`)).rows[0];
  console.log(`  ${counts.models} models, ${counts.cells} current certifications, ${counts.runs} history rows`);

  const admin = await upsertUser({ email: "bench@example.com", password: "bench-password-123", role: "admin" });
  const token = (await auth.api.createApiKey({ body: { userId: admin.id, name: "bench" } })).key;
  const cell = (await sql.query(`SELECT m.bedrock_model_id, c.region, c.model_id FROM model_certifications c JOIN ai_models m ON m.id = c.model_id LIMIT 1`)).rows[0];

  if (process.env.BENCH_SKIP_BUILD !== "1" || !existsSync(".next/BUILD_ID")) {
    console.log("Building the app …");
    if (spawnSync("npx", ["next", "build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }).status !== 0) throw new Error("next build failed");
  }
  server = spawn("npx", ["next", "start", "--port", String(PORT), "--hostname", "127.0.0.1"], {
    env: { ...process.env, NODE_ENV: "production", AUTH_SECRET: randomBytes(32).toString("hex"), QUEUE_PREFIX: `{bench-api-${process.pid}}`, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  for (let i = 0; i < 120 && !(await fetch(`${BASE}/api/health`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 500));

  const api = (path: string) => async () => {
    const res = await fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  };
  console.log(`Load: ${REQUESTS} requests per endpoint, ${CONCURRENCY} at a time, on loopback`);
  const matrix = await load("GET /api/v1/matrix", api("/api/v1/matrix"));
  const matrixSql = await load("  SQL baseline (same data)", () =>
    Promise.all([
      sql.query(`SELECT model_id, region, status, passed, score, rating, error_category, completed_at FROM model_certifications ORDER BY model_id, region`),
      sql.query(`SELECT id, bedrock_model_id, name, provider FROM ai_models ORDER BY provider, name`),
    ]),
  );
  // The same while a job is writing: one cell changes before every request, so
  // no request is served from the cached payload.
  const changing = await load("GET /api/v1/matrix, a cell changing", async () => {
    await sql.query(`UPDATE model_certifications SET score = round((random() * 100)::numeric, 1), updated_at = now() WHERE id = (SELECT id FROM model_certifications OFFSET floor(random() * 4000) LIMIT 1)`);
    await api("/api/v1/matrix")();
  });
  const list = await load("GET /api/v1/certifications (filtered)", api("/api/v1/certifications?region=us-east-1,eu-west-1&status=FAILED&limit=100"));
  const listSql = await load("  SQL baseline (same data)", () =>
    sql.query(`SELECT c.*, m.bedrock_model_id, m.name, m.provider FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
                WHERE c.region = ANY($1) AND c.status = 'FAILED' ORDER BY c.updated_at DESC, c.id DESC LIMIT 101`, [["us-east-1", "eu-west-1"]]),
  );
  const history = await load("GET one cell with its history", api(`/api/v1/certifications/${cell.bedrock_model_id}/${cell.region}`));
  const historySql = await load("  SQL baseline (same data)", () =>
    Promise.all([
      sql.query(`SELECT * FROM model_certifications WHERE model_id = $1 AND region = $2`, [cell.model_id, cell.region]),
      sql.query(`SELECT * FROM certification_runs WHERE model_id = $1 AND region = $2 ORDER BY created_at DESC LIMIT 50`, [cell.model_id, cell.region]),
    ]),
  );
  console.log(
    JSON.stringify({
      cells: Number(counts.cells),
      historyRows: Number(counts.runs),
      concurrency: CONCURRENCY,
      matrixP50Ms: matrix.p50,
      matrixP95Ms: matrix.p95,
      matrixBaselineP95Ms: matrixSql.p95,
      matrixRatio: Math.round((matrix.p95 / matrixSql.p95) * 100) / 100,
      matrixChangingP95Ms: changing.p95,
      matrixChangingRatio: Math.round((changing.p95 / matrixSql.p95) * 100) / 100,
      certificationsP50Ms: list.p50,
      certificationsP95Ms: list.p95,
      certificationsRatio: Math.round((list.p95 / listSql.p95) * 100) / 100,
      cellHistoryP50Ms: history.p50,
      cellHistoryP95Ms: history.p95,
      cellHistoryRatio: Math.round((history.p95 / historySql.p95) * 100) / 100,
    }),
  );
} finally {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await sql.end();
  await prisma.$disconnect();
  await dropDatabase(database.name);
}
