// `npm run bench:throughput`: how close the engine gets to the ideal schedule.
// Self-contained: its own database, the simulator (in this process) with a
// fixed latency per call, two worker processes, and an ALL_MODELS job over the
// bundled catalog and a set of Regions.
//
// ideal (per Region) = max(Σ pair work / Region concurrency, the longest pair),
// where a pair's work is its Bedrock calls × the simulator's latency; the
// slowest Region decides. ratio = wall / ideal (1.0 = no overhead at all).
// A second run with zero latency gives the pipeline's own cost per pair.
// First, createJobMs: creating the whole-catalog job over every commercial
// Region (about 3,900 pairs, planned by availability and written in one
// statement, the offered ones enqueued), then cancelled. Goal: < 1,000 ms.
//
//   BENCH_REGIONS=us-east-1,us-west-2,eu-west-1 BENCH_LATENCY_MS=250
//   BENCH_REGION_CONCURRENCY=4 BENCH_WORKERS=2 npm run bench:throughput
import { cancelJob, startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { createPrismaClient } from "@/lib/db/client";
import { createPairQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { loadCatalog, waitForJob } from "../tests/helpers/engine";
import { startSimulator } from "../tests/helpers/simulator";
import { startWorker, uniquePrefix, type WorkerProcess } from "../tests/helpers/worker";
import { createMigratedDatabase, dropDatabase } from "../tests/setup/test-database";
import { cliActor } from "@/lib/audit";

const BENCH = cliActor("bench");

const regions = (process.env.BENCH_REGIONS ?? "us-east-1,us-west-2,eu-west-1").split(",");
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 250);
const regionConcurrency = Number(process.env.BENCH_REGION_CONCURRENCY ?? 4);
const workerCount = Number(process.env.BENCH_WORKERS ?? 2);

const database = await createMigratedDatabase("bench");
const db = createPrismaClient(database.url, 8);
const sim = await startSimulator();
const workers: WorkerProcess[] = [];
const redis = createRedisConnection();

async function run(latency: number) {
  const prefix = uniquePrefix("bench");
  const queue = createPairQueue(redis, prefix);
  const deps: JobDeps = { db, queue, redis, prefix };
  sim.simulator.reset();
  sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: latency } }] });
  const env = {
    DATABASE_URL: database.url,
    BEDROCK_ENDPOINT: sim.url,
    QUEUE_PREFIX: prefix,
    REGION_CONCURRENCY: String(regionConcurrency),
    REGION_RATE_PER_SECOND: process.env.BENCH_REGION_RATE ?? "0",
    WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? String(Math.ceil((regions.length * regionConcurrency * 1.5) / workerCount) + 2),
  };
  const started = await Promise.all(Array.from({ length: workerCount }, () => startWorker(env)));
  workers.push(...started);
  const t0 = performance.now();
  const requestedAt = Date.now();
  const { id } = await startCertificationJob(deps, BENCH, { type: "ALL_MODELS", regions });
  const job = await waitForJob(db, id, ["COMPLETED", "FAILED"], 30 * 60_000);
  const wallSeconds = (performance.now() - t0) / 1000;
  await Promise.all(started.map((w) => w.stop()));
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();

  // Each pair's intrinsic work: its calls × the latency of one call.
  const calls = new Map<string, number>();
  for (const c of sim.simulator.stats().calls) {
    const key = c.region;
    if (!regions.includes(key)) continue;
    calls.set(`${c.region}|${c.modelId}`, (calls.get(`${c.region}|${c.modelId}`) ?? 0) + c.count);
  }
  let idealSeconds = 0;
  for (const region of regions) {
    const works = [...calls].filter(([k]) => k.startsWith(`${region}|`)).map(([, n]) => (n * latency) / 1000);
    const total = works.reduce((a, b) => a + b, 0);
    idealSeconds = Math.max(idealSeconds, total / regionConcurrency, ...works);
  }
  // Inside a pair: its measured duration beyond its calls' latency (SDK,
  // HTTP, the Region limiter, scheduling on a busy event loop).
  const runs = await db.certificationRun.findMany({ where: { jobId: id, duration: { not: null } }, select: { duration: true, region: true, model: { select: { bedrockModelId: true } } } });
  const overheads = runs.flatMap((r) => {
    const n = calls.get(`${r.region}|${r.model.bedrockModelId}`);
    return n ? [r.duration! - n * latency] : [];
  });
  const inPairOverheadMs = overheads.length ? overheads.reduce((a, b) => a + b, 0) / overheads.length : 0;
  // Time from the request to the first pair starting: job creation and enqueueing.
  const startupSeconds = job.startedAt ? (job.startedAt.getTime() - requestedAt) / 1000 : 0;
  return { job, wallSeconds, idealSeconds, startupSeconds, inPairOverheadMs, calls: [...calls.values()].reduce((a, b) => a + b, 0) };
}

