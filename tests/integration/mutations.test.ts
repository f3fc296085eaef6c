// The mutation table: for every test of every battery, the simulator answers
// that test (and only that test) wrongly, and the test must fail; for every
// fault the simulator has, the pair's verdict must be the right one. No fault
// may produce a false pass. Real worker, real PostgreSQL and Redis, the
// simulator through the AWS SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCertificationJob } from "@/lib/certification/jobs";
import { EMBEDDING_TESTS, IMAGE_TESTS, RERANK_TESTS, TEXT_TESTS, VIDEO_TESTS } from "@/lib/certification/config";
import type { TestResults } from "@/lib/certification/results";
import type { FaultRule } from "@/simulator/faults";
import { truncateAll } from "../helpers/db";
import { engineFixture, expectConsistent, loadCatalog, waitForJob } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, type WorkerProcess } from "../helpers/worker";
import { QA } from "../helpers/actor";

const REGION = "us-east-1";
const TEXT = "anthropic.claude-3-5-sonnet-20240620-v1:0"; // tools, system prompts, streaming
const EMBEDDING = "amazon.titan-embed-text-v2:0";
const IMAGE = "amazon.titan-image-generator-v2:0";
const RERANK = "cohere.rerank-v3-5:0";
const VIDEO = "amazon.nova-reel-v1:0";
const CALL_TIMEOUT_MS = 1_500;

const fixture = engineFixture("mutations");
const { db, prefix, deps } = fixture;
let sim: TestSimulator;
let worker: WorkerProcess;

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, [REGION]);
  worker = await startWorker({ DATABASE_URL: process.env.DATABASE_URL!, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix, BEDROCK_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS) });
}, 120_000);

afterAll(() => fixture.close([worker], sim));

beforeEach(() => sim.simulator.reset());

async function certify(model: string, rules: FaultRule[], config: Record<string, unknown> = {}) {
  sim.simulator.setFaults({ rules });
  const { id } = await startCertificationJob(deps, QA, { type: "SINGLE_MODEL", modelIds: [model], regions: [REGION], config });
  await waitForJob(db, id, undefined, 60_000);
  expect((await expectConsistent(db, id)).problems).toEqual([]);
  const cell = await db.modelCertification.findFirstOrThrow({ where: { jobId: id } });
  return { ...cell, results: cell.testResults as TestResults };
}

const MODEL_CALLS = ["Converse", "ConverseStream", "InvokeModel"] as const;
const wrong = (prompt: string, extra: Partial<FaultRule> = {}): FaultRule[] => [{ operations: [...MODEL_CALLS], prompt, wrongAnswerRate: 1, ...extra }];
const slow: FaultRule[] = [{ operations: [...MODEL_CALLS], latency: { firstTokenMs: 300 } }];
const tight = { thresholds: { maxLatencyMs: 150 } };

// [battery test, model, the fault aimed at it, job config]
const TABLE: [string, string, FaultRule[], Record<string, unknown>][] = [
  ["reachability", TEXT, wrong("PING-"), {}],
  ["exact_instruction", TEXT, wrong("CERT-"), {}],
  ["system_prompt", TEXT, wrong("End every reply"), {}],
  ["two_turn", TEXT, wrong("favourite colour"), {}],
  ["json_output", TEXT, wrong("JSON object"), {}],
  ["json_output", TEXT, [{ prompt: "JSON object", malformedJsonRate: 1 }], {}],
  ["tool_use", TEXT, wrong("weather in"), {}],
  ["max_tokens", TEXT, [{ operations: ["Converse"], prompt: "Count from", wrongAnswerRate: 1 }], {}],
  ["streaming", TEXT, [{ operations: ["ConverseStream"], wrongAnswerRate: 1 }], {}],
  ["streaming", TEXT, [{ operations: ["ConverseStream"], wrongAnswerRate: 1, wrongAnswerKind: "no_output" }], {}],
  ["streaming", TEXT, [{ operations: ["ConverseStream"], streamErrorRate: 1 }], {}],
  ["streaming", TEXT, [{ operations: ["ConverseStream"], streamStallRate: 1, streamStallMs: 600 }], { thresholds: { maxTimeToFirstTokenMs: 300 } }],
  ["usage", TEXT, wrong("CERT-", { wrongAnswerKind: "bad_usage" }), {}],
  ["latency", TEXT, slow, tight],
  ["reachability", EMBEDDING, wrong(".", { wrongAnswerKind: "no_output" }), {}],
  ["dimension", EMBEDDING, wrong("."), {}],
  ["vector_sanity", EMBEDDING, wrong(".", { wrongAnswerKind: "constant_vector" }), {}],
  ["determinism", EMBEDDING, wrong(".", { wrongAnswerKind: "random_vector" }), {}],
  ["latency", EMBEDDING, slow, tight],
  ["reachability", IMAGE, wrong(".", { wrongAnswerKind: "no_output" }), {}],
  ["image_decodes", IMAGE, wrong("."), {}],
  ["latency", IMAGE, slow, tight],
  ["reachability", RERANK, wrong(".", { wrongAnswerKind: "no_output" }), {}],
  ["ranking", RERANK, wrong("."), {}],
  ["scores", RERANK, wrong("."), {}],
  ["latency", RERANK, slow, tight],
  ["reachability", VIDEO, [{ operations: ["StartAsyncInvoke"], wrongAnswerRate: 1, wrongAnswerKind: "no_output" }], {}],
  ["completes", VIDEO, [{ operations: ["StartAsyncInvoke"], wrongAnswerRate: 1 }], {}],
  ["listed", VIDEO, [{ operations: ["ListAsyncInvokes"], wrongAnswerRate: 1 }], {}],
];
const BATTERY_OF: Record<string, string> = { [TEXT]: "text", [EMBEDDING]: "embedding", [IMAGE]: "image", [RERANK]: "rerank", [VIDEO]: "video" };

