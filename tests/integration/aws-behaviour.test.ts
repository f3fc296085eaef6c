// Verdicts that hold against how AWS really answers, through real workers and
// the simulator acting as AWS does (issue 26): a model that refuses a forced
// tool choice is certified for tool use through toolChoice auto; one that
// refuses temperature passes reachability; a reasoning model is EXCELLENT,
// with its reasoning counted; credentials AWS refuses pause the job with one
// reason and fail no pair, and a resume with good credentials finishes it.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { resumeJob, startCertificationJob } from "@/lib/certification/jobs";
import type { TestResults } from "@/lib/certification/results";
import { truncateAll } from "../helpers/db";
import { engineFixture, expectConsistent, loadCatalog, waitFor, waitForJob } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWorker, type WorkerProcess } from "../helpers/worker";
import { QA } from "../helpers/actor";

const REGION = "us-east-1";
const fixture = engineFixture("aws-behaviour");
const { db, prefix, deps } = fixture;
let sim: TestSimulator;
let workers: WorkerProcess[] = [];
const workerEnv = () => ({ DATABASE_URL: process.env.DATABASE_URL!, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix, REGION_CONCURRENCY: "4", WORKER_CONCURRENCY: "4" });

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, [REGION]);
}, 120_000);

afterAll(() => fixture.close(workers, sim));

async function cellsOf(jobId: string) {
  const cells = await db.modelCertification.findMany({ where: { jobId }, include: { model: { select: { bedrockModelId: true } } } });
  return new Map(cells.map((c) => [c.model.bedrockModelId!, { ...c, results: c.testResults as TestResults }]));
}
const test = (c: { results: TestResults }, name: string) => c.results.tests.find((t) => t.name === name)!;

