// `npm run worker`: the certification worker, its own process. Run as many as
// you like, on as many machines, against one Redis and one PostgreSQL: they
// share the queue, the per-Region limits and the reconciler lock.
//
// Start-up: configuration, logger, connections, the BullMQ worker, the cancel
// relay, the reconciler, the health endpoint. SIGTERM/SIGINT: stop taking pairs,
// let running ones finish (WORKER_SHUTDOWN_GRACE_MS), put the rest back on the
// queue, then close the health server, the queue connections and PostgreSQL.
import { hostname } from "node:os";
import { Worker } from "bullmq";
import { bedrockConnectionFromEnv, createBedrockClients } from "@/lib/bedrock/clients";
import type { JobDeps } from "@/lib/certification/jobs";
import { reconcile } from "@/lib/certification/reconciler";
import { createPrismaClient } from "@/lib/db/client";
import { env } from "@/lib/env";
import { preflightOrExit } from "@/lib/preflight";
import { RegionLimiter, parseRegionOverrides } from "@/lib/limits/region-limiter";
import { createLogger } from "@/lib/logger";
import { metricsText, watchQueues } from "@/lib/metrics/metrics";
import { ABORT_CANCELLED, ABORT_SHUTDOWN, createCertifyPairHandler } from "@/lib/queue/certify-pair-handler";
import type { CertifyPairPayload } from "@/lib/queue/certify-pair-job";
import { channels, PAIR_QUEUE } from "@/lib/queue/constants";
import { createPairQueue, createWatchQueue, createWebhookQueue } from "@/lib/queue/queues";
import { createWatchHandler, createWebhookHandler } from "@/lib/queue/watch-handlers";
import { WATCH_QUEUE, WEBHOOK_QUEUE } from "@/lib/queue/watch-jobs";
import type { WatchDeps } from "@/lib/watch/events";
import { announceJobFinished } from "@/lib/watch/after-pair";
import { pauseJobForCredentials } from "@/lib/watch/job-paused";
import { webhookEgress } from "@/lib/watch/egress";
import { publishCallHealth, PUBLISH_EVERY_MS, withdrawCallHealth } from "@/lib/bedrock/call-health";
import { syncSchedulers } from "@/lib/watch/schedules";
import { requeueLostDeliveries } from "@/lib/watch/webhooks";
import { watchSettings } from "@/lib/watch/settings";
import { createRedisConnection } from "@/lib/redis";
import { startHealthServer } from "./health";

const log = createLogger("worker");
const workerId = `${hostname()}:${process.pid}`;
const prefix = env.QUEUE_PREFIX;
// A Region slot is held on the same terms as the queue job's lock: a worker
// that stops renewing for this long (killed, frozen) loses both.
const LEASE_MS = env.WORKER_LOCK_DURATION_MS;

// PostgreSQL and Redis reachable at all, or one line naming the setting and an exit.
await preflightOrExit({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_CLUSTER ? undefined : env.REDIS_URL });
const db = createPrismaClient(env.DATABASE_URL, Math.min(env.DATABASE_POOL_SIZE, env.WORKER_CONCURRENCY + 4));
const connection = createRedisConnection();
const subscriber = createRedisConnection();
// The engine retries (and counts, and adapts to) throttling itself: one SDK
// attempt per call keeps every throttle visible to it.
const bedrock = createBedrockClients({ ...bedrockConnectionFromEnv(env), sdkMaxAttempts: 1 });
const concurrencyOverrides = parseRegionOverrides(env.REGION_CONCURRENCY_OVERRIDES);
const rateOverrides = parseRegionOverrides(env.REGION_RATE_OVERRIDES);
const limiter = new RegionLimiter(connection, {
  prefix,
  leaseMs: LEASE_MS,
  limitsFor: (region) => ({ concurrency: concurrencyOverrides.get(region) ?? env.REGION_CONCURRENCY, ratePerSecond: rateOverrides.get(region) ?? env.REGION_RATE_PER_SECOND }),
});
const queue = createPairQueue(connection, prefix);
const watchQueue = createWatchQueue(connection, prefix);
const webhookQueue = createWebhookQueue(connection, prefix, env.WEBHOOK_ATTEMPTS, env.WEBHOOK_BACKOFF_MS);
const watchDeps: WatchDeps = { db, webhooks: webhookQueue };
const jobDeps: JobDeps = { db, queue, redis: connection, prefix, onJobEnded: (jobId) => announceJobFinished(watchDeps, jobId) };
watchQueues([queue, watchQueue, webhookQueue]);

// Which certification job each running queue job belongs to, for the cancel relay.
const running = new Map<string, string>();
const handle = createCertifyPairHandler({
  db,
  bedrock,
  limiter,
  redis: connection,
  prefix,
  workerId,
  callTimeoutMs: env.BEDROCK_CALL_TIMEOUT_MS,
  slotWaitMs: env.REGION_SLOT_WAIT_MS,
  leaseMs: LEASE_MS,
  maxParallelTests: env.PAIR_PARALLEL_TESTS,
  log,
  watch: { ...watchDeps, settings: watchSettings(env) },
  onCredentialsRefused: (pair, detail) => pauseJobForCredentials({ jobs: jobDeps, watch: watchDeps }, pair, detail),
});
let processed = 0;

