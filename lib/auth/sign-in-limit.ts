import "server-only";
// Failed sign-ins per account, from any address. Better Auth limits sign-in
// attempts per client address (5 a minute, lib/auth/auth.ts); this caps what
// many addresses together may try against one account. Only failures count,
// and only for the window, so an attacker can slow one account's owner down
// for at most SIGN_IN_ACCOUNT_WINDOW_SECONDS, never lock out anyone else.
// Kept in Redis, shared by every web process.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { env } from "@/lib/env";

const key = (email: string) => `${env.QUEUE_PREFIX}:sign-in-failures:${createHash("sha256").update(email.trim().toLowerCase()).digest("base64url")}`;

// Seconds until the account may try again, or 0 when it may now.
export async function accountRetryAfter(redis: Redis, email: string): Promise<number> {
  const [count, ttl] = await redis
    .multi()
    .get(key(email))
    .ttl(key(email))
    .exec()
    .then((r) => (r ?? []).map(([, v]) => v) as [string | null, number]);
  return Number(count ?? 0) >= env.SIGN_IN_ACCOUNT_MAX_FAILURES ? Math.max(1, ttl) : 0;
}

export async function noteFailedSignIn(redis: Redis, email: string): Promise<void> {
  // The window starts at the first failure (NX) and is not extended by later ones.
  await redis.multi().incr(key(email)).expire(key(email), env.SIGN_IN_ACCOUNT_WINDOW_SECONDS, "NX").exec();
}

export async function clearFailedSignIns(redis: Redis, email: string): Promise<void> {
  await redis.del(key(email));
}
