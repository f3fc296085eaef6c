import "server-only";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { env } from "@/lib/env";

// A standalone Redis or a Redis Cluster (REDIS_CLUSTER): both answer the same
// commands, and every key the product uses carries QUEUE_PREFIX's hash tag, so
// scripts and transactions stay on one slot (docs/queue.md).
export type RedisClient = Redis | Cluster;

// BullMQ workers need maxRetriesPerRequest: null (a blocking command must not
// fail after N retries); short-lived clients (health checks) want the opposite.
export function createRedisConnection(options: RedisOptions = {}, url: string = env.REDIS_URL, cluster: boolean = env.REDIS_CLUSTER): RedisClient {
  const merged: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, ...options };
  if (!cluster) return new Redis(url, merged);
  const seed = new URL(url);
  const { retryStrategy, enableOfflineQueue, enableReadyCheck, lazyConnect, ...perNode } = merged;
  return new Cluster([{ host: seed.hostname, port: Number(seed.port || 6379) }], {
    redisOptions: {
      ...perNode,
      ...(seed.username ? { username: decodeURIComponent(seed.username) } : {}),
      ...(seed.password ? { password: decodeURIComponent(seed.password) } : {}),
      // A managed cluster's certificate names its configuration endpoint, not
      // the nodes' addresses the client is sent to: check against the seed's name.
      ...(seed.protocol === "rediss:" ? { tls: { servername: seed.hostname } } : {}),
    },
    // Managed clusters (ElastiCache) announce node names that must be kept
    // as they are for TLS; resolving them would break the certificate check.
    ...(seed.protocol === "rediss:" ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(enableReadyCheck !== undefined ? { enableReadyCheck } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
  });
}
