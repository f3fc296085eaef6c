// `npm run bench:api`: the API under concurrent load on loopback, beside the
// plain SQL that returns the same data, in one command. Self-contained: its own
// database with a large installation (150 models × 33 Regions of current
// certifications, 500,000 history rows), the production build served by
// the production web server (`npm start`), an API token, and a load loop.
// Every read endpoint beside its baseline: the same query, through the same
// service function or plain SQL, in this process. Then the matrix again on a
// larger installation (BENCH_LARGE_MODELS, 500 models × 33 Regions).
// Goals (docs/API.md): maxReadRatio (the worst endpoint's p95 over its
// baseline's) ≤ 2, matrixP95Ms < 100, matrixLargeP95Ms < 150.
//   BENCH_CONCURRENCY=8 BENCH_REQUESTS=400 BENCH_LARGE_MODELS=500 [BENCH_SKIP_BUILD=1] npm run bench:api
import { createFinishedJob, createLargeInstallation, startServer, type Server } from "./support/large-installation";
import { load as loadLoop } from "./support/load";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PORT = Number(process.env.BENCH_PORT ?? 3150);
const LARGE_MODELS = Number(process.env.BENCH_LARGE_MODELS ?? 500);

process.env.APP_URL = `http://127.0.0.1:${PORT}`;
const installation = await createLargeInstallation("benchapi", CONCURRENCY);
const { sql, counts } = installation;
const { upsertUser } = await import("@/lib/auth/users");
const { cliActor } = await import("@/lib/audit");
const { auth } = await import("@/lib/auth/auth");
const { prisma } = await import("@/lib/db/client");
const { jobPairs } = await import("@/lib/certification/job-queries");
const { modelHistoryJson } = await import("@/lib/certification/model-history");
let server: Server | null = null;

const load = (name: string, once: () => Promise<unknown>) => loadLoop(name, once, CONCURRENCY, REQUESTS);

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
  // The floor: the smallest authenticated read there is (33 Regions), for
  // what any request costs before its own data (the token, routing, HTTP).
  const floor = await load("GET /api/v1/regions (the floor)", api("/api/v1/regions"));
  const jobId = await createFinishedJob(sql);
  const pairs = await load("GET /api/v1/jobs/:id/pairs (a page)", api(`/api/v1/jobs/${jobId}/pairs?limit=50&offset=0`));
  const pairsBase = await load("  baseline (its service function)", () => jobPairs(prisma, jobId, { limit: 50, offset: 0 }));
  const modelRow = (await sql.query(`SELECT model_id FROM certification_runs GROUP BY model_id ORDER BY count(*) DESC LIMIT 1`)).rows[0];
  const modelHist = await load("GET /api/v1/models/:id/history", api(`/api/v1/models/${modelRow.model_id}/history?days=90`));
  const modelHistBase = await load("  baseline (its service function)", () => modelHistoryJson(prisma, modelRow.model_id, 90));

  const ratios = {
    matrix: matrix.p95 / matrixSql.p95,
    matrixChanging: changing.p95 / matrixSql.p95,
    certifications: list.p95 / listSql.p95,
    cellHistory: history.p95 / historySql.p95,
    jobPairs: pairs.p95 / pairsBase.p95,
    modelHistory: modelHist.p95 / modelHistBase.p95,
  };
  const r2 = (x: number) => Math.round(x * 100) / 100;

  // The matrix on a larger installation: a server of its own on it.
  server.stop();
  server = null;
  console.log(`The matrix at ${LARGE_MODELS} models × 33 Regions:`);
  const large = await createLargeInstallation("benchapilarge", CONCURRENCY, LARGE_MODELS);
  process.env.DATABASE_URL = large.databaseUrl;
  server = await startServer(PORT + 1);
  const largeBase = server.base;
  // The bench's account and token, copied row for row into this installation.
  for (const [table, column, value] of [
    ["users", "id", admin.id],
    ["api_keys", "reference_id", admin.id],
  ] as const) {
    for (const row of (await sql.query(`SELECT * FROM ${table} WHERE ${column} = $1`, [value])).rows) {
      const names = Object.keys(row);
      await large.sql.query(`INSERT INTO ${table} (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`, Object.values(row));
    }
  }
  const matrixLarge = await load(`GET /api/v1/matrix (${large.counts.cells} cells)`, async () => {
    const res = await fetch(`${largeBase}/api/v1/matrix`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`large matrix: ${res.status}`);
    await res.arrayBuffer();
  });
  await large.close();

  console.log(
    JSON.stringify({
      cells: counts.cells,
      historyRows: counts.runs,
      concurrency: CONCURRENCY,
      maxReadRatio: r2(Math.max(...Object.values(ratios))),
      readRatios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, r2(v)])),
      matrixP50Ms: matrix.p50,
      matrixP95Ms: matrix.p95,
      matrixBaselineP95Ms: matrixSql.p95,
      matrixChangingP95Ms: changing.p95,
      certificationsP95Ms: list.p95,
      cellHistoryP95Ms: history.p95,
      floorP95Ms: floor.p95,
      jobPairsP95Ms: pairs.p95,
      modelHistoryP95Ms: modelHist.p95,
      matrixLargeCells: LARGE_MODELS * 33,
      matrixLargeP95Ms: matrixLarge.p95,
    }),
  );
} finally {
  server?.stop();
  await installation.close();
}
