// The certification engine end to end: the job services on the app side, two
// real worker processes, the real PostgreSQL and Redis, and the simulator
// reached over HTTP by the workers' AWS SDK clients.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cancelJob, pauseJob, previewJob, resumeJob, retryFailed, startCertificationJob } from "@/lib/certification/jobs";
import { parseProgress, progressStreamKey } from "@/lib/certification/events";
import { followJob } from "@/lib/certification/follow-job";
import { ServiceError } from "@/lib/errors";
import type { FaultRule } from "@/simulator/faults";
import { truncateAll } from "../helpers/db";
import { engineFixture, expectConsistent, loadCatalog, modelId, waitFor, waitForJob } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, type WorkerProcess } from "../helpers/worker";
import { QA } from "../helpers/actor";

const REGIONS = ["us-east-1", "us-east-2", "eu-west-1", "eu-central-1", "ap-northeast-1"];
const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const LLAMA = "meta.llama3-8b-instruct-v1:0"; // in-Region in us-east-1, not in eu-west-1
const TITAN_EMBED = "amazon.titan-embed-text-v2:0";
const COHERE_EMBED = "cohere.embed-english-v3";
const TITAN_IMAGE = "amazon.titan-image-generator-v2:0";
const REGION_CONCURRENCY = 2;

const fixture = engineFixture("engine");
const { db, prefix, queue, deps } = fixture;
const admin = { ...QA, email: "admin@example.com" };
let sim: TestSimulator;
let workers: WorkerProcess[] = [];

const faults = (...rules: FaultRule[]) => sim.simulator.setFaults({ rules });
const callsOf = (filter: { operation?: string; modelId?: string; region?: string; outcome?: string }) =>
  sim.simulator
    .stats()
    .calls.filter((c) => Object.entries(filter).every(([k, v]) => (c as Record<string, unknown>)[k] === v))
    .reduce((n, c) => n + c.count, 0);

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, REGIONS);
  const env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    BEDROCK_ENDPOINT: sim.url,
    QUEUE_PREFIX: prefix,
    REGION_CONCURRENCY: String(REGION_CONCURRENCY),
    WORKER_CONCURRENCY: "8",
    PAIR_PARALLEL_TESTS: "4",
  };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
}, 120_000);

afterAll(() => fixture.close(workers, sim));

beforeEach(() => sim.simulator.reset());

