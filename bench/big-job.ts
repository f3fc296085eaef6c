// `npm run bench:bigjob`: a 20,000-pair job. The simulator serves a synthetic
// catalog — the bundled one plus 600 text models offered in every commercial
// Region — which the catalog sync brings in as an installation would. Then:
//   - createJobMs: creating ALL_MODELS over every Region (the job, its ~23,000
//     pairs planned by availability in one statement, the offered ones queued),
//     median of 3 (the first two cancelled). Goal: < 3,000 ms;
//   - pauseJobMs, resumeJobMs, cancelJobMs: the job page's buttons on such a
//     job while every pair still waits on the queue (the third job paused and
//     resumed; the slower of the two cancels);
//   - the third job runs to the end on two workers (zero latency, a one-test
//     battery: what is measured is the pipeline, not Bedrock), with each
//     worker's resident memory at start, at each quarter and at the end, and
//     its live heap (what survives a full GC: ./support/live-heap.ts) at start
//     and at the end: flat memory is a live heap that does not grow;
//   - while it runs, the job page's and the matrix's reads (the services the
//     API and the console call), p95 of each.
// The last line is JSON.
//   BENCH_SYNTHETIC_MODELS=600 BENCH_RUN=0 npm run bench:bigjob
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cliActor } from "@/lib/audit";
import { BUNDLED_MODELS_FILE, parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { syncCatalog } from "@/lib/catalog/sync";
import { cancelJob, pauseJob, resumeJob, startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { jobOverview, jobPairs } from "@/lib/certification/job-queries";
import { gridJson } from "@/lib/certification/matrix";
import { createPrismaClient } from "@/lib/db/client";
import { createPairQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { startSimulator } from "../tests/helpers/simulator";
import { heapSnapshotArgs, liveHeapMb } from "./support/live-heap";
import { startWorker, uniquePrefix, workerRssMb, type WorkerProcess } from "../tests/helpers/worker";
import { createMigratedDatabase, dropDatabase } from "../tests/setup/test-database";

const BENCH = cliActor("bench");
const SYNTHETIC = Number(process.env.BENCH_SYNTHETIC_MODELS ?? 600);
const RUN = process.env.BENCH_RUN !== "0";
const REGIONS = parseRegionsCsv()
  .filter((r) => r.partition === "aws")
  .map((r) => r.code);

// The bundled catalog and the synthetic models, as the simulator's catalog file.
const lines = readFileSync(BUNDLED_MODELS_FILE, "utf8").trimEnd().split(/\r?\n/);
for (let i = 0; i < SYNTHETIC; i++) {
  const n = String(i).padStart(3, "0");
  lines.push(`Synthetic,Synthetic Text ${n},synthetic.text-${n}-v1:0,Text,Text,Yes,${REGIONS.join(" ")},,bench:bigjob`);
}
const catalogFile = path.join(mkdtempSync(path.join(tmpdir(), "bigjob-")), "models.csv");
writeFileSync(catalogFile, lines.join("\n") + "\n");

const database = await createMigratedDatabase("bigjob");
const db = createPrismaClient(database.url, 8);
const sim = await startSimulator({ catalogFile });
const redis = createRedisConnection();
const prefix = uniquePrefix("bigjob");
const queue = createPairQueue(redis, prefix);
const deps: JobDeps = { db, queue, redis, prefix };
const workers: WorkerProcess[] = [];

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;
try {
  console.log(`Syncing the catalog: the bundled models and ${SYNTHETIC} synthetic ones over ${REGIONS.length} Regions …`);
  await seedCatalog(db, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  const report = await syncCatalog({ db, bedrock: sim.bedrock, actor: BENCH }, { regions: REGIONS });
  if (!report.regions.every((r) => r.ok)) throw new Error("catalog sync failed");
  const models = await db.aIModel.count();

  // A one-test battery: the pipeline is what is measured.
  const input = { type: "ALL_MODELS" as const, regions: REGIONS, config: { tests: ["reachability" as const] } };
  const times: number[] = [];
  const cancels: number[] = [];
  let id = "";
  let pairs = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    ({ id } = await startCertificationJob(deps, BENCH, input));
    times.push(performance.now() - t0);
    if (i < 2) {
      const t1 = performance.now();
      await cancelJob(deps, BENCH, id);
      cancels.push(performance.now() - t1);
    }
  }
  // What an admin waits for on the job page's buttons, before any worker runs:
  // every pair to try is still waiting on the queue.
  let t1 = performance.now();
  await pauseJob(deps, BENCH, id);
  const pauseJobMs = Math.round(performance.now() - t1);
  t1 = performance.now();
  await resumeJob(deps, BENCH, id);
  const resumeJobMs = Math.round(performance.now() - t1);
  const job = await db.certificationJob.findUniqueOrThrow({ where: { id } });
  pairs = job.totalModels;
  const tried = pairs - job.processedModels;
  const createJobMs = Math.round([...times].sort((a, b) => a - b)[1]!);
  console.log(`  ${models} models × ${REGIONS.length} Regions: ${pairs} pairs (${tried} to try) created in ${createJobMs} ms (median of 3: ${times.map(Math.round).join(", ")})`);
  const cancelJobMs = Math.round(Math.max(...cancels));
  console.log(`  with every pair waiting: paused in ${pauseJobMs} ms, resumed in ${resumeJobMs} ms, cancelled in ${cancels.map(Math.round).join(" and ")} ms`);

  const result: Record<string, unknown> = { models, regions: REGIONS.length, pairs, triedPairs: tried, createJobMs, pauseJobMs, resumeJobMs, cancelJobMs };
  if (RUN) {
    const env = { DATABASE_URL: database.url, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix, REGION_CONCURRENCY: "4", REGION_RATE_PER_SECOND: "0", WORKER_CONCURRENCY: "64", LOG_LEVEL: "warn" };
    const heapDir = mkdtempSync(path.join(tmpdir(), "bigjob-heap-"));
    workers.push(...(await Promise.all([0, 1].map(() => startWorker({ ...env, LOG_LEVEL: "info" }, heapSnapshotArgs(heapDir))))));
    const liveHeap = async () => Promise.all(workers.map((w) => liveHeapMb(w.child, heapDir)));
    const rss: number[][] = [workers.map(workerRssMb)];
    const heap: number[][] = [await liveHeap()];
    const overview: number[] = [];
    const page: number[] = [];
    const grid: number[] = [];
    const t0 = performance.now();
    let quarter = 1;
    for (;;) {
      const j = await db.certificationJob.findUniqueOrThrow({ where: { id }, select: { status: true, processedModels: true } });
      if (j.processedModels >= (pairs * quarter) / 4 && quarter < 4) {
        rss.push(workers.map(workerRssMb));
        quarter++;
      }
      if (j.status === "COMPLETED" || j.status === "FAILED") break;
      // What the job page and the matrix read while the job runs.
      let t = performance.now();
      await jobOverview(db, id);
      overview.push(performance.now() - t);
      t = performance.now();
      await jobPairs(db, id, { limit: 50, offset: 0 });
      page.push(performance.now() - t);
      t = performance.now();
      await gridJson(db);
      grid.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 250));
    }
    const runSeconds = (performance.now() - t0) / 1000;
    rss.push(workers.map(workerRssMb));
    heap.push(await liveHeap());
    Object.assign(result, {
      runSeconds: round(runSeconds),
      pairsPerSecond: round(tried / runSeconds),
      workerRssMb: rss,
      workerLiveHeapMb: heap,
      jobOverviewP95Ms: round(p95(overview)),
      jobPairsPageP95Ms: round(p95(page)),
      matrixGridP95Ms: round(p95(grid)),
      readSamples: overview.length,
    });
    console.log(`  ran in ${round(runSeconds)} s (${round(tried / runSeconds)} pairs/s); worker RSS (MB) at start, each quarter, end: ${rss.map((r) => r.join("/")).join(" → ")}`);
    console.log(`  worker live heap (MB, after a full GC) at start and end: ${heap.map((h) => h.join("/")).join(" → ")}`);
    console.log(`  while running (p95 of ${overview.length}): job overview ${round(p95(overview))} ms, a page of pairs ${round(p95(page))} ms, the matrix grid ${round(p95(grid))} ms`);
  }
  console.log(JSON.stringify(result));
} finally {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  redis.disconnect();
  await sim.close();
  await db.$disconnect();
  await dropDatabase(database.name);
}
