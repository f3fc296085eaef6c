import "server-only";
import type { RedisClient } from "@/lib/redis";
import { createRedisConnection } from "@/lib/redis";

const globalForRedis = globalThis as unknown as { healthRedis?: RedisClient };

// One long-lived client for health checks. With the offline queue disabled a
// PING fails at once while Redis is down instead of waiting for a reconnect,
// and ioredis keeps reconnecting in the background so health recovers by itself.
export function healthRedis(): RedisClient {
  if (!globalForRedis.healthRedis) {
    const client = createRedisConnection({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // Connection errors are reported through /api/health, not as crashes.
    client.on("error", () => {});
    globalForRedis.healthRedis = client;
  }
  return globalForRedis.healthRedis;
}