describe("job types", () => {
  it("SINGLE_MODEL: one pair, certified, counted and recorded once", async () => {
    const { id } = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["us-east-1"] });
    const job = await waitForJob(db, id);
    expect(job).toMatchObject({ status: "COMPLETED", totalModels: 1, processedModels: 1, successCount: 1, failureCount: 0, createdBy: "admin@example.com" });
    expect(job.startedAt).not.toBeNull();
    expect(job.duration).toBeGreaterThanOrEqual(0);
    const cell = await db.modelCertification.findFirstOrThrow({ where: { region: "us-east-1", model: { bedrockModelId: SONNET } } });
    expect(cell).toMatchObject({ status: "COMPLETED", passed: true, score: 100, rating: "EXCELLENT", jobId: id, errorCategory: null, createdBy: "admin@example.com" });
    const results = cell.testResults as { via: string; tests: { name: string; outcome: string }[] };
    expect(results.via).toBe("in-region");
    expect(results.tests.map((t) => t.name)).toEqual(["reachability", "exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "streaming", "usage", "latency"]);
    // The cell's speeds, kept in columns for the matrix, are its latency test's.
    const latency = (cell.testResults as { tests: { name: string; metrics?: Record<string, number> }[] }).tests.find((t) => t.name === "latency")!.metrics!;
    expect(latency.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(cell).toMatchObject({
      timeToFirstTokenMs: latency.timeToFirstTokenMs,
      tokensPerSecond: latency.tokensPerSecond ?? null,
      latencyMs: latency.p50LatencyMs ?? latency.maxLatencyMs,
      brokenCapabilities: null,
    });
    expect((await expectConsistent(db, id)).problems).toEqual([]);
  });

  it("MULTIPLE_MODELS: results match the injected faults; unavailable pairs finish without a battery", async () => {
    faults({ models: [LLAMA], regions: ["us-east-1"], wrongAnswerRate: 1 }, { models: [TITAN_EMBED], regions: ["eu-west-1"], accessDenied: true });
    const { id } = await startCertificationJob(deps, admin, { type: "MULTIPLE_MODELS", modelIds: [SONNET, LLAMA, TITAN_EMBED, TITAN_IMAGE], regions: ["us-east-1", "eu-west-1"] });
    const job = await waitForJob(db, id);
    const cells = await db.modelCertification.findMany({ where: { jobId: id }, include: { model: true } });
    const cell = (m: string, r: string) => cells.find((c) => c.model.bedrockModelId === m && c.region === r)!;

    // A wrong-answer model fails the checks that compare answers, as WRONG_ANSWER.
    const llama = cell(LLAMA, "us-east-1");
    expect(llama).toMatchObject({ status: "FAILED", passed: false, errorCategory: "WRONG_ANSWER", rating: "POOR" });
    const tests = (llama.testResults as { tests: { name: string; outcome: string }[] }).tests;
    // It answered (the model is reachable), wrongly: the nonce came back garbled.
    expect(tests.find((t) => t.name === "reachability")?.outcome).toBe("failed");
    expect(tests.find((t) => t.name === "exact_instruction")?.outcome).toBe("failed");
    expect(tests.find((t) => t.name === "tool_use")?.outcome).toBe("skipped"); // Llama 3 8B has no tool use
    expect(llama.errorMessage).toMatch(/^Failed: reachability, exact_instruction/);

    // Access denied: found by GetFoundationModelAvailability, no model call made.
    expect(cell(TITAN_EMBED, "eu-west-1")).toMatchObject({ status: "FAILED", errorCategory: "ACCESS_DENIED", score: 0 });
    expect(callsOf({ operation: "InvokeModel", modelId: TITAN_EMBED, region: "eu-west-1" })).toBe(0);

    // Not offered (the catalog sync knows): not a failure, and no call of any kind for the pair.
    expect(cell(LLAMA, "eu-west-1")).toMatchObject({ status: "COMPLETED", passed: null, score: null, rating: null, availability: "NOT_OFFERED", errorCategory: "NOT_OFFERED_IN_REGION" });
    expect(cell(TITAN_IMAGE, "eu-west-1")).toMatchObject({ status: "COMPLETED", passed: null, availability: "NOT_OFFERED" });
    expect(sim.simulator.stats().calls.filter((c) => c.region === "eu-west-1" && (c.modelId === LLAMA || c.modelId === TITAN_IMAGE))).toEqual([]);

    // Profile-only without "certify through profiles": not tried, saying which profile.
    expect(cell(SONNET, "eu-west-1")).toMatchObject({ status: "COMPLETED", passed: null, availability: "PROFILE_ONLY", errorCategory: "INFERENCE_PROFILE_REQUIRED" });
    expect(cell(SONNET, "eu-west-1").errorMessage).toContain(`eu.${SONNET}`);

    expect(cell(TITAN_EMBED, "us-east-1")).toMatchObject({ status: "COMPLETED", passed: true, availability: "IN_REGION" });
    expect(cell(TITAN_IMAGE, "us-east-1")).toMatchObject({ status: "COMPLETED", passed: true });
    expect(job).toMatchObject({ status: "COMPLETED", totalModels: 8, processedModels: 8, successCount: 3, failureCount: 2, notOfferedCount: 2, profileOnlyCount: 1 });
    expect((await expectConsistent(db, id)).problems).toEqual([]);
  });

  it("profile-only pairs certify through their inference profile when the config asks", async () => {
    const { id } = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["eu-west-1"], config: { useInferenceProfiles: true } });
    await waitForJob(db, id);
    const cell = await db.modelCertification.findFirstOrThrow({ where: { region: "eu-west-1", model: { bedrockModelId: SONNET } } });
    expect(cell).toMatchObject({ status: "COMPLETED", passed: true });
    expect(cell.testResults).toMatchObject({ via: "inference-profile", invokedId: `eu.${SONNET}` });
    expect(callsOf({ operation: "Converse", modelId: `eu.${SONNET}`, region: "eu-west-1", outcome: "ok" })).toBeGreaterThan(0);
  });

  it("routing truth: a geo profile listed as legacy beside a live global one is certified through the global one", async () => {
    const SONNET_4 = "anthropic.claude-sonnet-4-20250514-v1:0";
    const { id } = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [SONNET_4], regions: ["us-east-2"], config: { useInferenceProfiles: true, tests: ["reachability"] } });
    expect(await waitForJob(db, id)).toMatchObject({ successCount: 1, legacyCount: 0 });
    const cell = await db.modelCertification.findFirstOrThrow({ where: { region: "us-east-2", model: { bedrockModelId: SONNET_4 } } });
    expect(cell).toMatchObject({ passed: true, availability: "PROFILE_ONLY" });
    expect(cell.testResults).toMatchObject({ via: "inference-profile", invokedId: `global.${SONNET_4}` });
    expect(callsOf({ operation: "Converse", modelId: `us.${SONNET_4}`, region: "us-east-2" })).toBe(0);
  });

  it("ALL_MODELS: counters by availability as announced; no model call for pairs not offered, legacy or without a battery", async () => {
    const enabled = await db.aIModel.count({ where: { enabled: true, bedrockModelId: { not: null } } });
    const input = { type: "ALL_MODELS", regions: ["us-east-1", "eu-west-1"], config: { tests: ["reachability", "exact_instruction"] } } as const;
    const announced = await previewJob(deps, input);
    const { id } = await startCertificationJob(deps, admin, input);
    const job = await waitForJob(db, id, undefined, 120_000);
    expect(job.totalModels).toBe(enabled * 2);
    expect(job.processedModels).toBe(enabled * 2);
    // What the start dialog announced is what the job shows.
    expect(announced).toMatchObject({ total: job.totalModels, notOffered: job.notOfferedCount, profileOnly: job.profileOnlyCount, legacy: job.legacyCount, unsupported: job.unsupportedCount });
    expect(job.successCount + job.failureCount).toBe(announced.toCertify);
    expect(job.notOfferedCount).toBeGreaterThan(0);
    expect(job.profileOnlyCount).toBeGreaterThan(0);
    expect(job.legacyCount).toBeGreaterThan(0);
    expect(job.unsupportedCount).toBeGreaterThan(0);
    expect(job.successCount).toBeGreaterThan(0);
    expect(job.status).toBe("COMPLETED");

    // Not tried = not a single call, of any operation, for that model in that Region.
    const pairs = await db.certificationJobPair.findMany({ where: { jobId: id }, include: { job: false } });
    const models = new Map((await db.aIModel.findMany({ select: { id: true, bedrockModelId: true } })).map((m) => [m.id, m.bedrockModelId!]));
    const calls = sim.simulator.stats().calls;
    const notTried = pairs.filter((p) => p.passed === null);
    expect(notTried.length).toBe(job.notOfferedCount + job.profileOnlyCount + job.legacyCount + job.unsupportedCount);
    const called = notTried.filter((p) => calls.some((c) => c.region === p.region && c.modelId?.endsWith(models.get(p.modelId)!)));
    expect(called.map((p) => `${models.get(p.modelId)} ${p.region} ${p.availability}`)).toEqual([]);
    // Red only where the model is offered: no failed pair the catalog has as not offered, legacy or profile-only.
    const records = await db.modelRegionAvailability.findMany({ where: { region: { in: [...input.regions] } } });
    const record = (p: { modelId: string; region: string }) => records.find((r) => r.modelId === p.modelId && r.region === p.region);
    expect(pairs.filter((p) => p.status === "FAILED" && (record(p)?.availability !== "IN_REGION" || record(p)?.legacy)).map((p) => `${models.get(p.modelId)} ${p.region}`)).toEqual([]);
    const cells = await db.modelCertification.findMany({ where: { jobId: id } });
    expect(cells.length).toBe(enabled * 2);
    // Rerank, video and speech models: certified, or "not certifiable yet" (speech), never failed.
    const kinds = await db.aIModel.findMany({
      where: { OR: [{ bedrockModelId: { contains: "rerank" } }, { bedrockModelId: { contains: "reel" } }, { bedrockModelId: { contains: "sonic" } }] },
      select: { id: true, bedrockModelId: true },
    });
    const special = cells.filter((c) => kinds.some((k) => k.id === c.modelId));
    expect(special.filter((c) => c.availability === "IN_REGION" && c.passed === true).length).toBeGreaterThan(0);
    expect(special.filter((c) => c.status === "FAILED")).toEqual([]);
    expect(special.filter((c) => c.availability === "UNSUPPORTED").every((c) => kinds.find((k) => k.id === c.modelId)!.bedrockModelId!.includes("sonic") && /HTTP\/2/.test(c.errorMessage ?? ""))).toBe(
      true,
    );
    expect(cells.filter((c) => c.passed === null && c.status === "COMPLETED").length).toBe(notTried.length);
    expect((await expectConsistent(db, id)).problems).toEqual([]);
  });

  it("a job whose every pair is not offered ends at once, with no queue work", async () => {
    const { id } = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [LLAMA], regions: ["eu-west-1"] });
    const job = await db.certificationJob.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "COMPLETED", totalModels: 1, processedModels: 1, notOfferedCount: 1, successCount: 0, failureCount: 0 });
    expect(await queue.getJobCounts("waiting", "active", "delayed")).toEqual({ waiting: 0, active: 0, delayed: 0 });
    expect((await expectConsistent(db, id)).problems).toEqual([]);
  });

  it("confirmAvailability: a pair the catalog has as not offered but AWS says is available is certified, as catalog drift", async () => {
    // The catalog sync's record says not offered; the simulator (AWS) offers it.
    const titan = await modelId(db, TITAN_EMBED);
    await db.modelRegionAvailability.update({ where: { modelId_region: { modelId: titan, region: "us-east-1" } }, data: { availability: "NOT_OFFERED" } });
    try {
      const skipped = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [TITAN_EMBED], regions: ["us-east-1"] });
      expect(await db.certificationJob.findUniqueOrThrow({ where: { id: skipped.id } })).toMatchObject({ notOfferedCount: 1 });
      const confirmed = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [TITAN_EMBED], regions: ["us-east-1"], config: { confirmAvailability: true } });
      expect(await waitForJob(db, confirmed.id)).toMatchObject({ status: "COMPLETED", successCount: 1, notOfferedCount: 0 });
      const cell = await db.modelCertification.findFirstOrThrow({ where: { modelId: titan, region: "us-east-1" } });
      expect(cell).toMatchObject({ passed: true, availability: "IN_REGION" });
      expect((cell.testResults as { drift?: string }).drift).toMatch(/not offered.*available/);
      // Confirmed and truly not offered: still not a failure.
      const llama = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [LLAMA], regions: ["eu-west-1"], config: { confirmAvailability: true } });
      expect(await waitForJob(db, llama.id)).toMatchObject({ status: "COMPLETED", notOfferedCount: 1, failureCount: 0 });
    } finally {
      await db.modelRegionAvailability.update({ where: { modelId_region: { modelId: titan, region: "us-east-1" } }, data: { availability: "IN_REGION" } });
    }
  });

  it("RECERTIFY: the failed cells, a chosen set, and the stale ones", async () => {
    // Failed cells of its own: a wrong-answer fault on two offered pairs.
    faults({ models: [TITAN_EMBED, COHERE_EMBED], regions: ["eu-west-1"], wrongAnswerRate: 1 });
    const failing = await startCertificationJob(deps, admin, { type: "MULTIPLE_MODELS", modelIds: [TITAN_EMBED, COHERE_EMBED], regions: ["eu-west-1"] });
    expect(await waitForJob(db, failing.id)).toMatchObject({ failureCount: 2 });
    sim.simulator.reset();
    const failedBefore = await db.modelCertification.count({ where: { region: "eu-west-1", status: "FAILED" } });
    expect(failedBefore).toBeGreaterThanOrEqual(2);
    const failed = await startCertificationJob(deps, admin, { type: "RECERTIFY", recertify: { mode: "failed" }, regions: ["eu-west-1"] });
    expect(await waitForJob(db, failed.id)).toMatchObject({ totalModels: failedBefore, processedModels: failedBefore });

    const chosen = await startCertificationJob(deps, admin, {
      type: "RECERTIFY",
      recertify: {
        mode: "pairs",
        pairs: [
          { modelId: TITAN_EMBED, region: "us-east-1" },
          { modelId: await modelId(db, SONNET), region: "us-east-1" },
        ],
      },
    });
    expect(await waitForJob(db, chosen.id)).toMatchObject({ status: "COMPLETED", totalModels: 2, successCount: 2 });

    await new Promise((r) => setTimeout(r, 1_200));
    const stale = await startCertificationJob(deps, admin, { type: "RECERTIFY", recertify: { mode: "stale", olderThanHours: 0.0003 }, regions: ["us-east-1"], modelIds: [TITAN_EMBED, SONNET] });
    expect(await waitForJob(db, stale.id)).toMatchObject({ status: "COMPLETED", totalModels: 2 });
    for (const id of [failed.id, chosen.id, stale.id]) expect((await expectConsistent(db, id)).problems).toEqual([]);
  });
});

