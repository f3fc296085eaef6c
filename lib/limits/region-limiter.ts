import "server-only";
// Per-Region limits that hold across every worker process, kept in Redis:
//  - concurrency: at most N Bedrock calls in a Region at once: a pair holds a
//    slot while it certifies, and borrows idle ones for its tests
//    (spare-slots.ts). A slot is a lease (a sorted-set member scored by its
//    expiry), renewed while held, so a killed worker's slots free themselves
//    when their lease runs out;
//  - rate: at most R Bedrock calls per second per Region (a token bucket);
//  - adaptation: a ThrottlingException halves the Region's effective
//    concurrency, each success adds 1/limit back (AIMD), shared by all workers.
// Every operation is one Lua script, so the checks and updates are atomic. The
// scripts go by their SHA1 (EVALSHA; the text only when Redis lacks it).
//
// Waiting for a slot: a pair that finds its Region full waits to be woken when
// a slot of that Region is given back — at once by a release in this process,
// through the "freed" channel for releases elsewhere (the worker's subscriber
// relays it: onFreedMessage) — and tries again at least every SLOT_POLL_MS in
// any case (a lease that expired, a message lost). Polling alone took a tenth
// of a busy worker's CPU samples at 10 ms, and left slots idle between polls
// at 100 ms.
//
// Heaviest first, across processes: a waiting pair is registered in Redis with
// its weight (its expected battery time), and a free slot goes to a try only
// if fewer live waiters than free slots are heavier. Each process used to hand
// a freed slot to its own heaviest waiter first, so a light pair here could
// take it while a long battery waited in another worker — and start last, the
// whole catalog's tail (bench:throughput, Bedrock-like latency). A waiter that
// stops trying (its worker killed) drops out after WAITER_TTL_POLLS polls.
import { createHash, randomUUID } from "node:crypto";
import type { RedisClient } from "@/lib/redis";

const SLOT_POLL_MS = 100;
// A registered waiter that has not tried again for this many poll intervals
// (at least a second) is taken for gone.
const WAITER_TTL_POLLS = 10;

type Script = { text: string; sha: string };
const script = (text: string): Script => ({ text, sha: createHash("sha1").update(text).digest("hex") });

export type RegionLimits = { concurrency: number; ratePerSecond: number };

export type RegionLimiterOptions = {
  prefix: string;
  limitsFor: (region: string) => RegionLimits;
  leaseMs: number;
  // How often a waiting pair tries again when nothing woke it (default SLOT_POLL_MS).
  slotPollMs?: number;
};

// Time is Redis's own (TIME inside the scripts): every worker process, on any
// machine, agrees on lease expiry and token refill.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: leases, effective-limit, waiters (scored by weight), waiters' deadlines.
// ARGV: holder, lease ms, configured max, weight, waiter TTL ms (0: a one-off
// try, not registered as waiting), waiter id.
// Returns {1 if acquired else 0, the effective limit}.
const ACQUIRE = script(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local gone = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
for _, w in ipairs(gone) do redis.call('ZREM', KEYS[3], w) end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
local max = tonumber(ARGV[3])
local limit = tonumber(redis.call('GET', KEYS[2]) or ARGV[3])
if limit > max then limit = max end
local slots = math.max(1, math.floor(limit))
local got = 0
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  got = 1
else
  local free = slots - redis.call('ZCARD', KEYS[1])
  if free > 0 and redis.call('ZCOUNT', KEYS[3], '(' .. ARGV[4], '+inf') < free then got = 1 end
end
if got == 1 then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], 3600000)
  redis.call('ZREM', KEYS[3], ARGV[6])
  redis.call('ZREM', KEYS[4], ARGV[6])
elseif tonumber(ARGV[5]) > 0 then
  redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[6])
  redis.call('ZADD', KEYS[4], now + tonumber(ARGV[5]), ARGV[6])
  redis.call('PEXPIRE', KEYS[3], 3600000)
  redis.call('PEXPIRE', KEYS[4], 3600000)
end
return {got, tostring(limit)}`);

// KEYS: waiters, waiters' deadlines. ARGV: waiter id. Stops waiting.
const LEAVE = script(`redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('ZREM', KEYS[2], ARGV[1]) return 1`);

// KEYS: leases. ARGV: holder, lease ms. Renews only a lease that still exists.
const RENEW = script(`${NOW}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  return 1
end
return 0`);

// KEYS: bucket. ARGV: rate per second, capacity.
// Returns 0 when a token was taken, else the ms to wait for one.
const TAKE_TOKEN = script(`${NOW}
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (math.max(0, now - at) * rate / 1000))
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
return wait`);

// KEYS: effective-limit. ARGV: configured max, "throttle" | "success".
const ADAPT = script(`
local max = tonumber(ARGV[1])
local limit = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if ARGV[2] == 'throttle' then
  limit = math.max(1, limit / 2)
