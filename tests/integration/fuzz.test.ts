// The API fuzz suite (tests/fuzz/api-fuzz.ts) with a fixed seed and a bounded
// number of cases; `npm run fuzz` runs it with FUZZ_RUNS=20000 (and any
// FUZZ_SEED). Prints what it sent by status.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startSimulator, type TestSimulator } from "../helpers/simulator";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

let sim: TestSimulator;
let db: PrismaClient;

beforeAll(async () => {
  // The catalog sync route calls Bedrock: point the app at a simulator before
  // anything reads the environment.
  sim = await startSimulator();
  process.env.BEDROCK_ENDPOINT = sim.url;
  ({ prisma: db } = await import("@/lib/db/client"));
  const { truncateAll } = await import("../helpers/db");
  await truncateAll(db);
});

afterAll(async () => {
  const { appJobDeps } = await import("@/lib/queue/app-queue");
  const deps = appJobDeps();
  await deps.queue.obliterate({ force: true }).catch(() => {});
  await deps.queue.close();
  deps.redis.disconnect();
  await sim.close();
});

it(`${RUNS} malformed requests to every route as every caller: no 5xx, no stack trace, nothing written on a refusal`, { timeout: Math.max(120_000, RUNS * 100) }, async () => {
  const { setUpUsers, ORIGIN } = await import("../helpers/api");
  const { loadCatalog } = await import("../helpers/engine");
  const { openApiDocument } = await import("@/lib/http/openapi");
  const { operationsOf, runApiFuzz, sweepDateBoundaries } = await import("../fuzz/api-fuzz");
  const { as } = await setUpUsers();
  await loadCatalog(db, sim, ["us-east-1", "eu-west-1"]);
  const job = await db.certificationJob.create({ data: { type: "SINGLE_MODEL", regions: ["us-east-1"], modelIds: [], totalModels: 1, status: "COMPLETED" } });
  const models = await db.aIModel.findMany({ take: 5, select: { id: true, bedrockModelId: true } });
  const known = [job.id, "pause", "resume", "cancel", "retry-failed", "us-east-1", "eu-west-1", ...models.flatMap((m) => [m.id, m.bedrockModelId!])];

  const report = await runApiFuzz({
    db,
    ops: await operationsOf(openApiDocument()),
    callers: { anonymous: as("anonymous"), viewer: as("viewer"), admin: as("admin"), "viewer-token": as("viewer-token"), "admin-token": as("admin-token") },
    known,
    runs: RUNS,
    seed: SEED,
    origin: ORIGIN,
  });
  console.log(
    `fuzz: ${report.cases} cases (seed ${SEED}), by status ${JSON.stringify(report.byStatus)}; server errors ${report.serverErrors.length}, stack traces ${report.stackTraces.length}, writes on refusals ${report.writesOnRefusal.length}`,
  );
  expect(report.serverErrors).toEqual([]);
  expect(report.stackTraces).toEqual([]);
  expect(report.writesOnRefusal).toEqual([]);
  expect(report.cases).toBe(RUNS);
  // The cases reached past the doors, not only into 401s.
  expect(Object.keys(report.byStatus)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404"]));

  // And every GET query parameter at the date edges (GET /events?before=0000-… was a 500).
  const sweep = await sweepDateBoundaries({ ops: await operationsOf(openApiDocument()), headers: as("admin"), known, origin: ORIGIN });
  console.log(`date boundaries: ${sweep.calls} calls`);
  expect(sweep.serverErrors).toEqual([]);
  expect(sweep.calls).toBeGreaterThan(50);
});
