// A verdict cannot lie: the simulator's content faults, on pairs nobody
// chose by hand (every offered text model of two Regions), through real
// workers. A pair that got a wrong answer is never EXCELLENT or GOOD; a
// capability that never works is named and caps the rating.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCertificationJob } from "@/lib/certification/jobs";
import { modelKind } from "@/lib/catalog/model-kind";
import type { TestResults } from "@/lib/certification/results";
import type { FaultRule } from "@/simulator/faults";
import { truncateAll } from "../helpers/db";
import { engineFixture, expectConsistent, loadCatalog, waitForJob } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, type WorkerProcess } from "../helpers/worker";
import { QA } from "../helpers/actor";

const REGIONS = ["us-east-1", "us-west-2"];
// Larger runs for the figures (docs/certification.md): VERDICTS_SCALE=full
// certifies every offered text model of both Regions in each scenario.
const FULL = process.env.VERDICTS_SCALE === "full";
// At full scale the storm runs over every model of five Regions (200+ tried pairs).
const STORM_REGIONS = FULL ? ["us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1"] : REGIONS;
const fixture = engineFixture("verdicts");
const { db, prefix, deps } = fixture;
let sim: TestSimulator;
let workers: WorkerProcess[] = [];
// Text models offered (not legacy) in both Regions, as the catalog sync found them.
let textModels: { id: string; bedrockModelId: string; streaming: boolean | null }[] = [];

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, STORM_REGIONS);
  const offered = await db.aIModel.findMany({
    where: { enabled: true, lifecycle: "ACTIVE", availability: { some: { region: REGIONS[0], availability: "IN_REGION", legacy: false } } },
    include: { availability: true },
    orderBy: { bedrockModelId: "asc" },
  });
  textModels = offered
    .filter((m) => m.bedrockModelId && modelKind(m) === "text" && REGIONS.every((r) => m.availability.some((a) => a.region === r && a.availability === "IN_REGION" && !a.legacy)))
    .map((m) => ({ id: m.id, bedrockModelId: m.bedrockModelId!, streaming: m.streaming }));
  const env = { DATABASE_URL: process.env.DATABASE_URL!, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix, REGION_CONCURRENCY: "4", WORKER_CONCURRENCY: "8" };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
}, 120_000);

afterAll(() => fixture.close(workers, sim));

beforeEach(() => sim.simulator.reset());

async function certify(rules: FaultRule[], models = textModels, config: Record<string, unknown> = {}) {
  sim.simulator.setFaults({ rules });
  const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: models.map((m) => m.bedrockModelId), regions: REGIONS, config });
  await waitForJob(db, id, undefined, FULL ? 600_000 : 120_000);
  expect((await expectConsistent(db, id)).problems).toEqual([]);
  const cells = await db.modelCertification.findMany({ where: { jobId: id }, include: { model: { select: { bedrockModelId: true } } } });
  // (Every model here has a Bedrock id: the job only takes such models.)
  return cells.map((c) => ({ ...c, model: { bedrockModelId: c.model.bedrockModelId! }, results: c.testResults as TestResults }));
}

// Every model of some Regions (ALL_MODELS): pairs not offered are settled, the rest tried.
async function certifyAll(rules: FaultRule[], regions: string[], config: Record<string, unknown>) {
  sim.simulator.setFaults({ rules });
  const { id } = await startCertificationJob(deps, QA, { type: "ALL_MODELS", regions, config });
  await waitForJob(db, id, undefined, 900_000);
  expect((await expectConsistent(db, id)).problems).toEqual([]);
  const cells = await db.modelCertification.findMany({ where: { jobId: id }, include: { model: { select: { bedrockModelId: true } } } });
  return cells.map((c) => ({ ...c, model: { bedrockModelId: c.model.bedrockModelId! }, results: c.testResults as TestResults }));
}

const distorted = (kind: string, modelId: string, region: string) =>
  sim.simulator
    .stats()
    .calls.filter((c) => c.outcome === kind && c.modelId === modelId && c.region === region)
    .reduce((n, c) => n + c.count, 0);

