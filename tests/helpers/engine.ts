// What the engine's integration tests share: the catalog loaded and synced from
// a simulator, the app side's job services, and waiting for a job's end.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { syncCatalog } from "@/lib/catalog/sync";
import type { JobStatus } from "@/lib/generated/prisma/enums";
import type { JobDeps } from "@/lib/certification/jobs";
import { createPairQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { testPrisma } from "./db";
import type { TestSimulator } from "./simulator";
import { uniquePrefix, type WorkerProcess } from "./worker";
import { QA } from "./actor";

// What a test with real workers needs on the app side: the database, a queue
// of its own (a unique prefix), the job services' deps, and one close() for
// the workers, the queue, Redis, the simulator and PostgreSQL.
export function engineFixture(name: string) {
  const db = testPrisma();
  const prefix = uniquePrefix(name);
  const redis = createRedisConnection();
  const queue = createPairQueue(redis, prefix);
  const deps: JobDeps = { db, queue, redis, prefix };
  return {
    db,
    prefix,
    redis,
    queue,
    deps,
    async close(workers: WorkerProcess[], sim?: TestSimulator) {
      await Promise.all(workers.map((w) => w.stop()));
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      redis.disconnect();
      await sim?.close();
      await db.$disconnect();
    },
  };
}

export async function loadCatalog(db: PrismaClient, sim: TestSimulator, regions: string[]) {
  await seedCatalog(db, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  const report = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions });
  if (!report.regions.every((r) => r.ok)) throw new Error(`catalog sync failed: ${JSON.stringify(report.regions)}`);
}

export async function modelId(db: PrismaClient, bedrockModelId: string): Promise<string> {
  return (await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId }, select: { id: true } })).id;
}

export async function waitForJob(db: PrismaClient, jobId: string, statuses: JobStatus[] = ["COMPLETED", "FAILED", "CANCELLED"], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.certificationJob.findUniqueOrThrow({ where: { id: jobId } });
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The invariants every job must keep: counters equal to the pairs and rows.
export async function expectConsistent(db: PrismaClient, jobId: string) {
  const job = await db.certificationJob.findUniqueOrThrow({ where: { id: jobId }, include: { pairs: true } });
  const byStatus = (s: string) => job.pairs.filter((p) => p.status === s).length;
  const runs = await db.certificationRun.findMany({ where: { jobId } });
  const problems: string[] = [];
  if (job.totalModels !== job.pairs.length) problems.push(`totalModels ${job.totalModels} ≠ ${job.pairs.length} pairs`);
  const passed = job.pairs.filter((p) => p.status === "COMPLETED" && p.passed === true).length;
  if (job.successCount !== passed) problems.push(`successCount ${job.successCount} ≠ ${passed} passed pairs`);
  if (job.failureCount !== byStatus("FAILED")) problems.push(`failureCount ${job.failureCount} ≠ ${byStatus("FAILED")} FAILED pairs`);
  // Pairs not tried because of their availability: COMPLETED, passed null, counted by availability.
  const notTried = (a: string) => job.pairs.filter((p) => p.status === "COMPLETED" && p.passed === null && p.availability === a).length;
  const settled = { notOfferedCount: notTried("NOT_OFFERED"), profileOnlyCount: notTried("PROFILE_ONLY"), legacyCount: notTried("LEGACY"), unsupportedCount: notTried("UNSUPPORTED") };
  for (const [counter, n] of Object.entries(settled)) if (job[counter as keyof typeof settled] !== n) problems.push(`${counter} ${job[counter as keyof typeof settled]} ≠ ${n} pairs`);
  if (job.pairs.some((p) => p.status === "COMPLETED" && p.passed === null && !p.availability)) problems.push("a COMPLETED pair with no verdict and no availability");
  if (job.pairs.some((p) => p.status === "FAILED" && p.availability && p.availability !== "IN_REGION" && p.availability !== "PROFILE_ONLY")) problems.push("a FAILED pair that was not offered");
  const settledTotal = Object.values(settled).reduce((a, b) => a + b, 0);
  if (job.processedModels !== job.successCount + job.failureCount + settledTotal) problems.push(`processedModels ${job.processedModels} ≠ success + failure + not tried`);
  if (job.cancelledCount !== byStatus("CANCELLED")) problems.push(`cancelledCount ${job.cancelledCount} ≠ ${byStatus("CANCELLED")} CANCELLED pairs`);
  // Exactly one history run per pair and round that finished (cancelled-before-start pairs have none).
  for (const p of job.pairs) {
    const mine = runs.filter((r) => r.modelId === p.modelId && r.region === p.region);
    if (p.status === "COMPLETED" || p.status === "FAILED") {
      if (!p.runId || !mine.some((r) => r.id === p.runId)) problems.push(`pair ${p.modelId}/${p.region} has no run`);
      if (mine.length !== p.round + 1) problems.push(`pair ${p.modelId}/${p.region} has ${mine.length} runs for round ${p.round}`);
    }
  }
  return { job, runs, problems };
}
