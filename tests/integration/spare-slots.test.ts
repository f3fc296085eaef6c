// A pair's tests side by side on idle slots of its Region, against the real
// Redis: never on a slot a waiting pair needs, never past the Region's limit,
// results in the battery's order, the tests that read the others' calls after
// them all, every borrowed slot given back.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { runBattery, runTest, sampled } from "@/lib/certification/battery/harness";
import { CallFailed } from "@/lib/certification/bedrock-call";
import { certificationConfigSchema, TEXT_TESTS, type TestName } from "@/lib/certification/config";
import type { TestResult } from "@/lib/certification/results";
import { RegionLimiter } from "@/lib/limits/region-limiter";
import { spareSlots } from "@/lib/limits/spare-slots";
import { createRedisConnection } from "@/lib/redis";
import { waitFor } from "../helpers/engine";

const prefix = `{test-spare-${randomBytes(3).toString("hex")}}`;
const redis = createRedisConnection();
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

// (Polling every ten minutes: a registered waiter stays registered for the whole test.)
const limiterOf = (concurrency: number) => new RegionLimiter(redis, { prefix, leaseMs: 10_000, slotPollMs: 600_000, limitsFor: () => ({ concurrency, ratePerSecond: 0 }) });
const leases = (region: string) => redis.zcard(`${prefix}:region:${region}:leases`);
const config = certificationConfigSchema.parse({});
type Text = (typeof TEXT_TESTS)[number];
const LAST: Text[] = ["usage", "latency"];

// A text battery whose tests only count: how many run at once, which ended.
function countingTests(gate: Promise<void>) {
  const seen = { running: 0, peak: 0, ended: [] as TestName[], endedBeforeLast: [] as number[] };
  const result = (name: TestName): TestResult => ({ name, outcome: "passed", latencyMs: 1, detail: "" });
  const tests = Object.fromEntries(
    TEXT_TESTS.map((name) => [
      name,
      async () => {
        if (LAST.includes(name)) {
          seen.endedBeforeLast.push(seen.ended.length);
          return result(name);
        }
        seen.running++;
        seen.peak = Math.max(seen.peak, seen.running);
        if (name !== "reachability") await gate;
        seen.running--;
        seen.ended.push(name);
        return result(name);
      },
    ]),
  ) as Record<Text, () => Promise<TestResult>>;
  return { seen, tests };
}

// A Region of three slots, all held: the pair's and two others'.
async function fullRegion(region: string) {
  const limiter = limiterOf(3);
  for (const holder of ["pair", "other-1", "other-2"]) expect(await limiter.tryAcquireSlot(region, holder)).toBe(true);
  return limiter;
}

// The pair's battery started on its slot, its tests held at a gate until `open`.
function gatedBattery(limiter: RegionLimiter, region: string) {
  const pool = spareSlots(limiter, region, "pair", 10_000, 3);
  let open!: () => void;
  const { seen, tests } = countingTests(new Promise((resolve) => (open = resolve)));
  const results = runBattery(TEXT_TESTS, config, tests, "not reached", { spare: pool, last: LAST });
  return { pool, seen, results, open };
}