describe("input validation writes nothing", () => {
  const reject = async (input: unknown) => {
    const before = await db.certificationJob.count();
    const err = await startCertificationJob(deps, admin, input).then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ServiceError);
    expect(await db.certificationJob.count()).toBe(before);
    return err as ServiceError;
  };

  it("names the field and the reason", async () => {
    expect((await reject({ type: "MULTIPLE_MODELS", modelIds: ["no.such-model"], regions: ["us-east-1"] })).fields).toEqual([{ field: "modelIds.0", reason: 'unknown model "no.such-model"' }]);
    expect((await reject({ type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["xx-nowhere-9"] })).fields).toEqual([{ field: "regions.0", reason: 'unknown Region "xx-nowhere-9"' }]);
    expect((await reject({ type: "SINGLE_MODEL", modelIds: [SONNET], regions: [] })).fields[0]).toMatchObject({ field: "regions" });
    expect((await reject({ type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["us-east-1"], config: { thresholds: { passScore: 140 } } })).fields[0]).toMatchObject({
      field: "config.thresholds.passScore",
    });
    expect((await reject({ type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["us-east-1"], config: { tests: ["telepathy"] } })).fields[0]).toMatchObject({ field: "config.tests.0" });
    expect((await reject({ type: "EVERYTHING", regions: ["us-east-1"] })).fields[0]).toMatchObject({ field: "type" });
    expect((await reject({ type: "MULTIPLE_MODELS", modelIds: Array.from({ length: 501 }, (_, i) => `m${i}`), regions: ["us-east-1"] })).fields[0]).toMatchObject({
      field: "modelIds",
      reason: "at most 500 models",
    });
  });

  it("refuses disabled models and Regions", async () => {
    await db.region.update({ where: { code: "ap-northeast-1" }, data: { enabled: false } });
    await db.aIModel.update({ where: { bedrockModelId: COHERE_EMBED }, data: { enabled: false } });
    try {
      expect((await reject({ type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["ap-northeast-1"] })).fields[0]!.reason).toBe('Region "ap-northeast-1" is disabled');
      expect((await reject({ type: "SINGLE_MODEL", modelIds: [COHERE_EMBED], regions: ["us-east-1"] })).fields[0]!.reason).toBe(`model "${COHERE_EMBED}" is disabled`);
    } finally {
      await db.region.update({ where: { code: "ap-northeast-1" }, data: { enabled: true } });
      await db.aIModel.update({ where: { bedrockModelId: COHERE_EMBED }, data: { enabled: true } });
    }
  });

  it("the same Idempotency-Key gives the same job", async () => {
    const a = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [TITAN_EMBED], regions: ["us-east-2"] }, { idempotencyKey: "key-1" });
    const b = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [TITAN_EMBED], regions: ["us-east-2"] }, { idempotencyKey: "key-1" });
    expect(b).toEqual({ id: a.id, created: false });
    await waitForJob(db, a.id);
    expect(await db.certificationJob.count({ where: { idempotencyKey: "key-1" } })).toBe(1);
  });
});

