import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { checkHealth } from "@/lib/health";
import { createRedisConnection } from "@/lib/redis";
import { testPrisma } from "../helpers/db";

// A local port that accepts connections and never answers: a hung dependency.
let silent: Server;
let silentPort = 0;
const sockets = new Set<Socket>();
beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const quietRedis = (url?: string) => {
  const client = createRedisConnection({ enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 200 }, url);
  client.on("error", () => {});
  return client;
};

describe("checkHealth", () => {
  it("reports ok when PostgreSQL and Redis answer", async () => {
    const prisma = testPrisma();
    const redis = quietRedis();
    try {
      const report = await checkHealth({ prisma, redis, timeoutMs: 2_000 });
      expect(report).toMatchObject({ status: "ok", down: [], checks: { postgres: { status: "up" }, redis: { status: "up" } } });
    } finally {
      redis.disconnect();
      await prisma.$disconnect();
    }
  });

  it("names Redis when it does not answer", async () => {
    const prisma = testPrisma();
    const redis = quietRedis(`redis://127.0.0.1:${silentPort}`);
    try {
      const report = await checkHealth({ prisma, redis, timeoutMs: 300 });
      expect(report.down).toEqual(["redis"]);
      expect(report.checks.redis).toMatchObject({ status: "down", reason: "timeout" });
    } finally {
      redis.disconnect();
      await prisma.$disconnect();
    }
  });

  it("names PostgreSQL when it does not answer", async () => {
    const prisma = createPrismaClient(`postgresql://postgres@127.0.0.1:${silentPort}/none`, 1);
    const redis = quietRedis();
    try {
      const report = await checkHealth({ prisma, redis, timeoutMs: 300 });
      expect(report).toMatchObject({ status: "degraded", down: ["postgres"], checks: { redis: { status: "up" } } });
    } finally {
      redis.disconnect();
      await prisma.$disconnect().catch(() => {});
    }
  });
});
