// Nothing is lost: a worker killed mid-job, Redis emptied or restarted (it keeps
// nothing on disk), PostgreSQL out of reach for a while, a worker stopped with SIGTERM. Each time the job still ends
// with every pair certified exactly once and its counters right. These tests
// use a Redis server of their own.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { createPairQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { testPrisma, truncateAll } from "../helpers/db";
import { expectConsistent, loadCatalog, modelId, waitFor, waitForJob } from "../helpers/engine";
import { startOwnRedis, type OwnRedis } from "../helpers/redis-server";
import { startTcpProxy } from "../helpers/tcp-proxy";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, uniquePrefix, type WorkerProcess } from "../helpers/worker";
import { QA } from "../helpers/actor";

const REGIONS = ["us-east-1", "us-west-2"];
// Twelve pairs, each a few seconds of simulated work.
const MODELS = [
  "amazon.titan-embed-text-v2:0",
  "cohere.embed-english-v3",
  "amazon.titan-image-generator-v2:0",
  "meta.llama3-8b-instruct-v1:0",
  "mistral.mistral-7b-instruct-v0:2",
  "amazon.titan-tg1-large",
];

const db = testPrisma();
let sim: TestSimulator;
let redisServer: OwnRedis;
let deps: JobDeps;
let workers: WorkerProcess[] = [];
const prefix = uniquePrefix("durability");

const workerEnv = () => ({ DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: redisServer.url, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix, REGION_CONCURRENCY: "3", WORKER_CONCURRENCY: "6" });
const start = async (env: Record<string, string> = {}) => {
  const w = await startWorker({ ...workerEnv(), ...env });
  workers.push(w);
  return w;
};
const newJob = () =>
  startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: MODELS, regions: REGIONS, config: { tests: ["reachability", "exact_instruction", "dimension", "image_decodes"] } });
const processed = async (id: string) => (await db.certificationJob.findUniqueOrThrow({ where: { id } })).processedModels;

beforeAll(async () => {
  await truncateAll(db);
  redisServer = await startOwnRedis();
  sim = await startSimulator();
  await loadCatalog(db, sim, REGIONS);
  const redis = createRedisConnection({ maxRetriesPerRequest: null }, redisServer.url);
  redis.on("error", () => {});
  const queue = createPairQueue(redis, prefix);
  queue.on("error", () => {}); // the test restarts Redis on purpose
  deps = { db, queue, redis, prefix };
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await deps.queue.close().catch(() => {});
  deps.redis.disconnect();
  await redisServer.stop();
  await sim.close();
  await db.$disconnect();
});

beforeEach(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  workers = [];
  sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 400 } }] });
});

async function expectExactlyOnce(id: string) {
  const { job, problems, runs } = await expectConsistent(db, id);
  expect(problems).toEqual([]);
  expect(job).toMatchObject({ totalModels: 12, processedModels: 12, cancelledCount: 0 });
  expect(runs).toHaveLength(12);
  expect(new Set(runs.map((r) => `${r.modelId}|${r.region}`)).size).toBe(12);
  return job;
}

describe("nothing is lost", { timeout: 90_000 }, () => {
  it("SIGKILL a worker mid-job, start another: every pair certified exactly once", async () => {
    // Two models answer only after a long while, so their pairs are surely
    // mid-battery when the worker dies: a pair that is only close to its end
    // could be recorded between the look and the kill on a loaded machine.
    const slow = ["meta.llama3-8b-instruct-v1:0", "mistral.mistral-7b-instruct-v0:2"];
    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 400 } }, { models: slow, latency: { firstTokenMs: 45_000 } }] });
    const a = await start();
    const { id } = await newJob();
    const slowIds = await Promise.all(slow.map((m) => modelId(db, m)));
    const slowRunning = () => db.certificationJobPair.count({ where: { jobId: id, status: "PROCESSING", modelId: { in: slowIds } } });
    await waitFor("some pairs done and slow ones running", async () => (await processed(id)) >= 2 && (await slowRunning()) >= 2);
    a.child.kill("SIGKILL");
    await a.exited;
    const orphaned = await db.certificationJobPair.count({ where: { jobId: id, status: "PROCESSING" } });
    expect(orphaned).toBeGreaterThanOrEqual(2);

    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 400 } }] });
    await start();
    await waitForJob(db, id);
    await expectExactlyOnce(id);
    // The pairs the dead worker held were taken over, not lost.
    expect(await db.certificationJobPair.count({ where: { jobId: id, attempts: { gte: 2 } } })).toBeGreaterThanOrEqual(orphaned);
  });

  it("Redis emptied mid-job (FLUSHALL): the reconciler rebuilds the queue from PostgreSQL", async () => {
    await start();
    const { id } = await newJob();
    await waitFor("some progress", async () => (await processed(id)) >= 2);
    await redisServer.flushAll();
    await waitForJob(db, id);
    await expectExactlyOnce(id);
  });

  it("Redis restarted mid-job, keeping nothing: the job still completes", async () => {
    const w = await start();
    const { id } = await newJob();
    await waitFor("some progress", async () => (await processed(id)) >= 2);
    await redisServer.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redisServer.start();
    await waitForJob(db, id, undefined, 90_000);
    await expectExactlyOnce(id);
    expect(w.child.exitCode).toBeNull(); // the worker rode it out
  });

  it("PostgreSQL unreachable for a while mid-job: results are kept and recorded once it is back", async () => {
    const direct = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    try {
      const w = await start({ DATABASE_URL: viaProxy.toString() });
      const { id } = await newJob();
      await waitFor("some progress", async () => (await processed(id)) >= 2);
      proxy.cut();
      await new Promise((r) => setTimeout(r, 3_000));
      proxy.restore();
      await waitForJob(db, id, undefined, 90_000);
      await expectExactlyOnce(id);
      expect(w.output()).toContain("pair attempt failed (infrastructure); retried with backoff");
      expect(w.child.exitCode).toBeNull();
    } finally {
      await proxy.close();
    }
  });

  it("SIGTERM: running pairs finish or go back to the queue; the worker exits cleanly", async () => {
    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 3_000 } }] });
    const a = await start({ WORKER_SHUTDOWN_GRACE_MS: "500" });
    const { id } = await newJob();
    await waitFor("pairs running", async () => (await db.certificationJobPair.count({ where: { jobId: id, status: "PROCESSING" } })) >= 3);
    const stopping = Date.now();
    expect(await a.stop("SIGTERM")).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(a.output()).toContain("putting running pairs back on the queue");
    expect(await db.certificationJobPair.count({ where: { jobId: id, status: "PROCESSING" } })).toBe(0);

    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 200 } }] });
    await start();
    await waitForJob(db, id);
    await expectExactlyOnce(id);
  });
});
