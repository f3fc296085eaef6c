import "server-only";
// The web app's side of the queue: one Redis connection and one queue handle
// per process (kept on globalThis across development reloads).
import type { JobDeps } from "@/lib/certification/jobs";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createRedisConnection } from "@/lib/redis";
import { appBedrockClients } from "@/lib/bedrock/app-clients";
import { announceJobFinished } from "@/lib/watch/after-pair";
import type { CatalogWatchDeps } from "@/lib/watch/catalog-watch";
import { createPairQueue, createWatchQueue, createWebhookQueue, type WatchQueue } from "./queues";

type AppWatchDeps = { db: JobDeps["db"]; webhooks: WatchQueue; watchQueue: WatchQueue };
const globalForQueue = globalThis as unknown as { jobDeps?: JobDeps; watchDeps?: AppWatchDeps };

export function appJobDeps(): JobDeps {
  if (!globalForQueue.jobDeps) {
    const redis = createRedisConnection();
    redis.on("error", () => {}); // surfaced through /api/health and failed requests
    globalForQueue.jobDeps = {
      db: prisma,
      queue: createPairQueue(redis, env.QUEUE_PREFIX),
      redis,
      prefix: env.QUEUE_PREFIX,
      onJobEnded: (jobId) => announceJobFinished(appWatchDeps(), jobId),
    };
  }
  return globalForQueue.jobDeps;
}

// The watch's queues (schedules, webhook deliveries), on the same connection.
export function appWatchDeps(): AppWatchDeps {
  if (!globalForQueue.watchDeps) {
    const { redis } = appJobDeps();
    globalForQueue.watchDeps = {
      db: prisma,
      webhooks: createWebhookQueue(redis, env.QUEUE_PREFIX, env.WEBHOOK_ATTEMPTS, env.WEBHOOK_BACKOFF_MS),
      watchQueue: createWatchQueue(redis, env.QUEUE_PREFIX),
    };
  }
  return globalForQueue.watchDeps;
}

// What a catalog sync started from the web app needs: the sync, its watch
// (events, auto-certification), the job services.
export function appCatalogWatchDeps(): CatalogWatchDeps {
  return { ...appWatchDeps(), jobs: appJobDeps(), bedrock: appBedrockClients(), autoCertify: env.CATALOG_AUTO_CERTIFY };
}