describe("throttling is not a failure", { timeout: 900_000 }, () => {
  it("a 40% throttling storm: pairs whose calls run out of attempts go back to the queue; none fails THROTTLED, every throttle counted", async () => {
    // Three attempts a call: about one pair in three runs out at least once.
    const config = { maxAttempts: 3, retryBaseDelayMs: 10, tests: ["reachability", "exact_instruction", "json_output"] };
    const cells = FULL ? await certifyAll([{ throttleRate: 0.4 }], STORM_REGIONS, config) : await certify([{ throttleRate: 0.4 }], textModels.slice(0, 6), config);
    console.log(`throttling storm: ${cells.filter((c) => c.passed !== null).length} pairs tried, ${cells.filter((c) => c.errorCategory === "THROTTLED").length} THROTTLED`);
    expect(workers.some((w) => w.output().includes("pair throttled out: back to the queue"))).toBe(true);
    expect(cells.filter((c) => c.errorCategory === "THROTTLED").map((c) => `${c.model.bedrockModelId} ${c.region}`)).toEqual([]);
    expect(cells.filter((c) => c.passed !== null).every((c) => c.passed)).toBe(true);
    const throttles = cells.reduce((n, c) => n + c.results.throttles, 0);
    expect(throttles).toBeGreaterThan(10);
    expect(
      sim.simulator
        .stats()
        .calls.filter((c) => c.outcome === "ThrottlingException")
        .reduce((n, c) => n + c.count, 0),
    ).toBe(throttles);
  });

  it("a Region that keeps throttling past the budget ends its pairs THROTTLED, saying so", async () => {
    const cells = await certify([{ regions: ["us-west-2"], throttleRate: 1 }], textModels.slice(0, 1), { maxAttempts: 1, retryBaseDelayMs: 0, throttleRequeues: 1, tests: ["reachability"] });
    const west = cells.find((c) => c.region === "us-west-2")!;
    expect(west).toMatchObject({ status: "FAILED", errorCategory: "THROTTLED" });
    expect(west.errorMessage).toMatch(/kept throttling: the pair went back to the queue 1 times/);
    expect(cells.find((c) => c.region === "us-east-1")).toMatchObject({ passed: true });
  });
});

describe("content faults end in the right verdict", { timeout: 900_000 }, () => {
  it("wrong answers 30% of the time: every pair that got one has a failed test and is neither EXCELLENT nor GOOD", async () => {
    expect(textModels.length).toBeGreaterThanOrEqual(8);
    const cells = await certify([{ operations: ["Converse", "ConverseStream"], wrongAnswerRate: 0.3 }]);
    const hit = cells.filter((c) => distorted("wrong_answer", c.model.bedrockModelId, c.region) > 0);
    console.log(`wrong answers: ${cells.length} pairs, ${hit.length} got one, ${hit.filter((c) => c.rating === "EXCELLENT").length} EXCELLENT, ${hit.filter((c) => c.rating === "GOOD").length} GOOD`);
    // The fault did land on most pairs (each asks about 15 times).
    expect(hit.length).toBeGreaterThan(cells.length / 2);
    for (const c of hit) {
      const what = `${c.model.bedrockModelId} in ${c.region}`;
      expect(
        c.results.tests.some((t) => t.outcome === "failed"),
        what,
      ).toBe(true);
      expect(["EXCELLENT", "GOOD"], what).not.toContain(c.rating);
    }
    // And pairs that got none are not marked down.
    for (const c of cells.filter((x) => !hit.includes(x))) expect(c.rating, `${c.model.bedrockModelId} in ${c.region}`).toBe("EXCELLENT");
  });

  it("JSON that never parses: JSON output broken on every pair, named, never GOOD", async () => {
    const cells = await certify([{ malformedJsonRate: 1 }], FULL ? textModels : textModels.slice(0, 4));
    for (const c of cells) {
      expect(c.results.capabilities?.json, c.model.bedrockModelId).toBe("broken");
      // What the matrix marks, from the cell's own column.
      expect(c.brokenCapabilities?.split(","), c.model.bedrockModelId).toContain("json");
      expect(["EXCELLENT", "GOOD"]).not.toContain(c.rating);
      if (c.passed) expect(c.errorMessage).toMatch(/^Certified except JSON output/);
    }
  });

  it("streams that always fail mid-way, or stall: streaming broken and named, never GOOD", async () => {
    const streaming = textModels.filter((m) => m.streaming !== false).slice(0, FULL ? undefined : 3);
    const failing = await certify([{ operations: ["ConverseStream"], streamErrorRate: 1 }], streaming);
    const stalled = await certify([{ operations: ["ConverseStream"], streamStallRate: 1, streamStallMs: 1_500 }], streaming, { thresholds: { maxTimeToFirstTokenMs: 1_000 } });
    for (const c of [...failing, ...stalled]) {
      expect(c.results.capabilities?.streaming, c.model.bedrockModelId).toBe("broken");
      expect(c.brokenCapabilities?.split(","), c.model.bedrockModelId).toContain("streaming");
      expect(["EXCELLENT", "GOOD"]).not.toContain(c.rating);
      if (c.passed) expect(c.errorMessage).toMatch(/^Certified except streaming/);
    }
    expect(stalled.every((c) => /stalled \d+ ms/.test(c.results.tests.find((t) => t.name === "streaming")!.detail))).toBe(true);
  });
});
