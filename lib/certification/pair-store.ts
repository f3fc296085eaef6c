import "server-only";
// The pair's life in PostgreSQL. Every transition is a guarded UPDATE, so a
// pair reaches a final state exactly once per round however many workers, retries
// or replays touch it, and the job's counters move in the same transaction.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { PairOutcome } from "./certify-pair";
import type { JobCounters } from "./events";

export type ClaimResult =
  | { claimed: true; config: unknown; createdBy: string | null }
  | { claimed: false; reason: "final" | "stale-round" | "job-paused" | "job-cancelled" | "missing" };

const COUNTERS = { status: true, totalModels: true, processedModels: true, successCount: true, failureCount: true, cancelledCount: true } as const;

// A worker takes a pair: QUEUED (or PENDING, or PROCESSING left by a worker that
// died) becomes PROCESSING. A paused job's pair goes back to PENDING instead.
export async function claimPair(db: PrismaClient, p: { jobId: string; pairId: string; round: number }, workerId: string): Promise<ClaimResult> {
  return db.$transaction(async (tx) => {
    const job = await tx.certificationJob.findUnique({ where: { id: p.jobId }, select: { status: true, config: true, createdBy: true } });
    if (!job) return { claimed: false, reason: "missing" as const };
    if (job.status === "CANCELLED") {
      // A pair left open by a worker that died during the cancel.
      await cancelOpenPair(tx, p);
      return { claimed: false, reason: "job-cancelled" as const };
    }
    if (job.status === "PAUSED") {
      await tx.certificationJobPair.updateMany({ where: { id: p.pairId, round: p.round, status: "QUEUED" }, data: { status: "PENDING" } });
      return { claimed: false, reason: "job-paused" as const };
    }
    const pair = await tx.certificationJobPair.findUnique({ where: { id: p.pairId }, select: { round: true, status: true, modelId: true, region: true } });
    if (!pair) return { claimed: false, reason: "missing" as const };
    if (pair.round !== p.round) return { claimed: false, reason: "stale-round" as const };
    const taken = await tx.certificationJobPair.updateMany({
      where: { id: p.pairId, round: p.round, status: { in: ["PENDING", "QUEUED", "PROCESSING"] } },
      data: { status: "PROCESSING", attempts: { increment: 1 }, workerId, startedAt: new Date() },
    });
    if (taken.count === 0) return { claimed: false, reason: "final" as const };
    await tx.certificationJob.updateMany({ where: { id: p.jobId, status: { in: ["PENDING", "QUEUED"] } }, data: { status: "PROCESSING", startedAt: new Date() } });
    await tx.modelCertification.updateMany({ where: { modelId: pair.modelId, region: pair.region, jobId: p.jobId }, data: { status: "PROCESSING", startedAt: new Date() } });
    return { claimed: true as const, config: job.config, createdBy: job.createdBy };
  });
}

type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

// Ends an open pair of a cancelled job as CANCELLED, counted once.
export async function cancelOpenPair(tx: Tx, p: { jobId: string; pairId: string; round: number }): Promise<boolean> {
  const moved = await tx.certificationJobPair.updateMany({
    where: { id: p.pairId, round: p.round, status: { in: ["PENDING", "QUEUED", "PROCESSING"] } },
    data: { status: "CANCELLED", completedAt: new Date() },
  });
  if (moved.count === 0) return false;
  const pair = await tx.certificationJobPair.findUniqueOrThrow({ where: { id: p.pairId }, select: { modelId: true, region: true } });
  await tx.certificationJob.update({ where: { id: p.jobId }, data: { cancelledCount: { increment: 1 } } });
  await tx.modelCertification.updateMany({
    where: { modelId: pair.modelId, region: pair.region, jobId: p.jobId, status: { in: ["PENDING", "QUEUED", "PROCESSING"] } },
    data: { status: "CANCELLED", errorCategory: "CANCELLED", errorMessage: "Cancelled before it finished." },
  });
  return true;
}

// A claimed pair that could not start (no Region slot, worker shutting down)
// goes back to QUEUED for the queue to hand out again.
export async function unclaimPair(db: PrismaClient, p: { pairId: string; round: number }): Promise<void> {
  await db.certificationJobPair.updateMany({ where: { id: p.pairId, round: p.round, status: "PROCESSING" }, data: { status: "QUEUED", workerId: null } });
}

export type FinishResult = { counted: boolean; job: JobCounters | null };

// Records a pair's outcome: the history run, the current certification of the
// cell, the pair, the job's counters and, with the last pair, the job's own end.
export async function finishPair(db: PrismaClient, p: { jobId: string; pairId: string; round: number; modelId: string; region: string }, outcome: PairOutcome, createdBy: string | null): Promise<FinishResult> {
  return db.$transaction(async (tx) => {
    const run = await tx.certificationRun.create({
      data: {
        modelId: p.modelId,
        region: p.region,
        jobId: p.jobId,
        status: outcome.status,
        passed: outcome.passed,
        score: outcome.score,
        rating: outcome.rating,
        testResults: outcome.testResults as unknown as Prisma.InputJsonValue,
        errorMessage: outcome.errorMessage,
        errorCategory: outcome.errorCategory,
        startedAt: new Date(outcome.startedAt),
        completedAt: new Date(outcome.completedAt),
        duration: outcome.durationMs,
        createdBy,
      },
    });
    const moved = await tx.certificationJobPair.updateMany({
      where: { id: p.pairId, round: p.round, status: "PROCESSING" },
      data: { status: outcome.status, passed: outcome.passed, runId: run.id, completedAt: new Date(outcome.completedAt) },
    });
    if (moved.count === 0) {
      // Someone else already finished this pair (a replay, a stalled twin):
      // nothing of this attempt is kept.
      throw new AlreadyFinished();
    }
    const cell = {
      status: outcome.status,
      passed: outcome.passed,
      score: outcome.score,
      rating: outcome.rating,
      testResults: outcome.testResults as unknown as Prisma.InputJsonValue,
      errorMessage: outcome.errorMessage,
      errorCategory: outcome.errorCategory,
      jobId: p.jobId,
      startedAt: new Date(outcome.startedAt),
      completedAt: new Date(outcome.completedAt),
      duration: outcome.durationMs,
      createdBy,
    };
    await tx.modelCertification.upsert({ where: { modelId_region: { modelId: p.modelId, region: p.region } }, create: { modelId: p.modelId, region: p.region, ...cell }, update: cell });
    const counted =
      outcome.status === "CANCELLED"
        ? { cancelledCount: { increment: 1 } }
        : { processedModels: { increment: 1 }, ...(outcome.passed ? { successCount: { increment: 1 } } : { failureCount: { increment: 1 } }) };
    const job = await tx.certificationJob.update({ where: { id: p.jobId }, data: counted, select: { ...COUNTERS, startedAt: true } });
    if (job.processedModels + job.cancelledCount >= job.totalModels && (job.status === "QUEUED" || job.status === "PROCESSING" || job.status === "PENDING")) {
      const completedAt = new Date();
      const ended = await tx.certificationJob.update({
        where: { id: p.jobId },
        data: { status: job.successCount === 0 && job.failureCount > 0 ? "FAILED" : "COMPLETED", completedAt, duration: job.startedAt ? completedAt.getTime() - job.startedAt.getTime() : null },
        select: COUNTERS,
      });
      return { counted: true, job: ended };
    }
    const { startedAt: _s, ...counters } = job;
    return { counted: true, job: counters };
  }).catch((err) => {
    if (err instanceof AlreadyFinished) return { counted: false, job: null };
    throw err;
  });
}

class AlreadyFinished extends Error {}