describe("every test of every battery fails on a wrong answer aimed at it", { timeout: 60_000 }, () => {
  it("the table covers every test of every battery", () => {
    const covered = new Set(TABLE.map(([test, model]) => `${BATTERY_OF[model]}:${test}`));
    const all = [
      ...TEXT_TESTS.map((t) => `text:${t}`),
      ...EMBEDDING_TESTS.map((t) => `embedding:${t}`),
      ...IMAGE_TESTS.map((t) => `image:${t}`),
      ...RERANK_TESTS.map((t) => `rerank:${t}`),
      ...VIDEO_TESTS.map((t) => `video:${t}`),
    ];
    expect(all.filter((t) => !covered.has(t))).toEqual([]);
  });

  it("with no fault, each battery's model is certified EXCELLENT (the table's failures are the faults' doing)", async () => {
    for (const model of Object.keys(BATTERY_OF)) expect((await certify(model, [])).rating, model).toBe("EXCELLENT");
  });

  for (const [test, model, rules, config] of TABLE) {
    it(`${model}: ${test} ← ${JSON.stringify(rules[0]).slice(0, 90)}`, async () => {
      const cell = await certify(model, rules, config);
      const result = cell.results.tests.find((t) => t.name === test);
      expect(result, `${test} ran`).toBeDefined();
      expect(result!.outcome, result!.detail).not.toBe("passed");
      expect(cell.rating).not.toBe("EXCELLENT");
      // A broken capability is never GOOD either (usage and latency are not capabilities).
      if (!["usage", "latency"].includes(test)) expect(["EXCELLENT", "GOOD"]).not.toContain(cell.rating);
    });
  }
});

// [fault, expected category]: the model cannot be reached, so the pair fails
// with the category that tells an admin what to do.
const FAULTS: [FaultRule, string][] = [
  [{ accessDenied: true }, "ACCESS_DENIED"],
  [{ operations: [...MODEL_CALLS], throttleRate: 1 }, "THROTTLED"],
  [{ operations: [...MODEL_CALLS], quotaExceededRate: 1 }, "QUOTA_EXCEEDED"],
  [{ operations: [...MODEL_CALLS], notReadyRate: 1 }, "MODEL_NOT_READY"],
  [{ operations: [...MODEL_CALLS], modelTimeoutRate: 1 }, "MODEL_TIMEOUT"],
  [{ operations: [...MODEL_CALLS], modelErrorRate: 1 }, "MODEL_ERROR"],
  [{ operations: [...MODEL_CALLS], serviceUnavailableRate: 1 }, "SERVICE_UNAVAILABLE"],
  [{ operations: [...MODEL_CALLS], internalErrorRate: 1 }, "SERVICE_UNAVAILABLE"],
  [{ operations: [...MODEL_CALLS], hangRate: 1, hangMs: 10_000 }, "TIMEOUT"],
];

describe("every service fault ends in the right verdict", { timeout: 60_000 }, () => {
  for (const [rule, category] of FAULTS) {
    it(`${JSON.stringify(rule).slice(0, 80)} → FAILED ${category}`, async () => {
      const cell = await certify(TEXT, [rule], { maxAttempts: 1, retryBaseDelayMs: 0, throttleRequeues: 0, tests: ["reachability"] });
      expect(cell).toMatchObject({ status: "FAILED", passed: false, rating: "FAILED", score: 0, errorCategory: category });
    });
  }
});
