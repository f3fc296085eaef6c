// The product on a real Redis Cluster (three masters on loopback): the app side
// enqueues through a cluster client, two worker processes certify through
// theirs (REDIS_URL = one node, REDIS_CLUSTER=true), and the progress events
// come back by pub/sub and by the stream. Every key carries the prefix's hash
// tag, so the queue's scripts, the Region limiter's scripts and the progress
// transaction each stay on one slot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelJob, startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { parseProgress, progressStreamKey } from "@/lib/certification/events";
import { checkHealth } from "@/lib/health";
import { channels } from "@/lib/queue/constants";
import { createPairQueue } from "@/lib/queue/queues";
import { createRedisConnection, type RedisClient } from "@/lib/redis";
import { QA } from "../helpers/actor";
import { testPrisma, truncateAll } from "../helpers/db";
import { expectConsistent, loadCatalog, waitFor, waitForJob } from "../helpers/engine";
import { startRedisCluster, type OwnRedisCluster } from "../helpers/redis-cluster";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, uniquePrefix, type WorkerProcess } from "../helpers/worker";

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1"];
const REGION_CONCURRENCY = 2;
const db = testPrisma();
const prefix = uniquePrefix("cluster");
let cluster: OwnRedisCluster;
let sim: TestSimulator;
let redis: RedisClient;
let subscriber: RedisClient;
let deps: JobDeps;
let workers: WorkerProcess[] = [];
const heard: string[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, REGIONS);
  redis = createRedisConnection({}, cluster.url, true);
  subscriber = createRedisConnection({}, cluster.url, true);
  await subscriber.subscribe(channels(prefix).events);
  subscriber.on("message", (_channel: string, message: string) => heard.push(message));
  deps = { db, queue: createPairQueue(redis, prefix), redis, prefix };
  const env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: cluster.url,
    REDIS_CLUSTER: "true",
    BEDROCK_ENDPOINT: sim.url,
    QUEUE_PREFIX: prefix,
    REGION_CONCURRENCY: String(REGION_CONCURRENCY),
    REGION_RATE_PER_SECOND: "0",
    WORKER_CONCURRENCY: "6",
  };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await deps?.queue.close();
  redis?.disconnect();
  subscriber?.disconnect();
  await sim?.close();
  await cluster?.stop();
  await db.$disconnect();
});

describe("a Redis Cluster", () => {
  it("is really three masters, and the product's keys share one slot", async () => {
    expect(cluster.ports).toHaveLength(3);
    const nodes = (await (redis as import("ioredis").Cluster).nodes("master")).length;
    expect(nodes).toBe(3);
    // The queue's, the limiter's and the progress stream's keys: one master.
    const owners = new Set(await Promise.all([`${prefix}:certify-pair:wait`, `${prefix}:region:us-east-1:leases`, progressStreamKey(prefix)].map((k) => cluster.portOfKey(k))));
    expect(owners.size).toBe(1);
  });

  it("runs a job end to end with two workers: every pair once, the Region limits held, progress delivered", async () => {
    sim.simulator.reset();
    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 150 } }] });
    const models = await db.aIModel.findMany({
      where: {
        outputModalities: { has: "Text" },
        AND: REGIONS.map((region) => ({ availability: { some: { region, availability: "IN_REGION", legacy: false } } })),
      },
      select: { bedrockModelId: true },
      orderBy: { bedrockModelId: "asc" },
      take: 6,
    });
    expect(models).toHaveLength(6);
    const { id } = await startCertificationJob(deps, QA, {
      type: "MULTIPLE_MODELS",
      modelIds: models.map((m) => m.bedrockModelId!),
      regions: REGIONS,
      config: { tests: ["reachability", "exact_instruction"] },
    });
    const job = await waitForJob(db, id, ["COMPLETED", "FAILED"], 120_000);
    expect(job).toMatchObject({ status: "COMPLETED", totalModels: 18, processedModels: 18, successCount: 18, failureCount: 0 });
    // Every pair certified exactly once: one run each, consistent counters.
    const { runs, problems } = await expectConsistent(db, id);
    expect(problems).toEqual([]);
    expect(runs).toHaveLength(18);
    expect(new Set(runs.map((r) => `${r.modelId}|${r.region}`)).size).toBe(18);
    // Each pair's battery reached the simulator once: two tests' calls, not four.
    const calls = sim.simulator.stats().calls.filter((c) => c.operation !== "GetFoundationModelAvailability");
    for (const m of models)
      for (const region of REGIONS) {
        const n = calls.filter((c) => c.modelId === m.bedrockModelId && c.region === region).reduce((a, c) => a + c.count, 0);
        expect(n, `${m.bedrockModelId} in ${region}`).toBeGreaterThanOrEqual(2);
        expect(n, `${m.bedrockModelId} in ${region}`).toBeLessThanOrEqual(3);
      }
    // The Region limiter's Lua scripts ran on the cluster: never more than the
    // limit at once in a Region, and the limit was used.
    const peaks = sim.simulator.stats().maxInFlight;
    for (const region of REGIONS) expect(peaks[region], region).toBeLessThanOrEqual(REGION_CONCURRENCY);
    expect(Math.max(...REGIONS.map((r) => peaks[r] ?? 0))).toBe(REGION_CONCURRENCY);
    // Progress: one pub/sub message per pair (and the job's end), and the same in the stream.
    const pairEvents = async () => heard.map(parseProgress).filter((e) => e?.type === "pair" && e.jobId === id);
    await waitFor("18 pair events by pub/sub", async () => (await pairEvents()).length >= 18);
    expect(new Set((await pairEvents()).map((e) => e!.type === "pair" && e!.pairId)).size).toBe(18);
    const logged = (await redis.xrange(progressStreamKey(prefix), "-", "+")).map(([, fields]) => parseProgress(fields[1]!)).filter((e) => e?.type === "pair" && e.jobId === id);
    expect(logged).toHaveLength(18);
  });

  it("cancels through the cluster, and health reports it up", async () => {
    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 2_000 } }] });
    const models = await db.aIModel.findMany({ where: { outputModalities: { has: "Text" }, availability: { some: { region: "us-east-1", availability: "IN_REGION", legacy: false } } }, take: 8 });
    const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: models.map((m) => m.bedrockModelId!), regions: ["us-east-1"] });
    await waitFor("a pair to be calling Bedrock", async () => (sim.simulator.stats().inFlight["us-east-1"] ?? 0) > 0);
    await cancelJob(deps, QA, id);
    const job = await waitForJob(db, id, ["CANCELLED"], 60_000);
    expect(job.cancelledCount).toBeGreaterThan(0);
    // The cancel reached the running pairs through the cluster's pub/sub: nothing still calling.
    await waitFor("no call in flight", async () => (sim.simulator.stats().inFlight["us-east-1"] ?? 0) === 0);
    const health = await checkHealth({ prisma: db, redis, timeoutMs: 2_000 });
    expect(health.checks.redis.status).toBe("up");
  });
});
