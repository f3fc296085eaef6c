import "server-only";
import { once } from "node:events";
import type { RedisClient } from "@/lib/redis";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type DependencyName = "postgres" | "redis";

export type DependencyHealth = { status: "up"; latencyMs: number } | { status: "down"; latencyMs: number; reason: "timeout" | "error" };

export type HealthReport = {
  status: "ok" | "degraded";
  // The dependencies that did not answer, by name; empty when all is well.
  down: DependencyName[];
  checks: Record<DependencyName, DependencyHealth>;
};

class HealthTimeout extends Error {}

// events.once() aborted by AbortSignal.timeout() rejects with an AbortError.
const isDeadline = (err: unknown) => ["TimeoutError", "AbortError"].includes((err as Error)?.name);

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new HealthTimeout()), timeoutMs);
      }),
    ]);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // The reason stays coarse on purpose: health is public, connection errors
    // can carry hosts and user names.
    return {
      status: "down",
      latencyMs: Math.round(performance.now() - started),
      reason: err instanceof HealthTimeout || isDeadline(err) ? "timeout" : "error",
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(deps: { prisma: PrismaClient; redis: RedisClient; timeoutMs: number }): Promise<HealthReport> {
  const [postgres, redis] = await Promise.all([
    probe(() => deps.prisma.$queryRaw`SELECT 1`, deps.timeoutMs),
    probe(async () => {
      // A client that is still (re)connecting answers nothing yet: wait for it
      // within the same deadline rather than reporting Redis down.
      if (deps.redis.status !== "ready") await once(deps.redis, "ready", { signal: AbortSignal.timeout(deps.timeoutMs) });
      return deps.redis.ping();
    }, deps.timeoutMs),
  ]);
  const checks = { postgres, redis };
  const down = (Object.keys(checks) as DependencyName[]).filter((name) => checks[name].status === "down");
  return { status: down.length === 0 ? "ok" : "degraded", down, checks };
}