describe("control", () => {
  const slow = (ms: number): FaultRule => ({ latency: { firstTokenMs: ms } });

  it("pause: no new pair starts, running ones finish; resume completes it", async () => {
    faults(slow(300));
    // Seven pairs in one Region, two at a time: pausing after the first start leaves most to do.
    const modelIds = [TITAN_EMBED, COHERE_EMBED, TITAN_IMAGE, SONNET, LLAMA, "amazon.nova-micro-v1:0", "mistral.mistral-7b-instruct-v0:2"];
    const { id } = await startCertificationJob(deps, admin, { type: "MULTIPLE_MODELS", modelIds, regions: ["us-east-1"], config: { tests: ["reachability"] } });
    await waitFor("a pair to start", async () => (await db.certificationJobPair.count({ where: { jobId: id, status: "PROCESSING" } })) > 0);
    await pauseJob(deps, admin, id);
    await waitFor("running pairs to finish", async () => (await db.certificationJobPair.count({ where: { jobId: id, status: "PROCESSING" } })) === 0);
    const paused = await db.certificationJob.findUniqueOrThrow({ where: { id } });
    expect(paused.status).toBe("PAUSED");
    expect(paused.processedModels).toBeLessThan(7);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await db.certificationJob.findUniqueOrThrow({ where: { id } })).processedModels).toBe(paused.processedModels);
    expect(
      await pauseJob(deps, admin, id).then(
        () => null,
        (e) => e.code,
      ),
    ).toBe("CONFLICT");

    await resumeJob(deps, admin, id);
    expect(await waitForJob(db, id)).toMatchObject({ status: "COMPLETED", processedModels: 7 });
    expect((await expectConsistent(db, id)).problems).toEqual([]);
    expect(
      await resumeJob(deps, admin, id).then(
        () => null,
        (e) => e.code,
      ),
    ).toBe("CONFLICT");
  });

  it("cancel: pending pairs removed, running ones aborted down to the SDK call, cells CANCELLED", async () => {
    faults(slow(20_000));
    const { id } = await startCertificationJob(deps, admin, { type: "MULTIPLE_MODELS", modelIds: [SONNET, TITAN_EMBED, TITAN_IMAGE], regions: ["us-east-1", "us-east-2"] });
    await waitFor("pairs to be calling Bedrock", async () => sim.simulator.stats().inFlight["us-east-1"]! > 0 && sim.simulator.stats().inFlight["us-east-2"]! > 0);
    const started = Date.now();
    await cancelJob(deps, admin, id);
    const job = await waitFor("every pair to end", async () => {
      const j = await db.certificationJob.findUniqueOrThrow({ where: { id } });
      return j.cancelledCount + j.processedModels === j.totalModels ? j : null;
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(job.status).toBe("CANCELLED");
    expect(job.cancelledCount).toBeGreaterThan(0);
    // The in-flight SDK calls were aborted, not waited for.
    await waitFor("the simulator to see the aborts", async () => callsOf({ outcome: "client-aborted" }) > 0);
    expect(sim.simulator.stats().inFlight["us-east-1"]).toBe(0);
    const cells = await db.modelCertification.findMany({ where: { jobId: id } });
    expect(cells.filter((c) => c.status === "CANCELLED").length).toBe(job.cancelledCount);
    expect(cells.every((c) => ["CANCELLED", "FAILED", "COMPLETED"].includes(c.status))).toBe(true);
    expect((await expectConsistent(db, id)).problems).toEqual([]);
    expect(
      await cancelJob(deps, admin, id).then(
        () => null,
        (e) => e.code,
      ),
    ).toBe("CONFLICT");
  });

  it("retry failed: runs the failed pairs again, as a new round", async () => {
    faults({ models: [COHERE_EMBED], wrongAnswerRate: 1 });
    const { id } = await startCertificationJob(deps, admin, { type: "MULTIPLE_MODELS", modelIds: [TITAN_EMBED, COHERE_EMBED], regions: ["us-east-1", "eu-west-1"] });
    const first = await waitForJob(db, id);
    expect(first).toMatchObject({ status: "COMPLETED", successCount: 2, failureCount: 2 });
    expect(
      await retryFailed(deps, admin, "no-such-job").then(
        () => null,
        (e) => e.code,
      ),
    ).toBe("NOT_FOUND");

    faults();
    expect(await retryFailed(deps, admin, id)).toEqual({ retried: 2 });
    const second = await waitForJob(db, id);
    expect(second).toMatchObject({ status: "COMPLETED", processedModels: 4, successCount: 4, failureCount: 0 });
    const pairs = await db.certificationJobPair.findMany({ where: { jobId: id } });
    expect(pairs.filter((p) => p.round === 1)).toHaveLength(2);
    expect((await expectConsistent(db, id)).problems).toEqual([]);
    expect(
      await retryFailed(deps, admin, id).then(
        () => null,
        (e) => e.message,
      ),
    ).toBe("This job has no failed pairs to retry");
  });
});

