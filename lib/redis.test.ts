import { Cluster, Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createRedisConnection } from "./redis";

describe("createRedisConnection", () => {
  it("a standalone Redis by default", () => {
    const c = createRedisConnection({ lazyConnect: true }, "redis://127.0.0.1:6379", false) as Redis;
    expect(c).toBeInstanceOf(Redis);
    expect(c.options.maxRetriesPerRequest).toBeNull();
    c.disconnect();
  });

  it("a cluster from one seed node, with the caller's options where a cluster takes them", () => {
    const retry = (n: number) => n * 10;
    const c = createRedisConnection({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: retry }, "redis://10.0.0.5:7001", true) as Cluster;
    expect(c).toBeInstanceOf(Cluster);
    expect(c.options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false, enableReadyCheck: true });
    expect(c.options.clusterRetryStrategy?.(3)).toBe(30);
    expect(c.options.redisOptions).toMatchObject({ maxRetriesPerRequest: 0 });
    expect(c.options.redisOptions).not.toHaveProperty("tls");
    expect((c as unknown as { startupNodes: unknown[] }).startupNodes).toEqual([{ host: "10.0.0.5", port: 7001 }]);
    c.disconnect();
  });

  it("a managed cluster over TLS (rediss://): credentials, the seed's name for the certificate, node names kept as announced", () => {
    const c = createRedisConnection({ lazyConnect: true }, "rediss://app:s%40cret@clustercfg.example.cache.amazonaws.com:6380", true) as Cluster;
    expect(c.options.redisOptions).toMatchObject({ username: "app", password: "s@cret", tls: { servername: "clustercfg.example.cache.amazonaws.com" } });
    let resolved = "";
    c.options.dnsLookup!("node-1.example.cache.amazonaws.com", (_err, address) => (resolved = address));
    expect(resolved).toBe("node-1.example.cache.amazonaws.com");
    c.disconnect();
  });
});
