import "server-only";
import { Redis, type RedisOptions } from "ioredis";
import { env } from "@/lib/env";

// BullMQ workers need maxRetriesPerRequest: null (a blocking command must not
// fail after N retries); short-lived clients (health checks) want the opposite.
export function createRedisConnection(options: RedisOptions = {}, url: string = env.REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