describe("what AWS refuses is adapted to, not failed", { timeout: 300_000 }, () => {
  beforeAll(async () => {
    workers = [await startWorker(workerEnv())];
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });

  it("forced tool choice refused, temperature refused, a reasoning model: each EXCELLENT, saying what it adapted", async () => {
    const models = ["openai.gpt-oss-120b-1:0", "anthropic.claude-opus-4-7", "mistral.mistral-large-2402-v1:0", "amazon.nova-micro-v1:0"];
    const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: models, regions: [REGION] });
    await waitForJob(db, id, undefined, 120_000);
    expect((await expectConsistent(db, id)).problems).toEqual([]);
    const cells = await cellsOf(id);
    for (const m of models) {
      const c = cells.get(m)!;
      expect({ m, rating: c.rating, passed: c.passed, capabilities: c.results.capabilities }).toMatchObject({
        m,
        rating: "EXCELLENT",
        passed: true,
        capabilities: { text: "certified", tool_use: "certified", streaming: "certified", system_prompt: "certified" },
      });
    }

    // gpt-oss: AWS documents no forced tool choice for it and the simulator refuses one: asked again with auto.
    const gptOss = cells.get("openai.gpt-oss-120b-1:0")!;
    expect(test(gptOss, "tool_use").adapted?.join(" ")).toMatch(/toolChoice auto/);
    // Each test keeps what it asked and what came back: the evidence of the verdict.
    expect(test(gptOss, "reachability").transcript).toEqual([{ prompt: expect.stringMatching(/^Reply with exactly: "PING-/), answer: expect.stringMatching(/PING-/) }]);
    expect(test(gptOss, "tool_use").transcript!.at(-1)!.answer).toMatch(/^tool get_weather \{"city":/);
    expect(test(gptOss, "system_prompt").transcript![0]!.prompt).toMatch(/^\[system: You are a certification probe/);
    // …and it reasons first: the cut at 16 tokens falls in its reasoning, and the stream says what it counted.
    expect(test(gptOss, "max_tokens").detail).toMatch(/within the model's reasoning/);
    const stream = test(gptOss, "streaming");
    expect(stream.detail).toMatch(/tokens\/s counts reasoning tokens/);
    expect(stream.metrics!.timeToFirstTextMs).toBeGreaterThanOrEqual(stream.metrics!.timeToFirstTokenMs!);
    expect(stream.metrics!.tokensPerSecond).toBeGreaterThan(0);

    // Claude Opus 4.7 refuses temperature: reachability asked again without it, and every later call left it out.
    const opus = cells.get("anthropic.claude-opus-4-7")!;
    expect(test(opus, "reachability")).toMatchObject({ outcome: "passed", adapted: [expect.stringMatching(/without temperature.*deprecated/)] });
    expect(opus.results.tests.filter((t) => t.adapted?.length).map((t) => t.name)).toEqual(["reachability"]);

    // Mistral Large: AWS's table says no forced choice, so the battery never forced one.
    expect(cells.get("mistral.mistral-large-2402-v1:0")!.results.tests.some((t) => t.adapted?.length)).toBe(false);
    // Nova: forced tool choice is documented, and used.
    expect(test(cells.get("amazon.nova-micro-v1:0")!, "tool_use").adapted).toBeUndefined();

    // None of it made the simulator answer 500.
    expect(sim.simulator.stats().calls.filter((c) => c.outcome === "InternalServerException" || c.outcome === "error")).toEqual([]);
  });

  it("a Region in a declared outage: a pair that met the service failing goes back to the queue instead of passing 'except'", async () => {
    const incident = await db.incident.create({ data: { scope: "region", subject: REGION, status: "OPEN", openKey: `region:${REGION}`, failing: 5, offered: 10 } });
    sim.simulator.setFaults({ rules: [{ operations: ["ConverseStream"], internalErrorRate: 1 }] });
    try {
      const { id } = await startCertificationJob(deps, QA, { type: "SINGLE_MODEL", modelIds: ["amazon.nova-micro-v1:0"], regions: [REGION], config: { throttleRequeues: 1 } });
      await waitForJob(db, id, undefined, 120_000);
      expect(workers.some((w) => w.output().includes("Region in an outage: back to the queue"))).toBe(true);
    } finally {
      sim.simulator.setFaults({ rules: [] });
      await db.incident.delete({ where: { id: incident.id } });
    }
  });
});

describe("credentials AWS refuses pause the job", { timeout: 300_000 }, () => {
  it("a wrong secret: the job pauses itself with one reason, no pair fails; a resume with good credentials finishes it", async () => {
    const bad = await startWorker({ ...workerEnv(), BEDROCK_SECRET_ACCESS_KEY: "not-the-secret" });
    workers = [bad];
    onTestFinished(() => bad.stop().then(() => undefined));
    const models = ["amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "mistral.mistral-large-2402-v1:0", "amazon.titan-embed-text-v2:0"];
    const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: models, regions: [REGION] });
    const paused = await waitForJob(db, id, ["PAUSED", "COMPLETED", "FAILED"], 60_000);
    expect(paused.status).toBe("PAUSED");
    expect(paused.pauseReason).toMatch(/InvalidSignatureException/);
    expect(paused.pauseReason).toMatch(/refresh the credentials/);
    expect(paused.failureCount).toBe(0);
    // The pairs that met it are waiting again, not recorded.
    const pairs = await db.certificationJobPair.findMany({ where: { jobId: id } });
    expect(pairs.filter((p) => p.status === "FAILED")).toEqual([]);
    expect(await db.certificationRun.count({ where: { jobId: id } })).toBe(0);
    // One line in the feed (written just after the pause itself).
    await waitFor("the feed's job.paused line", async () => (await db.watchEvent.count({ where: { kind: "job.paused", subjectId: id } })) >= 1);
    await bad.stop();
    expect(await db.watchEvent.count({ where: { kind: "job.paused", subjectId: id } })).toBe(1);

    workers = [await startWorker(workerEnv())];
    await resumeJob(deps, QA, id);
    const done = await waitForJob(db, id, undefined, 120_000);
    expect(done).toMatchObject({ status: "COMPLETED", successCount: models.length, failureCount: 0, pauseReason: null });
    expect((await expectConsistent(db, id)).problems).toEqual([]);
    await workers[0]!.stop();
    workers = [];
  });

  it("an expired session token (ExpiredTokenException on the wire) pauses it the same way", async () => {
    workers = [await startWorker(workerEnv())];
    sim.simulator.setFaults({ rules: [{ expiredToken: true }] });
    try {
      const { id } = await startCertificationJob(deps, QA, { type: "SINGLE_MODEL", modelIds: ["amazon.nova-micro-v1:0"], regions: [REGION] });
      const paused = await waitForJob(db, id, ["PAUSED", "COMPLETED", "FAILED"], 60_000);
      expect(paused).toMatchObject({ status: "PAUSED", failureCount: 0 });
      expect(paused.pauseReason).toMatch(/ExpiredTokenException/);
    } finally {
      sim.simulator.setFaults({ rules: [] });
      await workers[0]!.stop();
      workers = [];
    }
  });
});