describe("npm run certify", () => {
  // Asynchronous: the simulator runs in this process and must keep answering.
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/certify.ts", ...args], {
        env: { ...process.env, QUEUE_PREFIX: prefix, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });

  it("starts a job, follows it live to the end", async () => {
    const out = await cli(["--models", `${TITAN_EMBED},${SONNET}`, "--regions", "us-east-1", "--as", "qa@example.com"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/Job \S+: MULTIPLE_MODELS, 2 pair\(s\)/);
    // Where to watch it in the console.
    expect(out.stdout).toMatch(/Watch it at http:\/\/\S+\/jobs\/\S+/);
    expect(out.stdout).toContain(`us-east-1       ${TITAN_EMBED}  COMPLETED 100`);
    expect(out.stdout).toMatch(/Job \S+ COMPLETED: 2 passed, 0 failed, 0 not tried \(0 not offered, 0 profile only, 0 legacy, 0 not certifiable yet\), 0 cancelled of 2\./);
    // A change from the command line is audited like one from the API: as the operator, via the CLI.
    const jobId = /Job (\S+):/.exec(out.stdout)![1]!;
    expect(await db.auditEntry.findFirst({ where: { action: "job.create", target: jobId } })).toMatchObject({ actorEmail: "qa@example.com", via: "cli" });
  });

  it("shows every pair, even when the event that ends the job comes first, and those settled at the start", async () => {
    faults({ models: [TITAN_EMBED], regions: ["eu-west-1"], accessDenied: true });
    const { id } = await startCertificationJob(deps, admin, { type: "MULTIPLE_MODELS", modelIds: [TITAN_EMBED, SONNET], regions: ["us-east-1", "eu-west-1"] });
    await waitForJob(db, id);
    // The job's real events, from the progress stream, newest first: the one
    // that ended the job arrives before the pairs that finished with it.
    const pairEvents = async () => {
      const entries = (await fixture.redis.xrange(progressStreamKey(prefix), "-", "+")) as [string, string[]][];
      return entries.map(([, fields]) => parseProgress(fields[1]!)!).filter((e) => e.jobId === id && e.type === "pair");
    };
    // Three: Sonnet is profile only in eu-west-1, settled when the job was created.
    const events = await waitFor("the job's three pair events", async () => {
      const found = await pairEvents();
      return found.length === 3 && found;
    });
    const lines: string[] = [];
    const follower = await followJob(db, id, (line) => lines.push(line));
    const ends = [];
    for (const event of events.reverse()) ends.push(await follower.take(event));
    expect(ends).toEqual([true, true, true]);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/\[4\/4\]$/);
    for (const shown of [`us-east-1       ${TITAN_EMBED}  COMPLETED 100   `, `us-east-1       ${SONNET}  COMPLETED 100   `, `eu-west-1       ${TITAN_EMBED}  FAILED 0 ACCESS_DENIED   `])
      expect(lines.filter((l) => l.startsWith(`  ${shown}`))).toHaveLength(1);
    // The pair settled at the start (no worker, no event) is shown too, as not tried.
    expect(lines[3]).toBe(`  eu-west-1       ${SONNET}  not tried: profile only   (settled at the start)`);
    expect(lines[4]).toBe(`Job ${id} COMPLETED: 2 passed, 1 failed, 1 not tried (0 not offered, 1 profile only, 0 legacy, 0 not certifiable yet), 0 cancelled of 4.`);
  });

  it("refuses bad input with the field and writes nothing", async () => {
    const before = await db.certificationJob.count();
    const out = await cli(["--models", "nope.model", "--regions", "us-east-1"]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('modelIds.0: unknown model "nope.model"');
    expect(await db.certificationJob.count()).toBe(before);
  });
});

