// A job's last pair ends the job in the statement that records it: a reader
// (the API, the job page) never sees every pair counted and the job still
// running. Before, the end was a second statement, and the job page of a fast
// job could read the moment between the two and stay at 100 % "Processing".
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCertificationJob } from "@/lib/certification/jobs";
import { claimPair, finishPair } from "@/lib/certification/pair-store";
import type { PairOutcome } from "@/lib/certification/certify-pair";
import { QA } from "../helpers/actor";
import { testPrisma, truncateAll } from "../helpers/db";
import { engineFixture, expectConsistent, loadCatalog } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";

const fixture = engineFixture("job-end");
const { db, deps } = fixture;
// Another connection pool, as the web app's reads are.
const reader = testPrisma();
let sim: TestSimulator;

const EMBED = "amazon.titan-embed-text-v2:0";
const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, ["ca-central-1"]);
});
afterAll(async () => {
  await reader.$disconnect();
  await fixture.close([], sim);
});

const outcome = (passed: boolean): PairOutcome => {
  const now = new Date().toISOString();
  return {
    status: passed ? "COMPLETED" : "FAILED",
    passed,
    score: passed ? 100 : 0,
    rating: passed ? "EXCELLENT" : "POOR",
    errorCategory: passed ? null : "ACCESS_DENIED",
    errorMessage: passed ? null : "denied",
    availability: "IN_REGION",
    testResults: { version: 1, battery: "embedding", invokedId: EMBED, via: "in-region", throttles: 0, tests: [] },
    startedAt: now,
    completedAt: now,
    durationMs: 5,
  };
};

// Reads the job as fast as it can until told to stop: every state a reader saw.
function watch(jobId: string) {
  const seen: { status: string; done: number; total: number }[] = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const [j] = await reader.$queryRaw<{ status: string; done: number; total: number }[]>`
        SELECT status::text AS status, processed_models + cancelled_count AS done, total_models AS total FROM certification_jobs WHERE id = ${jobId}`;
      seen.push(j!);
    }
  })();
  return {
    seen,
    stop: async () => {
      stop = true;
      await loop;
    },
  };
}

it("the last pair's record ends the job at once: no reader sees every pair counted and the job running", async () => {
  for (let i = 0; i < 12; i++) {
    // Two offered pairs: the second to finish ends the job; failed when nothing passed.
    const passes = i % 2 === 0;
    const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: [EMBED, HAIKU], regions: ["ca-central-1"] });
    const pairs = await db.certificationJobPair.findMany({ where: { jobId: id }, orderBy: { modelId: "asc" } });
    expect(pairs).toHaveLength(2);
    for (const p of pairs) expect((await claimPair(db, { jobId: id, pairId: p.id, round: p.round }, "test-worker")).claimed).toBe(true);

    const first = await finishPair(db, { jobId: id, pairId: pairs[0]!.id, round: 0, modelId: pairs[0]!.modelId, region: "ca-central-1" }, outcome(passes), null);
    expect(first).toMatchObject({ counted: true, ended: null, job: { status: "PROCESSING", processedModels: 1 } });

    const watcher = watch(id);
    while (watcher.seen.length < 3) await new Promise((r) => setImmediate(r));
    const last = await finishPair(db, { jobId: id, pairId: pairs[1]!.id, round: 0, modelId: pairs[1]!.modelId, region: "ca-central-1" }, outcome(passes), null);
    const seenAfter = watcher.seen.length;
    while (watcher.seen.length < seenAfter + 3) await new Promise((r) => setImmediate(r));
    await watcher.stop();

    const ends = passes ? "COMPLETED" : "FAILED";
    expect(last).toMatchObject({ counted: true, ended: ends, job: { status: ends, processedModels: 2 } });
    expect(watcher.seen.filter((s) => s.done >= s.total && s.status === "PROCESSING")).toEqual([]);
    expect(watcher.seen.at(-1)).toEqual({ status: ends, done: 2, total: 2 });
    const { job, problems } = await expectConsistent(db, id);
    expect(problems).toEqual([]);
    expect(job.completedAt).not.toBeNull();
    expect(job.duration).not.toBeNull();
  }
});

it("the last two pairs recorded at the same moment: the job ends once, by one of them", async () => {
  for (let i = 0; i < 10; i++) {
    const { id } = await startCertificationJob(deps, QA, { type: "MULTIPLE_MODELS", modelIds: [EMBED, HAIKU], regions: ["ca-central-1"] });
    const pairs = await db.certificationJobPair.findMany({ where: { jobId: id } });
    for (const p of pairs) expect((await claimPair(db, { jobId: id, pairId: p.id, round: p.round }, "test-worker")).claimed).toBe(true);
    const results = await Promise.all(pairs.map((p) => finishPair(db, { jobId: id, pairId: p.id, round: 0, modelId: p.modelId, region: "ca-central-1" }, outcome(true), null)));
    expect(results.map((r) => r.counted)).toEqual([true, true]);
    expect(results.filter((r) => r.ended !== null).map((r) => r.ended)).toEqual(["COMPLETED"]);
    const { job, problems } = await expectConsistent(db, id);
    expect(problems).toEqual([]);
    expect(job.status).toBe("COMPLETED");
  }
});
