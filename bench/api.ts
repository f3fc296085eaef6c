// `npm run bench:api`: the API under concurrent load on loopback, beside the
// plain SQL that returns the same data, in one command. Self-contained: its own
// database with a large installation (150 models × 33 Regions of current
// certifications, 500,000 history rows), the production build served by
// the production web server (`npm start`), an API token, and a load loop.
//   BENCH_CONCURRENCY=8 BENCH_REQUESTS=400 [BENCH_SKIP_BUILD=1] npm run bench:api
import { createLargeInstallation, startServer, type Server } from "./support/large-installation";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PORT = Number(process.env.BENCH_PORT ?? 3150);

process.env.APP_URL = `http://127.0.0.1:${PORT}`;
const installation = await createLargeInstallation("benchapi", CONCURRENCY);
const { sql, counts } = installation;
const { upsertUser } = await import("@/lib/auth/users");
const { cliActor } = await import("@/lib/audit");
const { auth } = await import("@/lib/auth/auth");
let server: Server | null = null;

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
  const admin = await upsertUser(cliActor("bench"), { email: "bench@example.com", password: "bench-password-123", role: "admin" });
  const token = (await auth.api.createApiKey({ body: { userId: admin.id, name: "bench" } })).key;
  const cell = (await sql.query(`SELECT m.bedrock_model_id, c.region, c.model_id FROM model_certifications c JOIN ai_models m ON m.id = c.model_id LIMIT 1`)).rows[0];

  server = await startServer(PORT);
  const BASE = server.base;

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
    await sql.query(
      `UPDATE model_certifications SET score = round((random() * 100)::numeric, 1), updated_at = now() WHERE id = (SELECT id FROM model_certifications OFFSET floor(random() * 4000) LIMIT 1)`,
    );
    await api("/api/v1/matrix")();
  });
  const list = await load("GET /api/v1/certifications (filtered)", api("/api/v1/certifications?region=us-east-1,eu-west-1&status=FAILED&limit=100"));
  const listSql = await load("  SQL baseline (same data)", () =>
    sql.query(
      `SELECT c.*, m.bedrock_model_id, m.name, m.provider FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
                WHERE c.region = ANY($1) AND c.status = 'FAILED' ORDER BY c.updated_at DESC, c.id DESC LIMIT 101`,
      [["us-east-1", "eu-west-1"]],
    ),
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
      cells: counts.cells,
      historyRows: counts.runs,
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
  server?.stop();
  await installation.close();
}
