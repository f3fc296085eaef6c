import "server-only";
// What the worker does after recording a pair, for the watch: compare the run
// with the cell's history (a regression), evaluate the model's and the
// Region's incidents, and say when a job has ended. Called after the pair's
// result is safe in PostgreSQL and its progress published; a failure here is
// logged by the caller and never undoes or delays the certification.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { cellSpeeds } from "@/lib/certification/cell-speeds";
import type { TestResults } from "@/lib/certification/results";
import { metrics } from "@/lib/metrics/metrics";
import { recordEvent, type WatchDeps } from "./events";
import { evaluateIncident, type IncidentThresholds } from "./incidents";
import { findRegressions, type RegressionThresholds, type RunFacts } from "./regressions";

export type WatchSettings = { regression: RegressionThresholds; incidents: IncidentThresholds };
export type PairWatchDeps = WatchDeps & { settings: WatchSettings };

export type FinishedPair = {
  jobId: string;
  modelId: string;
  region: string;
  runId: string;
  passed: boolean | null;
  errorCategory: string | null;
  // The job's status when this pair ended it.
  jobEnded: string | null;
};

const HISTORY = 10;

async function runFacts(db: PrismaClient, modelId: string, region: string, runId: string): Promise<{ current: RunFacts | null; history: RunFacts[] }> {
  const runs = await db.certificationRun.findMany({
    where: { modelId, region, passed: { not: null } },
    orderBy: { createdAt: "desc" },
    take: HISTORY + 1,
    select: { id: true, passed: true, score: true, rating: true, errorCategory: true, testResults: true },
  });
  const facts = (r: (typeof runs)[number]): RunFacts => {
    const speeds = cellSpeeds(r.testResults as TestResults | null);
    return { passed: r.passed, score: r.score, rating: r.rating, errorCategory: r.errorCategory, latencyMs: speeds.latencyMs, timeToFirstTokenMs: speeds.timeToFirstTokenMs };
  };
  const current = runs.find((r) => r.id === runId);
  return {
    current: current ? facts(current) : null,
    history: runs
      .filter((r) => r.id !== runId)
      .slice(0, HISTORY)
      .map(facts),
  };
}

export async function detectRegression(deps: PairWatchDeps, p: FinishedPair) {
  const { current, history } = await runFacts(deps.db, p.modelId, p.region, p.runId);
  if (!current) return [];
  const found = findRegressions(current, history, deps.settings.regression);
  if (found.length === 0) return found;
  for (const f of found) metrics.regressions.inc({ kind: f.kind });
  // The marker belongs to the run that regressed: a later run clears it (finishPair).
  await deps.db.$executeRaw`UPDATE model_certifications SET regressed_at = now() AT TIME ZONE 'UTC' WHERE model_id = ${p.modelId} AND region = ${p.region} AND job_id = ${p.jobId}`;
  const model = await deps.db.aIModel.findUnique({ where: { id: p.modelId }, select: { name: true } });
  await recordEvent(deps, {
    kind: "regression",
    modelId: p.modelId,
    region: p.region,
    subjectId: p.runId,
    summary: `${model?.name ?? p.modelId} in ${p.region}: ${found.map((f) => f.reason).join("; ")}`,
    details: { runId: p.runId, jobId: p.jobId, regressions: found },
  });
  return found;
}

export async function watchFinishedPair(deps: PairWatchDeps, p: FinishedPair) {
  if (p.passed !== null) {
    await detectRegression(deps, p);
    const trigger = { modelId: p.modelId, region: p.region, passed: p.passed, errorCategory: p.errorCategory, runId: p.runId };
    const incidentDeps = { ...deps, thresholds: deps.settings.incidents };
    await evaluateIncident(incidentDeps, "model", p.modelId, trigger);
    await evaluateIncident(incidentDeps, "region", p.region, trigger);
  }
  if (p.jobEnded) await announceJobFinished(deps, p.jobId);
}

export async function announceJobFinished(deps: WatchDeps, jobId: string) {
  const job = await deps.db.certificationJob.findUnique({
    where: { id: jobId },
    select: { status: true, type: true, totalModels: true, successCount: true, failureCount: true, notOfferedCount: true, createdBy: true, duration: true },
  });
  if (!job) return;
  if (job.duration !== null) metrics.jobSeconds.observe({ status: job.status }, job.duration / 1000);
  await recordEvent(deps, {
    kind: "job.finished",
    subjectId: jobId,
    summary: `Job ${job.status.toLowerCase()}: ${job.successCount} passed, ${job.failureCount} failed of ${job.totalModels} pairs (${job.notOfferedCount} not offered)`,
    details: job,
  });
}
