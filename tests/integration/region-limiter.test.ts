// The per-Region limiter against the real Redis, with two limiter instances on
// two connections standing in for two worker processes.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RegionLimiter, parseRegionOverrides } from "@/lib/limits/region-limiter";
import { createRedisConnection } from "@/lib/redis";

const prefix = `{test-limiter-${randomBytes(3).toString("hex")}}`;
const a = createRedisConnection();
const b = createRedisConnection();
afterAll(async () => {
  const keys = await a.keys(`${prefix}*`);
  if (keys.length) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

const limiter = (redis = a, overrides: Partial<{ concurrency: number; ratePerSecond: number; leaseMs: number; slotPollMs: number }> = {}) =>
  new RegionLimiter(redis, {
    prefix,
    leaseMs: overrides.leaseMs ?? 10_000,
    slotPollMs: overrides.slotPollMs,
    limitsFor: () => ({ concurrency: overrides.concurrency ?? 2, ratePerSecond: overrides.ratePerSecond ?? 1000 }),
  });

describe("RegionLimiter", () => {
  it("holds a Region's concurrency across processes, per Region", async () => {
    const one = limiter(a);
    const two = limiter(b);
    expect(await one.tryAcquireSlot("r-east-1", "w1/a")).toBe(true);
    expect(await two.tryAcquireSlot("r-east-1", "w2/a")).toBe(true);
    expect(await two.tryAcquireSlot("r-east-1", "w2/b")).toBe(false);
    expect(await one.tryAcquireSlot("r-west-1", "w1/c")).toBe(true); // another Region is separate
    expect(await one.tryAcquireSlot("r-east-1", "w1/a")).toBe(true); // re-acquiring one's own slot is idempotent
    await one.releaseSlot("r-east-1", "w1/a");
    expect(await two.tryAcquireSlot("r-east-1", "w2/b")).toBe(true);
  });

  it("a pair waiting for a slot is woken by a release, in this process or (relayed) in another", async () => {
    // No polling to speak of: only a wake-up can hand the slot over in time.
    const here = limiter(a, { concurrency: 1, slotPollMs: 600_000 });
    const there = limiter(b, { concurrency: 1, slotPollMs: 600_000 });
    expect(await here.tryAcquireSlot("r-wake-1", "first")).toBe(true);
    const second = here.acquireSlot("r-wake-1", "second", 60_000);
    await here.releaseSlot("r-wake-1", "first");
    expect(await second).toBe(true);

    // Across processes: the other one's subscriber relays the freed channel.
    const subscriber = createRedisConnection();
    await subscriber.subscribe(there.freedChannel);
    subscriber.on("message", (_channel: string, message: string) => there.onFreedMessage(message));
    const third = there.acquireSlot("r-wake-1", "third", 60_000);
    await here.releaseSlot("r-wake-1", "second");
    expect(await third).toBe(true);
    subscriber.disconnect();
  });

  it("a freed slot goes to the heaviest waiting pair (the longest battery) first", async () => {
    const l = limiter(a, { concurrency: 1, slotPollMs: 600_000 });
    expect(await l.tryAcquireSlot("r-weight-1", "running")).toBe(true);
    const got: string[] = [];
    const light = l.acquireSlot("r-weight-1", "embedding", 60_000, undefined, 3).then(() => got.push("embedding"));
    const heavy = l.acquireSlot("r-weight-1", "text", 60_000, undefined, 12).then(() => got.push("text"));
    // Both have tried once and are waiting (their answers came before this one's).
    await a.ping();
    await new Promise((r) => setImmediate(r));
    await l.releaseSlot("r-weight-1", "running");
    await heavy;
    expect(got).toEqual(["text"]);
    await l.releaseSlot("r-weight-1", "text");
    await light;
    expect(got).toEqual(["text", "embedding"]);
  });

  it("heaviest first across processes: a slot freed here goes to a heavier pair waiting in another worker, not to this one's light pair", async () => {
    const here = limiter(a, { concurrency: 1, slotPollMs: 600_000 });
    const there = limiter(b, { concurrency: 1, slotPollMs: 600_000 });
    // Each process's subscriber relays the freed channel to its limiter.
    const subscriber = createRedisConnection();
    await subscriber.subscribe(there.freedChannel);
    subscriber.on("message", (_channel: string, message: string) => [here, there].forEach((l) => l.onFreedMessage(message)));
    try {
      expect(await here.tryAcquireSlot("r-global-1", "running")).toBe(true);
      const got: string[] = [];
      const light = here.acquireSlot("r-global-1", "light-here", 60_000, undefined, 3_000).then((ok) => ok && got.push("light-here"));
      const heavy = there.acquireSlot("r-global-1", "heavy-there", 60_000, undefined, 16_000).then((ok) => ok && got.push("heavy-there"));
      // Both registered as waiting (each has tried once).
      const waiters = `${prefix}:region:r-global-1:waiters`;
      while ((await a.zcard(waiters)) < 2) await new Promise((r) => setImmediate(r));
      await here.releaseSlot("r-global-1", "running"); // wakes "light-here" first, in its own process
      await heavy;
      expect(got).toEqual(["heavy-there"]);
      expect(await a.zscore(waiters, "light-here")).toBe("3000"); // still waiting
      await there.releaseSlot("r-global-1", "heavy-there");
      await light;
      expect(got).toEqual(["heavy-there", "light-here"]);
      expect(await a.zcard(waiters)).toBe(0);
    } finally {
      subscriber.disconnect();
    }
  });

  it("a waiter that stops trying (its worker killed) drops out; one whose wait is over stays, as itself in any worker; a cancelled one leaves at once", async () => {
    const l = limiter(a, { concurrency: 1, slotPollMs: 100 });
    const waiters = `${prefix}:region:r-ghost-1:waiters`;
    expect(await l.tryAcquireSlot("r-ghost-1", "running")).toBe(true);
    // A heavy pair registers, then never tries again.
    expect(await l.tryAcquireSlot("r-ghost-1", "w1/ghost", 50_000, "ghost")).toBe(false);
    await l.releaseSlot("r-ghost-1", "running");
    // The slot is free, but a heavier pair is (said to be) waiting: a light one is held back…
    expect(await l.tryAcquireSlot("r-ghost-1", "w1/light", 1_000)).toBe(false);
    // …until the ghost's registration runs out (10 polls, at least a second).
    expect(await l.acquireSlot("r-ghost-1", "w1/light", 60_000, undefined, 1_000, "light")).toBe(true);
    expect(await a.zscore(waiters, "ghost")).toBeNull();

    // A wait that is over (the pair goes back to the queue for a moment): still ahead of lighter pairs…
    expect(await l.acquireSlot("r-ghost-1", "w1/pair", 0, undefined, 9_000, "pair")).toBe(false);
    expect(await a.zscore(waiters, "pair")).toBe("9000");
    await l.releaseSlot("r-ghost-1", "w1/light");
    expect(await l.tryAcquireSlot("r-ghost-1", "w2/other", 2_000, "other")).toBe(false);
    // …and back in another worker, the same waiter: not held back by itself, and off the list once it has the slot.
    expect(await l.tryAcquireSlot("r-ghost-1", "w2/pair", 9_000, "pair")).toBe(true);
    expect(await a.zscore(waiters, "pair")).toBeNull();

    // Cancelled while waiting: off the list at once.
    const cancel = new AbortController();
    const cancelled = l.acquireSlot("r-ghost-1", "w1/cancelled", 60_000, cancel.signal, 20_000, "cancelled");
    while ((await a.zscore(waiters, "cancelled")) === null) await new Promise((r) => setImmediate(r));
    cancel.abort();
    expect(await cancelled).toBe(false);
    expect(await a.zscore(waiters, "cancelled")).toBeNull();
  });

  it("runs its scripts by SHA1, and by their text again after Redis forgot them", async () => {
    const l = limiter(a, { concurrency: 1 });
    await a.script("FLUSH");
    expect(await l.tryAcquireSlot("r-script-1", "x")).toBe(true);
    expect(await l.tryAcquireSlot("r-script-1", "y")).toBe(false);
    expect(await l.renewSlot("r-script-1", "x")).toBe(true);
  });

  it("frees the slots of a holder that stops renewing", async () => {
    const short = limiter(a, { leaseMs: 300, concurrency: 1 });
    expect(await short.tryAcquireSlot("r-lease-1", "dead")).toBe(true);
    expect(await short.tryAcquireSlot("r-lease-1", "alive")).toBe(false);
    expect(await short.renewSlot("r-lease-1", "dead")).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await short.tryAcquireSlot("r-lease-1", "alive")).toBe(true);
    expect(await short.renewSlot("r-lease-1", "dead")).toBe(false);
  });

  it("halves the concurrency on a throttle and earns it back on successes (AIMD)", async () => {
    const l = limiter(a, { concurrency: 8 });
    expect(await l.effectiveConcurrency("r-aimd-1")).toBe(8);
    expect(await l.onThrottle("r-aimd-1")).toBe(4);
    expect(await l.onThrottle("r-aimd-1")).toBe(2);
    expect(await limiter(b, { concurrency: 8 }).effectiveConcurrency("r-aimd-1")).toBe(2); // shared
    for (let i = 0; i < 3; i++) await l.onSuccess("r-aimd-1"); // +1/limit each: 2 → 2.5 → 2.9 → 3.24
    expect(await l.effectiveConcurrency("r-aimd-1")).toBe(3);
    for (let i = 0; i < 100; i++) await l.onSuccess("r-aimd-1");
    expect(await l.effectiveConcurrency("r-aimd-1")).toBe(8); // never above the configured limit
    expect(await l.onThrottle("r-aimd-1")).toBe(4);
    // Slots follow the effective limit.
    for (let i = 0; i < 4; i++) expect(await l.tryAcquireSlot("r-aimd-1", `h${i}`)).toBe(true);
    expect(await l.tryAcquireSlot("r-aimd-1", "h4")).toBe(false);
  });

  it("spaces calls to the Region's rate, across processes", async () => {
    const rate = 20;
    const one = limiter(a, { ratePerSecond: rate });
    const two = limiter(b, { ratePerSecond: rate });
    const started = Date.now();
    // A full bucket (20 tokens) plus 10 more, shared by both: the extra 10 wait ~0.5 s.
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).takeCallToken("r-rate-1")));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it("parses per-Region overrides", () => {
    expect([...parseRegionOverrides("us-east-1=8, eu-west-1=2")]).toEqual([
      ["us-east-1", 8],
      ["eu-west-1", 2],
    ]);
    expect(() => parseRegionOverrides("us-east-1:8")).toThrow(/bad Region override/);
  });
});
