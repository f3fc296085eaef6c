import "server-only";
// Failed sign-ins per account, from any address. Better Auth limits sign-in
// attempts per client address (5 a minute, lib/auth/auth.ts); this slows what
// many addresses together may try against one account — without letting them
// lock its owner out (issue 28: a hard lock for the window could be renewed
// for ever, from one address for three accounts, from many for all).
//
// Past SIGN_IN_ACCOUNT_MAX_FAILURES failures in the window, the account's
// attempts are spaced: after each further failure the next attempt waits
// 1, 2, 4 … s, at most SIGN_IN_ACCOUNT_MAX_DELAY_SECONDS (the sign-in page
// says how long). An address this account signed in from successfully in the
// last 30 days is not spaced at all: the owner's usual machine gets through at
// once whatever an attacker does. Only failures count; a success clears them.
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

const hashed = (text: string) => createHash("sha256").update(text.trim().toLowerCase()).digest("base64url");
const keys = (email: string) => {
  const base = `${env.QUEUE_PREFIX}:sign-in:${hashed(email)}`;
  return { failures: `${base}:failures`, next: `${base}:next`, known: `${base}:known` };
};
const KNOWN_DAYS = 30;

// Seconds until this account may be tried again from this address, or 0 when
// it may now.
export function accountRetryAfter(redis: RedisClient, email: string, address: string | null = null): Promise<number> {
  return failOpen("check", 0, async () => {
    const k = keys(email);
    const [count, next, known] = (await redis
      .multi()
      .get(k.failures)
      .get(k.next)
      .sismember(k.known, hashed(address ?? "-"))
      .exec())!.map(([, v]) => v) as [string | null, string | null, number];
    if (Number(count ?? 0) < env.SIGN_IN_ACCOUNT_MAX_FAILURES || (address && known === 1)) return 0;
    const wait = Math.ceil((Number(next ?? 0) - Date.now()) / 1000);
    return wait > 0 ? wait : 0;
  });
}

export function noteFailedSignIn(redis: RedisClient, email: string): Promise<void> {
  // The window starts at the first failure (NX) and is not extended by later ones.
  return failOpen("count", undefined, async () => {
    const k = keys(email);
    const [[, count]] = (await redis.multi().incr(k.failures).expire(k.failures, env.SIGN_IN_ACCOUNT_WINDOW_SECONDS, "NX").exec())! as [[unknown, number]];
    const over = count - env.SIGN_IN_ACCOUNT_MAX_FAILURES;
    if (over < 0) return;
    const delaySeconds = Math.min(env.SIGN_IN_ACCOUNT_MAX_DELAY_SECONDS, 2 ** Math.min(over, 30));
    await redis.set(k.next, String(Date.now() + delaySeconds * 1000), "EX", env.SIGN_IN_ACCOUNT_WINDOW_SECONDS);
  });
}

// A success: the failures go, and the address is one the owner uses.
export function noteSuccessfulSignIn(redis: RedisClient, email: string, address: string | null): Promise<void> {
  return failOpen("clear", undefined, async () => {
    const k = keys(email);
    const tx = redis.multi().del(k.failures, k.next);
    if (address) tx.sadd(k.known, hashed(address)).expire(k.known, KNOWN_DAYS * 86_400);
    await tx.exec();
  });
}

export function clearFailedSignIns(redis: RedisClient, email: string): Promise<void> {
  return failOpen("clear", undefined, async () => {
    const k = keys(email);
    await redis.del(k.failures, k.next);
  });
}

// Forgets the addresses an account signed in from (tests; an admin resetting an account).
export function forgetKnownAddresses(redis: RedisClient, email: string): Promise<void> {
  return failOpen("clear", undefined, async () => {
    await redis.del(keys(email).known);
  });
}
