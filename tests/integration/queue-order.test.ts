// The order a job's pairs go on the queue: longest expected battery first,
// where a pair's expectation is its cell's last tried run, else its kind's guess.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCertificationJob } from "@/lib/certification/jobs";
import { reconcile } from "@/lib/certification/reconciler";
import type { CertifyPairPayload } from "@/lib/queue/certify-pair-job";
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

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, ["us-east-1"]);
});
afterAll(() => fixture.close([], sim));

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
