// `npm run bench:api-floor`: where the API's fixed cost per request goes. On the
// bench:api installation, three reads (the smallest authenticated one, a
// filtered page of certifications, one cell with its history) from the same
// route handlers, served four ways, 8 requests in flight: by the production
// web server (Next) and by a bare node:http server that calls the handlers
// directly (bench/support/bare-api-server.ts), each with one process and with
// two (requests alternated between them). Beside them the plain SQL.
//   BENCH_CONCURRENCY=8 BENCH_REQUESTS=800 [BENCH_SKIP_BUILD=1] npm run bench:api-floor
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createLargeInstallation, startServer, type Server } from "./support/large-installation";
import { load as loadLoop } from "./support/load";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 800);
const PORT = Number(process.env.BENCH_PORT ?? 3170);
const load = (name: string, once: () => Promise<unknown>) => loadLoop(name, once, CONCURRENCY, REQUESTS);

process.env.APP_URL = `http://127.0.0.1:${PORT}`;
const installation = await createLargeInstallation("benchfloor", CONCURRENCY);
const { upsertUser } = await import("@/lib/auth/users");
const { cliActor } = await import("@/lib/audit");
const { auth } = await import("@/lib/auth/auth");
const servers: Server[] = [];
const bare: ChildProcess[] = [];

async function startBare(port: number): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, NODE_ENV: "production" as const, PORT: String(port), APP_URL: process.env.APP_URL, AUTH_SECRET: randomBytes(32).toString("hex") };
  bare.push(spawn("npx", ["tsx", "--conditions=react-server", "bench/support/bare-api-server.ts"], { env, stdio: "ignore", detached: true }));
  for (let i = 0; i < 240; i++) {
    if (
      await fetch(`${base}/api/v1/regions`).then(
        (r) => r.status === 401,
        () => false,
      )
    )
      return base;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the bare server did not start");
}

try {
  const admin = await upsertUser(cliActor("bench"), { email: "bench@example.com", password: "bench-password-123", role: "admin" });
  const token = (await auth.api.createApiKey({ body: { userId: admin.id, name: "bench" } })).key;
  const cell = (await installation.sql.query(`SELECT m.bedrock_model_id, c.model_id, c.region FROM model_certifications c JOIN ai_models m ON m.id = c.model_id LIMIT 1`)).rows[0];
  servers.push(await startServer(PORT));
  process.env.BENCH_SKIP_BUILD = "1"; // (built once)
  servers.push(await startServer(PORT + 1));
  const bareBases = [await startBare(PORT + 2), await startBare(PORT + 3)];
  const nextBases = servers.map((s) => s.base);

  let turn = 0;
  const get = (bases: string[], path: string) => async () => {
    const res = await fetch(`${bases[turn++ % bases.length]}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  };
  const reads = {
    regions: "/api/v1/regions",
    certifications: "/api/v1/certifications?region=us-east-1,eu-west-1&status=FAILED&limit=100",
    cellHistory: `/api/v1/certifications/${cell.bedrock_model_id}/${cell.region}`,
  };
  const ways = { next: nextBases.slice(0, 1), nextTwoProcesses: nextBases, bare: bareBases.slice(0, 1), bareTwoProcesses: bareBases };
  const p95: Record<string, Record<string, number>> = {};
  console.log(`Load: ${REQUESTS} requests per read and way, ${CONCURRENCY} at a time, on loopback`);
  for (const [read, path] of Object.entries(reads)) for (const [way, bases] of Object.entries(ways)) (p95[way] ??= {})[read] = (await load(`${read}, ${way}`, get(bases, path))).p95;
  const sql = {
    certifications: (
      await load("certifications, plain SQL", () =>
        installation.sql.query(
          `SELECT c.*, m.bedrock_model_id, m.name, m.provider FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
            WHERE c.region = ANY($1) AND c.status = 'FAILED' ORDER BY c.updated_at DESC, c.id DESC LIMIT 101`,
          [["us-east-1", "eu-west-1"]],
        ),
      )
    ).p95,
    cellHistory: (
      await load("cellHistory, plain SQL", () =>
        Promise.all([
          installation.sql.query(`SELECT * FROM model_certifications WHERE model_id = $1 AND region = $2`, [cell.model_id, cell.region]),
          installation.sql.query(`SELECT * FROM certification_runs WHERE model_id = $1 AND region = $2 ORDER BY created_at DESC LIMIT 50`, [cell.model_id, cell.region]),
        ]),
      )
    ).p95,
  };
  console.log(
    JSON.stringify({
      concurrency: CONCURRENCY,
      requests: REQUESTS,
      p95Ms: p95,
      sqlP95Ms: sql,
      bareOverNext: Object.fromEntries(Object.keys(reads).map((r) => [r, Math.round((p95.bare![r]! / p95.next![r]!) * 100) / 100])),
    }),
  );
} finally {
  for (const s of servers) s.stop();
  for (const child of bare) if (child.pid) process.kill(-child.pid, "SIGTERM");
  await installation.close();
}
