import "server-only";
// Failed sign-ins per account, from any address. Better Auth limits sign-in
// attempts per client address (5 a minute, lib/auth/auth.ts); this caps what
// many addresses together may try against one account. Only failures count,
// and only for the window, so an attacker can slow one account's owner down
// for at most SIGN_IN_ACCOUNT_WINDOW_SECONDS, never lock out anyone else.
// Kept in Redis, shared by every web process. With Redis unreachable the
// check is skipped (and logged), never waited on: sign-in stays up, still
// limited per address in PostgreSQL.
import { createHash } from "node:crypto";
import type { RedisClient } from "@/lib/redis";
import { env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { createRedisConnection } from "@/lib/redis";

const log = createLogger("sign-in-limit");
const holder = globalThis as unknown as { signInLimitRedis?: RedisClient };

// Its own connection: a command fails at once while Redis is away instead of
// queueing until it is back (the queue's connections wait, by design).
export function signInLimitRedis(): RedisClient {
  if (!holder.signInLimitRedis) {
    holder.signInLimitRedis = createRedisConnection({ maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000 });
    holder.signInLimitRedis.on("error", () => {});
  }
  return holder.signInLimitRedis;
}

async function failOpen<T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    log.warn({ err: (err as Error).message, what }, "per-account sign-in limit unavailable (Redis); the per-address limit still applies");
    return fallback;
  }
}

const key = (email: string) => `${env.QUEUE_PREFIX}:sign-in-failures:${createHash("sha256").update(email.trim().toLowerCase()).digest("base64url")}`;

// Seconds until the account may try again, or 0 when it may now.
export function accountRetryAfter(redis: RedisClient, email: string): Promise<number> {
  return failOpen("check", 0, async () => {
    const [count, ttl] = (await redis.multi().get(key(email)).ttl(key(email)).exec())?.map(([, v]) => v) as [string | null, number];
    return Number(count ?? 0) >= env.SIGN_IN_ACCOUNT_MAX_FAILURES ? Math.max(1, ttl) : 0;
  });
}

export function noteFailedSignIn(redis: RedisClient, email: string): Promise<void> {
  // The window starts at the first failure (NX) and is not extended by later ones.
  return failOpen("count", undefined, async () => {
    await redis.multi().incr(key(email)).expire(key(email), env.SIGN_IN_ACCOUNT_WINDOW_SECONDS, "NX").exec();
  });
}

export function clearFailedSignIns(redis: RedisClient, email: string): Promise<void> {
  return failOpen("clear", undefined, async () => {
    await redis.del(key(email));
  });
}