else
  limit = math.min(max, limit + 1 / limit)
end
redis.call('SET', KEYS[1], tostring(limit), 'PX', 600000)
return tostring(limit)`);

export class RegionLimiter {
  // Regions whose shared effective limit was last seen below the configured
  // one: only those need the additive increase after a success (saves a Redis
  // call per Bedrock call while nothing is throttled).
  private readonly degraded = new Set<string>();
  // Pairs of this process waiting for a slot, by Region, heaviest first.
  private readonly waiting = new Map<string, { weight: number; wake: () => void }[]>();
  // Releases seen per Region: a release that lands between a failed try and
  // the wait (the try's answer still on its way) is not missed.
  private readonly releases = new Map<string, number>();
  // Running pairs of this process that would borrow an idle slot of the
  // Region for their tests (spare-slots.ts), asked in turn.
  private readonly idleSeekers = new Map<string, Set<() => void>>();
  // Names this limiter's own messages on the freed channel (it woke its own
  // waiters already).
  private readonly instance = randomUUID();

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RegionLimiterOptions,
  ) {}

  private key(region: string, what: string) {
    return `${this.options.prefix}:region:${region}:${what}`;
  }

  // The channel on which releases are announced to every process.
  get freedChannel() {
    return `${this.options.prefix}:region-freed`;
  }

  private async run(s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith("NOSCRIPT")) throw err;
      return this.redis.eval(s.text, keys.length, ...keys, ...args);
    }
  }

  // A message on the freed channel, relayed by the process's subscriber.
  onFreedMessage(message: string) {
    const [from, region] = message.split("|");
    if (from !== this.instance && region) this.slotFreed(region);
  }

  // A slot of the Region was given back: its heaviest waiting pair here tries
  // for it now. One slot, one try per process (each process hears of every
  // release): waking every waiter made a hundred tries for one slot.
  // With no pair of its Region waiting here, one running pair that would
  // borrow a slot is asked instead (its try still yields to waiters elsewhere).
  private slotFreed(region: string) {
    this.releases.set(region, (this.releases.get(region) ?? 0) + 1);
    const waiter = this.waiting.get(region)?.[0];
    if (waiter) return waiter.wake();
    const seekers = this.idleSeekers.get(region);
    const next = seekers?.values().next().value;
    if (!seekers || !next) return;
    seekers.delete(next);
    seekers.add(next); // the next release asks the next one
    next();
  }

  // Calls `seeker` when a slot of the Region may be idle; returns the way to stop.
  onIdleSlot(region: string, seeker: () => void): () => void {
    const seekers = this.idleSeekers.get(region) ?? new Set();
    this.idleSeekers.set(region, seekers);
    seekers.add(seeker);
    return () => {
      seekers.delete(seeker);
      if (seekers.size === 0 && this.idleSeekers.get(region) === seekers) this.idleSeekers.delete(region);
    };
  }

  private nextChance(region: string, weight: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.waiting.get(region) ?? [];
      this.waiting.set(region, waiters);
      const waiter = { weight, wake: () => done() };
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        if (waiters.length === 0 && this.waiting.get(region) === waiters) this.waiting.delete(region);
        resolve();
      };
      const timer = setTimeout(done, (this.options.slotPollMs ?? SLOT_POLL_MS) * (0.75 + Math.random() / 2));
      signal?.addEventListener("abort", done, { once: true });
      // After the last waiter at least as heavy: heaviest first, then first come.
      const at = waiters.findIndex((w) => w.weight < weight);
      waiters.splice(at < 0 ? waiters.length : at, 0, waiter);
    });
  }

  private noteLimit(region: string, limit: number) {
    if (limit < this.options.limitsFor(region).concurrency) this.degraded.add(region);
    else this.degraded.delete(region);
  }

  // One try: a free slot, unless as many heavier pairs as there are free
  // slots are waiting. `waiter`: the pair's id, registered as waiting if no
  // slot is had (the same pair is the same waiter in every worker).
  async tryAcquireSlot(region: string, holder: string, weight = 0, waiter?: string): Promise<boolean> {
    const { concurrency } = this.options.limitsFor(region);
    const waiterTtlMs = waiter ? Math.max(1_000, WAITER_TTL_POLLS * (this.options.slotPollMs ?? SLOT_POLL_MS)) : 0;
    const keys = [this.key(region, "leases"), this.key(region, "limit"), this.key(region, "waiters"), this.key(region, "waiter-deadlines")];
    const [got, limit] = (await this.run(ACQUIRE, keys, [holder, this.options.leaseMs, concurrency, weight, waiterTtlMs, waiter ?? holder])) as [number, string];
    this.noteLimit(region, Number(limit));
    return got === 1;
  }

  // One try for a slot nobody is waiting for: taken only while the Region's
  // free slots outnumber its waiting pairs, and never registered as waiting.
  // A running pair runs more of its tests at once on such slots (spare-slots.ts).
  async tryIdleSlot(region: string, holder: string): Promise<boolean> {
    // A pair of this process waiting for the Region: no slot is idle (and no
    // need to ask Redis, which a busy Region's every test start would).
    if (this.waiting.get(region)?.length) return false;
    // Weight -1: every waiter (weights are ≥ 0) counts as heavier.
    return this.tryAcquireSlot(region, holder, -1);
  }

  // Waits for a slot up to `waitMs` (woken by releases, polling as a
  // fallback); false if none came. A pair whose wait is over stays registered
  // (its worker puts it back on the queue for a moment, and it comes back,
  // perhaps to another worker, as the same waiter): a lighter pair does not
  // take its slot meanwhile. Aborted (cancelled, shutting down), it leaves.
  async acquireSlot(region: string, holder: string, waitMs: number, signal?: AbortSignal, weight = 0, waiter = holder): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (signal?.aborted) {
        await this.run(LEAVE, [this.key(region, "waiters"), this.key(region, "waiter-deadlines")], [waiter]).catch(() => {});
        return false;
      }
      const seen = this.releases.get(region) ?? 0;
      if (await this.tryAcquireSlot(region, holder, weight, waiter)) return true;
      if (Date.now() >= deadline) return false;
      if ((this.releases.get(region) ?? 0) === seen) await this.nextChance(region, weight, signal);
    }
  }

  async renewSlot(region: string, holder: string): Promise<boolean> {
    return (await this.run(RENEW, [this.key(region, "leases")], [holder, this.options.leaseMs])) === 1;
  }

  // Gives the slot back and says so: to this process's waiters at once, to
  // other processes on the freed channel.
  async releaseSlot(region: string, holder: string): Promise<void> {
    const removed = await this.redis.zrem(this.key(region, "leases"), holder);
    if (removed === 0) return;
    this.slotFreed(region);
    await this.redis.publish(this.freedChannel, `${this.instance}|${region}`);
  }

  // Resolves when the Region's rate allows one more call.
  async takeCallToken(region: string, signal?: AbortSignal): Promise<void> {
    const { ratePerSecond } = this.options.limitsFor(region);
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) return;
    for (;;) {
      const wait = Number(await this.run(TAKE_TOKEN, [this.key(region, "bucket")], [ratePerSecond, Math.max(1, ratePerSecond)]));
      if (wait === 0) return;
      if (signal?.aborted) throw signal.reason ?? new Error("aborted");
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  async onThrottle(region: string): Promise<number> {
    const limit = Number(await this.run(ADAPT, [this.key(region, "limit")], [this.options.limitsFor(region).concurrency, "throttle"]));
    this.noteLimit(region, limit);
    return limit;
  }

  async onSuccess(region: string): Promise<number> {
    const max = this.options.limitsFor(region).concurrency;
    if (!this.degraded.has(region)) return max;
    const limit = Number(await this.run(ADAPT, [this.key(region, "limit")], [max, "success"]));
    this.noteLimit(region, limit);
    return limit;
  }

  async effectiveConcurrency(region: string): Promise<number> {
    const stored = await this.redis.get(this.key(region, "limit"));
    const max = this.options.limitsFor(region).concurrency;
    return Math.max(1, Math.floor(Math.min(max, stored ? Number(stored) : max)));
  }
}

// "us-east-1=8,eu-west-1=2" -> per-Region overrides of a default.
export function parseRegionOverrides(value: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (value ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) throw new Error(`bad Region override "${part}" (expected region=number)`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}
