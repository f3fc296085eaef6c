// Schedules with two real workers on a Redis of the test's own: a schedule
// firing every two seconds starts one job for its first slot, then finds
// nothing old enough (its age rule); every slot is fired exactly once
// whatever the number of workers; a FLUSHALL loses the job schedulers and the
// reconciler rebuilds them from PostgreSQL; paused, it stops firing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWatchQueue, type WatchQueue } from "@/lib/queue/queues";
import { createRedisConnection, type RedisClient } from "@/lib/redis";
import { createSchedule, updateSchedule } from "@/lib/watch/schedules";
import { QA } from "../helpers/actor";
import { testPrisma, truncateAll } from "../helpers/db";
import { loadCatalog, waitFor, waitForJob } from "../helpers/engine";
import { startOwnRedis, type OwnRedis } from "../helpers/redis-server";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, uniquePrefix, type WorkerProcess } from "../helpers/worker";

const db = testPrisma();
const prefix = uniquePrefix("schedules");
let redisServer: OwnRedis;
let redis: RedisClient;
let watchQueue: WatchQueue;
let sim: TestSimulator;
let workers: WorkerProcess[] = [];

const firings = async (scheduleId: string) =>
  (await db.auditEntry.findMany({ where: { action: "schedule.fire", target: scheduleId }, orderBy: { createdAt: "asc" } })).map((a) => ({
    ...(a.details as { slot: string; jobId: string | null; outcome: string }),
    firedAt: a.createdAt.toISOString(),
  }));

beforeAll(async () => {
  await truncateAll(db);
  await db.auditEntry.deleteMany();
  redisServer = await startOwnRedis();
  sim = await startSimulator();
  await loadCatalog(db, sim, ["us-east-1", "us-west-2"]);
  redis = createRedisConnection({ maxRetriesPerRequest: null }, redisServer.url);
  redis.on("error", () => {});
  watchQueue = createWatchQueue(redis, prefix);
  const env = { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: redisServer.url, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await watchQueue?.close();
  redis?.disconnect();
  await redisServer?.stop();
  await sim?.close();
  await db.$disconnect();
});

describe("schedules", () => {
  it("fire once per slot with two workers, keep their age rule, survive a FLUSHALL, stop when paused", async () => {
    const input = {
      name: "every two seconds",
      cron: "*/2 * * * * *",
      target: { models: { mode: "list", modelIds: ["meta.llama3-8b-instruct-v1:0"] }, regions: { mode: "list", regions: ["us-east-1", "us-west-2"] } },
      config: { tests: ["reachability"] },
      olderThanHours: 1,
    } as const;
    const schedule = await createSchedule({ db, watchQueue }, QA, input);
    expect(schedule.nextFireTimes).toHaveLength(3);

    // The first slot starts a job of the two pairs; later slots find them fresh.
    const first = await waitFor("a job from the schedule", async () => (await firings(schedule.id)).find((f) => f.jobId));
    const job = await waitForJob(db, first.jobId!);
    expect(job).toMatchObject({ type: "RECERTIFY", totalModels: 2, successCount: 2, createdBy: "schedule:every two seconds" });
    await waitFor("three more firings", async () => (await firings(schedule.id)).length >= 4, 30_000);

    await redisServer.flushAll();
    const flushedAt = Date.now();
    // Rebuilt by a reconciler (every second in tests), then firing again.
    await waitFor(
      "a firing after the FLUSHALL",
      async () => (await db.auditEntry.count({ where: { action: "schedule.fire", target: schedule.id, createdAt: { gt: new Date(flushedAt + 100) } } })) >= 2,
      30_000,
    );

    await updateSchedule({ db, watchQueue }, QA, schedule.id, { paused: true });
    const pausedAt = Date.now();
    // Paused: no job scheduler left in Redis, and none rebuilt by the reconcilers.
    await waitFor("the scheduler removed", async () => (await watchQueue.getJobSchedulers(0, -1)).every((s) => !s.key.startsWith("schedule_")));
    const all = await firings(schedule.id);
    // Exactly once per slot: no slot fired twice, by either worker.
    const slots = all.map((f) => f.slot);
    expect(new Set(slots).size).toBe(slots.length);
    // One job in all: every later slot found the cells fresh.
    expect(all.filter((f) => f.jobId)).toHaveLength(1);
    // (A slot that came while the job still ran was skipped for it: a schedule never runs two jobs at once.)
    expect(all.filter((f) => !f.jobId).every((f) => f.outcome === "nothing older than the schedule's age" || /^skipped: the last firing's job \S+ is still /.test(f.outcome))).toBe(true);
    expect(await db.certificationJob.count({ where: { createdBy: "schedule:every two seconds" } })).toBe(1);
    // The slots are the cron's: every two seconds.
    const seconds = slots.map((s) => Number(s.split(":").at(-1)) / 1000);
    expect(seconds.every((s) => s % 2 === 0)).toBe(true);
    // While another schedule fires twice, the paused one fires no more (one
    // firing already taken by a worker at the pause may still finish).
    const other = await createSchedule({ db, watchQueue }, QA, { ...input, name: "the other one" });
    await waitFor("the other schedule firing twice", async () => (await firings(other.id)).length >= 2, 30_000);
    expect((await firings(schedule.id)).filter((f) => Date.parse(f.firedAt) > pausedAt).length).toBeLessThanOrEqual(1);
    expect((await firings(schedule.id)).length - all.length).toBeLessThanOrEqual(1);
  }, 90_000);
});