describe("limits", () => {
  it("two worker processes never exceed a Region's concurrency together", async () => {
    faults({ latency: { firstTokenMs: 120 } });
    const models = await db.aIModel.findMany({
      where: { availability: { some: { region: "us-east-1", availability: "IN_REGION", legacy: false } }, outputModalities: { has: "Embedding" } },
      select: { bedrockModelId: true },
    });
    const texts = [SONNET, LLAMA, "mistral.mistral-7b-instruct-v0:2", "amazon.nova-micro-v1:0"];
    const { id } = await startCertificationJob(deps, admin, {
      type: "MULTIPLE_MODELS",
      modelIds: [...texts, ...models.map((m) => m.bedrockModelId!)],
      regions: ["us-east-1"],
      config: { tests: ["reachability", "exact_instruction"] },
    });
    const job = await waitForJob(db, id);
    expect(job.processedModels).toBeGreaterThanOrEqual(6);
    const peak = sim.simulator.stats().maxInFlight["us-east-1"];
    expect(peak).toBeLessThanOrEqual(REGION_CONCURRENCY);
    expect(peak).toBe(REGION_CONCURRENCY); // and the limit was used
  });

  it("a pair alone in its Region runs its tests side by side on the idle slot, never past the limit, with the same verdict and every call in its usage and latency", async () => {
    faults({ latency: { firstTokenMs: 150 } });
    const { id } = await startCertificationJob(deps, admin, { type: "SINGLE_MODEL", modelIds: [SONNET], regions: ["us-east-1"] });
    expect(await waitForJob(db, id)).toMatchObject({ status: "COMPLETED", successCount: 1 });
    // Its own slot and the Region's other one, borrowed (PAIR_PARALLEL_TESTS 4, the default).
    expect(sim.simulator.stats().maxInFlight["us-east-1"]).toBe(REGION_CONCURRENCY);
    const cell = await db.modelCertification.findFirstOrThrow({ where: { region: "us-east-1", model: { bedrockModelId: SONNET } } });
    expect(cell).toMatchObject({ status: "COMPLETED", passed: true, score: 100, rating: "EXCELLENT" });
    const tests = (cell.testResults as { tests: { name: string; outcome: string; detail: string; metrics?: Record<string, number> }[] }).tests;
    expect(tests.map((t) => [t.name, t.outcome])).toEqual(
      ["reachability", "exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "streaming", "usage", "latency"].map((name) => [name, "passed"]),
    );
    // usage and latency ran after every other test: they saw all the model's calls.
    const modelCalls = callsOf({ modelId: SONNET, region: "us-east-1", operation: "Converse" }) + callsOf({ modelId: SONNET, region: "us-east-1", operation: "ConverseStream" });
    expect(modelCalls).toBeGreaterThanOrEqual(8);
    expect(tests.find((t) => t.name === "usage")!.detail).toBe(`${modelCalls} usage reports add up`);
    expect(tests.find((t) => t.name === "latency")!.metrics!.timeToFirstTokenMs).toBeGreaterThanOrEqual(150);
  });

  it("a throttling storm (30% of calls): the job completes, throttles counted, no false failures", async () => {
    faults({ regions: ["us-east-2", "eu-central-1"], throttleRate: 0.3 });
    const { id } = await startCertificationJob(deps, admin, {
      type: "MULTIPLE_MODELS",
      modelIds: [TITAN_EMBED, "amazon.nova-micro-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
      regions: ["us-east-2", "eu-central-1"],
      config: { useInferenceProfiles: true, maxAttempts: 10, retryBaseDelayMs: 20 },
    });
    const job = await waitForJob(db, id, undefined, 120_000);
    const runs = await db.certificationRun.findMany({ where: { jobId: id } });
    const throttles = runs.reduce((n, r) => n + (r.testResults as { throttles: number }).throttles, 0);
    expect(throttles).toBeGreaterThan(5);
    expect(callsOf({ outcome: "ThrottlingException" })).toBe(throttles);
    expect(runs.filter((r) => r.errorCategory === "THROTTLED")).toEqual([]);
    expect(job).toMatchObject({ status: "COMPLETED", processedModels: 6, failureCount: 0, successCount: 6 });
  });
});