// Creating the job an admin starts first: every model in every commercial Region.
async function createWholeCatalogJob() {
  const prefix = uniquePrefix("bench-create");
  const queue = createPairQueue(redis, prefix);
  const deps: JobDeps = { db, queue, redis, prefix };
  const all = (await db.region.findMany({ where: { enabled: true }, select: { code: true } })).map((r) => r.code);
  const times: number[] = [];
  let pairs = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const { id } = await startCertificationJob(deps, BENCH, { type: "ALL_MODELS", regions: all });
    times.push(performance.now() - t0);
    pairs = (await db.certificationJob.findUniqueOrThrow({ where: { id }, select: { totalModels: true } })).totalModels;
    await cancelJob(deps, BENCH, id).catch(() => {});
  }
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  return { regions: all.length, pairs, createJobMs: Math.round(times.sort((a, b) => a - b)[1]!) };
}

try {
  await loadCatalog(
    db,
    sim,
    (await import("@/lib/catalog/aws-tables"))
      .parseRegionsCsv()
      .filter((r) => r.partition === "aws")
      .map((r) => r.code),
  );
  const created = await createWholeCatalogJob();
  console.log(`ALL_MODELS over all ${created.regions} Regions: ${created.pairs} pairs created in ${created.createJobMs} ms (median of 3)`);
  const timed = await run(latencyMs);
  const free = await run(0);
  const pairs = timed.job.totalModels;
  const result = {
    pairs,
    regions: regions.length,
    regionConcurrency,
    workers: workerCount,
    latencyMs,
    bedrockCalls: timed.calls,
    wallSeconds: Math.round(timed.wallSeconds * 100) / 100,
    idealSeconds: Math.round(timed.idealSeconds * 100) / 100,
    ratio: Math.round((timed.wallSeconds / timed.idealSeconds) * 1000) / 1000,
    startupSeconds: Math.round(timed.startupSeconds * 100) / 100,
    meanInPairOverheadMs: Math.round(timed.inPairOverheadMs),
    zeroLatencyWallSeconds: Math.round(free.wallSeconds * 100) / 100,
    pipelineMsPerPair: Math.round((free.wallSeconds * 1000 * 10) / pairs) / 10,
    pipelinePairsPerSecond: Math.round((pairs / free.wallSeconds) * 10) / 10,
    createJobMs: created.createJobMs,
    createJobPairs: created.pairs,
  };
  console.log(`ALL_MODELS over ${regions.join(", ")}: ${pairs} pairs, ${timed.calls} Bedrock calls at ${latencyMs} ms each`);
  console.log(`  ${workerCount} workers, Region concurrency ${regionConcurrency}: wall ${result.wallSeconds} s, ideal ${result.idealSeconds} s, ratio ${result.ratio}`);
  console.log(`  zero latency: ${result.zeroLatencyWallSeconds} s, ${result.pipelineMsPerPair} ms of pipeline per pair (${result.pipelinePairsPerSecond} pairs/s)`);
  console.log(JSON.stringify(result));
} finally {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  redis.disconnect();
  await sim.close();
  await db.$disconnect();
  await dropDatabase(database.name);
}
