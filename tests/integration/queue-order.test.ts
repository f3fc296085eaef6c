// The order a job's pairs go on the queue: longest expected battery first,
// where a pair's expectation is its cell's last tried run, else its kind's guess.
// And how they come off it: pause and cancel take only their job's pairs, and
// the reconciler puts back only those the queue no longer has.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { cancelJob, pauseJob, resumeJob, startCertificationJob } from "@/lib/certification/jobs";
import { reconcile } from "@/lib/certification/reconciler";
import { certifyPairJob, type CertifyPairPayload } from "@/lib/queue/certify-pair-job";
import { QA } from "../helpers/actor";
import { truncateAll } from "../helpers/db";
import { engineFixture, loadCatalog, modelId } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";

const fixture = engineFixture("queue-order");
const { db, queue, deps } = fixture;
let sim: TestSimulator;

const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const QWEN = "qwen.qwen3-32b-v1:0";
const MICRO = "amazon.nova-micro-v1:0";
const EMBED = "amazon.titan-embed-text-v2:0";
const LITE = "amazon.nova-lite-v1:0";
const MISTRAL = "mistral.mistral-large-2402-v1:0";

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, ["us-east-1"]);
});
afterAll(() => fixture.close([], sim));
// Each case starts with no job, no cell and an empty queue: what one leaves
// open is not in the next one's counts.
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE certification_job_pairs, certification_runs, model_certifications, certification_jobs CASCADE`);
  await queue.obliterate({ force: true });
});

it("pairs are queued by their last tried battery time; a pair not tried last time, or never, by its kind's guess", async () => {
  const cell = async (bedrockModelId: string, passed: boolean | null, duration: number) =>
    db.modelCertification.create({ data: { modelId: await modelId(db, bedrockModelId), region: "us-east-1", status: passed === false ? "FAILED" : "COMPLETED", passed, duration } });
  await cell(SONNET, true, 9_000); // tried, passed: 9 s
  await cell(MICRO, false, 2_500); // tried, failed: 2.5 s
  await cell(QWEN, null, 40); // not tried last time (its availability): guessed as text

  const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: [SONNET, QWEN, MICRO, EMBED], regions: ["us-east-1"] });
  const waitingOf = async () => (await queue.getJobs(["wait"], 0, -1, true)).map((j) => j.data as CertifyPairPayload).filter((p) => p.jobId === id);
  const waiting = await waitingOf();
  const ids = await Promise.all([SONNET, QWEN, MICRO, EMBED].map(async (m) => [await modelId(db, m), m] as const));
  const names = new Map(ids);
  // PostgreSQL has everything a worker needs before the queue has a pair: the
  // job, its pairs and their cells QUEUED, each cell keeping its last result.
  expect((await db.certificationJob.findUniqueOrThrow({ where: { id } })).status).toBe("QUEUED");
  expect(new Set((await db.certificationJobPair.findMany({ where: { jobId: id } })).map((p) => p.status))).toEqual(new Set(["QUEUED"]));
  const cells = await db.modelCertification.findMany({ where: { region: "us-east-1", modelId: { in: [...names.keys()] } } });
  expect(cells.map((c) => c.status)).toEqual(["QUEUED", "QUEUED", "QUEUED", "QUEUED"]);
  expect(cells.find((c) => c.duration === 9_000)).toMatchObject({ passed: true, jobId: id });
  // In the order workers take them.
  expect(waiting.map((p) => [names.get(p.modelId), p.weight])).toEqual([
    [QWEN, 12_000],
    [SONNET, 9_000],
    [EMBED, 3_000],
    [MICRO, 2_500],
  ]);

  // Redis loses the queue (a FLUSHALL, a restart that keeps nothing): the
  // reconciler puts the pairs back in the same order, with the same weights.
  await queue.obliterate({ force: true });
  expect(await waitingOf()).toEqual([]);
  expect(await reconcile(deps)).toMatchObject({ requeued: 4 });
  expect((await waitingOf()).map((p) => [names.get(p.modelId), p.weight])).toEqual(waiting.map((p) => [names.get(p.modelId), p.weight]));
});

it("pause and cancel take exactly their job's pairs off the queue, another job's stay in their order; the reconciler puts back only a lost pair", async () => {
  // No worker runs here: every pair queued stays waiting. The later job's
  // pairs are nearer the wait list's head, where removal looks first.
  const a = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: [SONNET, QWEN, MICRO, EMBED], regions: ["us-east-1"] });
  const b = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: [LITE, MISTRAL], regions: ["us-east-1"] });
  const pairIds = new Map<string, Set<string>>();
  for (const { id } of [a, b]) {
    const pairs = await db.certificationJobPair.findMany({ where: { jobId: id }, select: { id: true, round: true } });
    pairIds.set(id, new Set(pairs.map((p) => certifyPairJob.jobId({ pairId: p.id, round: p.round }))));
  }
  const waiting = async (jobId: string) => (await queue.getRanges(["wait"], 0, -1)).filter((id) => pairIds.get(jobId)!.has(id));
  expect((await waiting(a.id)).length).toBe(4);
  const others = await waiting(b.id);
  expect(others.length).toBe(2);

  await pauseJob(deps, QA, a.id);
  expect(await waiting(a.id)).toEqual([]);
  expect(new Set((await db.certificationJobPair.findMany({ where: { jobId: a.id } })).map((p) => p.status))).toEqual(new Set(["PENDING"]));
  expect(await waiting(b.id)).toEqual(others);

  await resumeJob(deps, QA, a.id);
  expect((await waiting(a.id)).length).toBe(4);
  // One pair waits out a retry's backoff (delayed, not on the wait list).
  const backingOff = (await queue.getJob((await waiting(a.id))[0]!))!;
  await backingOff.remove();
  await queue.add(backingOff.name, backingOff.data, { jobId: backingOff.id, delay: 3_600_000 });
  expect(await queue.getJobState(backingOff.id!)).toBe("delayed");
  // The reconciler finds every pair where it is (waiting or delayed); a pair
  // whose entry is gone is the one it puts back.
  expect(await reconcile(deps)).toMatchObject({ requeued: 0 });
  await queue.remove(others[0]!);
  expect(await reconcile(deps)).toMatchObject({ requeued: 1 });
  expect(new Set(await waiting(b.id))).toEqual(new Set(others));
  expect(await queue.getJobState(backingOff.id!)).toBe("delayed");

  await cancelJob(deps, QA, a.id);
  expect(await waiting(a.id)).toEqual([]);
  for (const id of pairIds.get(a.id)!) expect(await queue.getJob(id)).toBeUndefined();
  expect(await waiting(b.id)).toEqual(others);
  expect(await db.certificationJob.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: "CANCELLED", cancelledCount: 4 });
});