const worker = new Worker<CertifyPairPayload>(
  PAIR_QUEUE,
  async (job, token, signal) => {
    running.set(job.id!, job.data.jobId);
    try {
      return await handle(job, token, signal);
    } finally {
      running.delete(job.id!);
      processed++;
    }
  },
  {
    connection,
    prefix,
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: 10,
    autorun: false,
  },
);
// Schedules and the catalog sync (one at a time per process), and webhook
// deliveries: queues of their own, so that neither waits behind pairs.
const watchWorker = new Worker(WATCH_QUEUE, createWatchHandler({ jobs: jobDeps, watch: watchDeps, bedrock, autoCertify: env.CATALOG_AUTO_CERTIFY, log }), {
  connection,
  prefix,
  concurrency: 1,
  autorun: false,
});
const webhookWorker = new Worker(WEBHOOK_QUEUE, createWebhookHandler({ db, appUrl: env.APP_URL, timeoutMs: env.WEBHOOK_TIMEOUT_MS, egress: webhookEgress(), log }), {
  connection,
  prefix,
  concurrency: 4,
  autorun: false,
});
for (const w of [watchWorker, webhookWorker]) w.on("error", (err) => log.error({ err: err.message }, "worker error"));
watchWorker.on("failed", (job, err) => log.warn({ queueJobId: job?.id, name: job?.name, err: err.message }, "watch job failed"));
worker.on("failed", (job, err) => log.warn({ queueJobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "pair attempt failed (infrastructure); retried with backoff"));
worker.on("error", (err) => log.error({ err: err.message }, "worker error"));
for (const client of [connection, subscriber]) client.on("error", (err) => log.warn({ err: err.message }, "redis connection error"));

// Cancel relay: a cancel published by any process aborts this process's pairs
// of that job. Slot relay: a Region slot given back by any process wakes this
// process's pairs waiting for one.
await subscriber.subscribe(channels(prefix).cancel, limiter.freedChannel);
subscriber.on("message", (channel, message) => {
  if (channel === limiter.freedChannel) return limiter.onFreedMessage(message);
  try {
    const { jobId } = JSON.parse(message) as { jobId: string };
    for (const [queueJobId, certJobId] of running) {
      if (certJobId === jobId && worker.cancelJob(queueJobId, ABORT_CANCELLED)) log.info({ jobId, queueJobId }, "aborting a running pair of a cancelled job");
    }
  } catch (err) {
    log.warn({ err: (err as Error).message }, "bad cancel message");
  }
});

let closing = false;
async function runReconciler() {
  if (closing) return;
  try {
    // Redis may have lost the schedules' job schedulers and queued webhook
    // deliveries (a FLUSHALL, a failover): PostgreSQL has them.
    const schedulers = await syncSchedulers({ db, watchQueue }, env.CATALOG_SYNC_CRON);
    if (schedulers.upserted || schedulers.removed) log.info(schedulers, "job schedulers rebuilt from PostgreSQL");
    const deliveries = await requeueLostDeliveries(watchDeps, 2 * env.RECONCILE_INTERVAL_MS);
    if (deliveries) log.info({ deliveries }, "webhook deliveries Redis had lost queued again");
  } catch (err) {
    log.warn({ err: (err as Error).message }, "could not rebuild the job schedulers or requeue deliveries; will try again");
  }
  try {
    const report = await reconcile(jobDeps);
    if (report && (report.requeued || report.finalized || report.cancelled)) log.info(report, "reconciled queue with PostgreSQL");
  } catch (err) {
    log.warn({ err: (err as Error).message }, "reconcile failed; will try again");
  }
}
const reconcileTimer = setInterval(runReconciler, env.RECONCILE_INTERVAL_MS);
// Whether Bedrock is answering this worker's calls, per Region, for the console's header.
const healthTimer = setInterval(() => void publishCallHealth(connection, prefix, workerId).catch(() => {}), PUBLISH_EVERY_MS);

const health = await startHealthServer(
  env.WORKER_HEALTH_PORT,
  {
    ready: () => !closing && worker.isRunning(),
    check: async () => ({
      postgres: await db.$queryRaw`SELECT 1`.then(
        () => "up" as const,
        () => "down" as const,
      ),
      redis: await connection.ping().then(
        () => "up" as const,
        () => "down" as const,
      ),
    }),
    // Counts only: which host and process answered is not the probe's business.
    stats: () => ({ running: running.size, processed, closing }),
    metrics: metricsText,
  },
  env.WORKER_HEALTH_HOST,
);

void worker.run();
void watchWorker.run();
void webhookWorker.run();
await runReconciler();
log.info({ workerId, healthPort: health.port, concurrency: env.WORKER_CONCURRENCY, regionConcurrency: env.REGION_CONCURRENCY, bedrock: env.BEDROCK_ENDPOINT ?? "aws" }, "worker started");

async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info({ signal, running: running.size }, "shutting down: finishing running pairs");
  clearInterval(reconcileTimer);
  clearInterval(healthTimer);
  await withdrawCallHealth(connection, prefix, workerId).catch(() => {});
  const closed = Promise.all([worker.close(), watchWorker.close(), webhookWorker.close()]);
  const inTime = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), env.WORKER_SHUTDOWN_GRACE_MS))]);
  if (!inTime) {
    log.warn({ running: running.size }, "grace period over: putting running pairs back on the queue");
    worker.cancelAllJobs(ABORT_SHUTDOWN);
    await closed;
  }
  health.server.close();
  await subscriber.quit().catch(() => {});
  await Promise.all([queue.close(), watchQueue.close(), webhookQueue.close()]).catch(() => {});
  await connection.quit().catch(() => {});
  bedrock.destroy();
  await db.$disconnect();
  log.info("stopped");
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