describe("spare slots", () => {
  it("a pair alone in its Region runs as many of its tests at once as it may hold slots (its own and three), within the Region's limit, and gives every borrowed slot back", async () => {
    const region = "r-alone-1";
    const limiter = limiterOf(6);
    expect(await limiter.tryAcquireSlot(region, "pair")).toBe(true);
    const { pool, seen, results, open } = gatedBattery(limiter, region);
    // Seven tests call the model after reachability: four at once, the pair's
    // own slot and three borrowed (the Region had five idle).
    await waitFor("four tests running", async () => seen.running === 4);
    expect(await leases(region)).toBe(4);
    open();
    const out = await results;

    expect(seen.peak).toBe(4);
    expect(out.map((r) => r.name)).toEqual([...TEXT_TESTS]); // the battery's order
    expect(seen.endedBeforeLast).toEqual([8, 8]); // usage and latency after every call
    await pool.close();
    expect(await leases(region)).toBe(1); // only the pair's own
    expect(pool.borrowedMs).toBeGreaterThan(0);
    expect(await pool.borrow()).toBeNull(); // closed: nothing more is lent
  });

  it("borrows only slots nobody waits for: with as many pairs waiting as free slots, the tests run one at a time", async () => {
    const region = "r-busy-1";
    const limiter = await fullRegion(region);
    // Two pairs find the Region full and wait (registered with their weight).
    expect(await limiter.tryAcquireSlot(region, "w/1", 5, "waiter-1")).toBe(false);
    expect(await limiter.tryAcquireSlot(region, "w/2", 0, "waiter-2")).toBe(false);
    await limiter.releaseSlot(region, "other-1");
    await limiter.releaseSlot(region, "other-2");
    expect(await leases(region)).toBe(1); // two slots free, two pairs waiting for them

    const pool = spareSlots(limiter, region, "pair", 10_000, 3);
    const { seen, tests } = countingTests(Promise.resolve());
    const out = await runBattery(TEXT_TESTS, config, tests, "not reached", { spare: pool, last: LAST });
    expect(seen.peak).toBe(1);
    expect(out.map((r) => r.name)).toEqual([...TEXT_TESTS]);
    expect(pool.borrowedMs).toBe(0);

    // One waiter gets its slot; one free slot is left for the other, still none to lend.
    expect(await limiter.tryAcquireSlot(region, "w/1", 5, "waiter-1")).toBe(true);
    expect(await pool.borrow()).toBeNull();
    // The last waiter served, the idle slot may be lent.
    expect(await limiter.tryAcquireSlot(region, "w/2", 0, "waiter-2")).toBe(true);
    expect(await leases(region)).toBe(3);
    expect(await pool.borrow()).toBeNull(); // (full)
    await limiter.releaseSlot(region, "w/2");
    const giveBack = await pool.borrow();
    expect(giveBack).not.toBeNull();
    expect(await leases(region)).toBe(3);
    await giveBack!();
    expect(await leases(region)).toBe(2);
    await pool.close();
  });

  it("a slot given back with nobody waiting is borrowed at once, in the middle of the pair's test", async () => {
    const region = "r-freed-1";
    const limiter = await fullRegion(region);
    const { pool, seen, results, open } = gatedBattery(limiter, region);
    await waitFor("the pair's first test running", async () => seen.running === 1);
    // No test of the pair ends (they wait on the gate): only the release can start another.
    await limiter.releaseSlot(region, "other-1");
    await waitFor("a second test on the freed slot", async () => seen.running === 2, 10_000);
    await limiter.releaseSlot(region, "other-2");
    await waitFor("a third", async () => seen.running === 3, 10_000);
    expect(await leases(region)).toBe(3);
    open();
    expect((await results).map((r) => r.name)).toEqual([...TEXT_TESTS]);
    expect(seen.peak).toBe(3);
    await pool.close();
    expect(await leases(region)).toBe(1);
  });

  it("a test's samples go side by side on an idle slot, else one after the other; a sample's error still ends the test, its slot given back", async () => {
    const region = "r-samples-1";
    const limiter = limiterOf(2);
    expect(await limiter.tryAcquireSlot(region, "pair")).toBe(true);
    const pool = spareSlots(limiter, region, "pair", 10_000, 3);
    const seen = { running: 0, peak: 0, calls: 0 };
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const body =
      (fail = false) =>
      async () => {
        seen.calls++;
        seen.running++;
        seen.peak = Math.max(seen.peak, seen.running);
        await gate;
        seen.running--;
        if (fail) throw new CallFailed({ category: "MODEL_ERROR", retryable: false, detail: "ModelErrorException", message: "the model failed" });
        return { passed: true, detail: "right", latencyMs: 5 };
      };

    // Two samples, one idle slot: both at once.
    const both = runTest("exact_instruction", sampled(2, body(), pool));
    await waitFor("two samples running", async () => seen.running === 2);
    expect(await leases(region)).toBe(2);
    open();
    expect(await both).toMatchObject({ outcome: "passed", metrics: { samples: 2, samplesAgreed: 2 } });
    expect(await leases(region)).toBe(1);

    // The Region full: three samples, one after another on the test's own slot.
    expect(await limiter.tryAcquireSlot(region, "other")).toBe(true);
    seen.peak = 0;
    expect(await runTest("two_turn", sampled(3, body(), pool))).toMatchObject({ outcome: "passed", metrics: { samples: 3, samplesAgreed: 3 } });
    expect(seen.peak).toBe(1);
    await limiter.releaseSlot(region, "other");

    // The sample on the borrowed slot (the first one asked for) fails at once,
    // while the one on the test's own slot still waits: the test is an error,
    // as if it had failed on its own slot, the slot is back, and the early
    // failure was no unhandled rejection (that would end a worker).
    let answer!: () => void;
    const slowAnswer = new Promise<void>((resolve) => (answer = resolve));
    let first = true;
    const oneFailsAtOnce = () => {
      if (!first) return slowAnswer.then(() => ({ passed: true, detail: "right", latencyMs: 5 }));
      first = false;
      return Promise.reject(new CallFailed({ category: "MODEL_ERROR", retryable: false, detail: "ModelErrorException", message: "the model failed" }));
    };
    const failed = runTest("system_prompt", sampled(2, oneFailsAtOnce, pool));
    // Its slot given back, its failure settled (Node reports unhandled rejections between turns):
    await waitFor("the failed sample's slot back", async () => (await leases(region)) === 1);
    await new Promise((resolve) => setImmediate(resolve));
    answer();
    expect(await failed).toMatchObject({ outcome: "error", errorCategory: "MODEL_ERROR" });
    await pool.close();
  });

  it("a battery that could not reach the model borrows nothing and runs nothing more", async () => {
    const region = "r-unreached-1";
    const limiter = limiterOf(4);
    expect(await limiter.tryAcquireSlot(region, "pair")).toBe(true);
    const pool = spareSlots(limiter, region, "pair", 10_000, 3);
    const { tests } = countingTests(Promise.resolve());
    tests.reachability = async () => ({ name: "reachability", outcome: "error", latencyMs: null, detail: "no route", errorCategory: "NETWORK" });
    const out = await runBattery(TEXT_TESTS, config, tests, "not reached", { spare: pool, last: LAST });
    expect(out.map((r) => [r.name, r.outcome])).toEqual(TEXT_TESTS.map((name) => [name, name === "reachability" ? "error" : "skipped"]));
    expect(pool.borrowedMs).toBe(0);
    expect(await leases(region)).toBe(1);
    await pool.close();
  });
});
