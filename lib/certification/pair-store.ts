import "server-only";
// The pair's life in PostgreSQL. Every transition is a guarded UPDATE, so a
// pair reaches a final state exactly once per round however many workers,
// retries or replays touch it, and the job's counters move in the same
// statement. The two hot transitions (claim, finish) are single SQL statements
// with data-modifying CTEs: atomic, and one round trip each per pair.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ModelLifecycle, RegionAvailability } from "@/lib/generated/prisma/enums";
import type { AvailabilityRecord } from "./availability";
import type { PairOutcome } from "./certify-pair";
import { cellSpeeds } from "./cell-speeds";
import type { JobCounters } from "./events";

// What a claimed pair needs to run: the job's config and author, the model's
// catalog facts and the catalog sync's record of the pair.
export type PairTarget = {
  model: { id: string; bedrockModelId: string | null; name: string; streaming: boolean | null; outputModalities: string[]; lifecycle: ModelLifecycle };
  availability: AvailabilityRecord;
};

export type ClaimResult =
  ({ claimed: true; config: unknown; createdBy: string | null; attempts: number } & PairTarget) | { claimed: false; reason: "final" | "stale-round" | "job-paused" | "job-cancelled" | "missing" };

type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
type ClaimRow = {
  job_status: string;
  attempts: number | null;
  config: unknown;
  created_by: string | null;
  claimed: number;
  model_id: string | null;
  bedrock_model_id: string | null;
  name: string | null;
  streaming: boolean | null;
  output_modalities: string[] | null;
  lifecycle: ModelLifecycle | null;
  availability: RegionAvailability | null;
  legacy: boolean | null;
  profile_ids: string[] | null;
};

const NOW = `(now() AT TIME ZONE 'UTC')`;
export const JOB_COUNTER_COLUMNS = `status::text AS status, total_models, processed_models, success_count, failure_count, cancelled_count,
  not_offered_count, profile_only_count, legacy_count, unsupported_count`;

// A worker takes a pair: QUEUED (or PENDING, or PROCESSING left by a worker that
// died) becomes PROCESSING, with the job started and the cell marked, in one
// statement. A paused job's pair goes back to PENDING; a cancelled job's is closed.
export async function claimPair(db: PrismaClient, p: { jobId: string; pairId: string; round: number }, workerId: string): Promise<ClaimResult> {
  const rows = await db.$queryRawUnsafe<ClaimRow[]>(
    `WITH job AS (
       SELECT id, status, config, created_by FROM certification_jobs WHERE id = $1
     ), claimed AS (
       UPDATE certification_job_pairs p
          SET status = 'PROCESSING', attempts = p.attempts + 1, worker_id = $4, started_at = ${NOW}, updated_at = ${NOW}
         FROM job
        WHERE p.id = $2 AND p.round = $3 AND p.job_id = job.id
          AND p.status IN ('PENDING', 'QUEUED', 'PROCESSING')
          AND job.status IN ('PENDING', 'QUEUED', 'PROCESSING')
       RETURNING p.model_id, p.region, p.attempts
     ), started AS (
       UPDATE certification_jobs j SET status = 'PROCESSING', started_at = COALESCE(j.started_at, ${NOW}), updated_at = ${NOW}
         FROM claimed WHERE j.id = $1 AND j.status IN ('PENDING', 'QUEUED')
       RETURNING j.id
     ), cell AS (
       UPDATE model_certifications c SET status = 'PROCESSING', started_at = ${NOW}, updated_at = ${NOW}
         FROM claimed WHERE c.model_id = claimed.model_id AND c.region = claimed.region AND c.job_id = $1
       RETURNING c.id
     )
     SELECT job.status::text AS job_status, job.config, job.created_by, claimed.attempts,
            (SELECT count(*) FROM claimed)::int AS claimed,
            m.id AS model_id, m.bedrock_model_id, m.name, m.streaming, m.output_modalities, m.lifecycle,
            a.availability, a.legacy, a.profile_ids
       FROM job
       LEFT JOIN claimed ON true
       LEFT JOIN ai_models m ON m.id = claimed.model_id
       LEFT JOIN model_region_availability a ON a.model_id = claimed.model_id AND a.region = claimed.region`,
    p.jobId,
    p.pairId,
    p.round,
    workerId,
  );
  const row = rows[0];
  if (!row) return { claimed: false, reason: "missing" };
  if (row.claimed === 1 && row.model_id) {
    return {
      claimed: true,
      config: row.config,
      createdBy: row.created_by,
      attempts: row.attempts ?? 1,
      model: {
        id: row.model_id,
        bedrockModelId: row.bedrock_model_id,
        name: row.name ?? row.model_id,
        streaming: row.streaming,
        outputModalities: row.output_modalities ?? [],
        lifecycle: row.lifecycle ?? "ACTIVE",
      },
      availability: row.availability ? { availability: row.availability, legacy: row.legacy ?? false, profileIds: row.profile_ids ?? [] } : null,
    };
  }
  // Not claimed: say why (the rare paths).
  if (row.job_status === "CANCELLED") {
    // A pair left open by a worker that died during the cancel.
    await db.$transaction((tx) => cancelOpenPair(tx, p));
    return { claimed: false, reason: "job-cancelled" };
  }
  if (row.job_status === "PAUSED") {
    await db.certificationJobPair.updateMany({ where: { id: p.pairId, round: p.round, status: "QUEUED" }, data: { status: "PENDING" } });
    return { claimed: false, reason: "job-paused" };
  }
  const pair = await db.certificationJobPair.findUnique({ where: { id: p.pairId }, select: { round: true } });
  if (!pair) return { claimed: false, reason: "missing" };
  return { claimed: false, reason: pair.round !== p.round ? "stale-round" : "final" };
}

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

// A claimed pair that could not run (the worker is shutting down) goes back to
// QUEUED for the queue to hand out again.
export async function unclaimPair(db: PrismaClient, p: { pairId: string; round: number }): Promise<void> {
  await db.certificationJobPair.updateMany({ where: { id: p.pairId, round: p.round, status: "PROCESSING" }, data: { status: "QUEUED", workerId: null } });
}

// runId: the run it recorded; ended: this pair ended its job (with that status).
export type FinishResult = { counted: boolean; job: JobCounters | null; runId: string | null; ended: string | null };

// How a job ends, from the counts it ends with: failed when nothing passed and
// something failed, else completed.
const endedStatus = (successCount: string, failureCount: string) => `CASE WHEN ${successCount} = 0 AND ${failureCount} > 0 THEN 'FAILED'::"JobStatus" ELSE 'COMPLETED'::"JobStatus" END`;
const JOB_DURATION = `CASE WHEN started_at IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM (${NOW} - started_at)) * 1000)::int END`;

// Ends an open job whose every pair is final: FAILED when none passed and some
// failed, else COMPLETED. Guarded, so whoever gets there first ends it, once.
// Returns the new status, or null when the job was not (or not yet) ended.
export async function endJobIfDone(db: PrismaClient, jobId: string): Promise<string | null> {
  const ended = await db.$queryRawUnsafe<{ status: string }[]>(
    `UPDATE certification_jobs j
        SET status = ${endedStatus("success_count", "failure_count")},
            completed_at = ${NOW}, updated_at = ${NOW}, duration = ${JOB_DURATION}
      WHERE id = $1 AND status IN ('PENDING', 'QUEUED', 'PROCESSING')
        AND processed_models + cancelled_count >= total_models
        AND NOT EXISTS (SELECT 1 FROM certification_job_pairs p WHERE p.job_id = j.id AND p.status IN ('PENDING', 'QUEUED', 'PROCESSING'))
      RETURNING status::text AS status`,
    jobId,
  );
  return ended[0]?.status ?? null;
}

type FinishRow = {
  status: string;
  total_models: number;
  processed_models: number;
  success_count: number;
  failure_count: number;
  cancelled_count: number;
  not_offered_count: number;
  profile_only_count: number;
  legacy_count: number;
  unsupported_count: number;
};

// The job counter a finished pair moves: passed or failed when it was tried,
// else the availability that kept it from being tried.
export function counterOf(outcome: Pick<PairOutcome, "status" | "passed" | "availability">): JobCounterName | null {
  if (outcome.status === "CANCELLED") return "cancelledCount";
  if (outcome.passed === true) return "successCount";
  if (outcome.passed === false || !outcome.availability || outcome.availability === "IN_REGION") return "failureCount";
  return SETTLED_COUNTER[outcome.availability];
}

export const SETTLED_COUNTER = { NOT_OFFERED: "notOfferedCount", PROFILE_ONLY: "profileOnlyCount", LEGACY: "legacyCount", UNSUPPORTED: "unsupportedCount" } as const;
type JobCounterName = "successCount" | "failureCount" | "cancelledCount" | (typeof SETTLED_COUNTER)[keyof typeof SETTLED_COUNTER];

export const jobCountersFromRow = (row: FinishRow): JobCounters => ({
  status: row.status,
  totalModels: row.total_models,
  processedModels: row.processed_models,
  successCount: row.success_count,
  failureCount: row.failure_count,
  cancelledCount: row.cancelled_count,
  notOfferedCount: row.not_offered_count,
  profileOnlyCount: row.profile_only_count,
  legacyCount: row.legacy_count,
  unsupportedCount: row.unsupported_count,
});

// In finishPair's job update (old row values; $4 the pair, $15 the job, $18
// and $21 what it adds to processed and cancelled): this pair was the job's
// last open one. (This pair itself still reads PROCESSING in the statement's
// snapshot.)
const LAST_OPEN_PAIR = `(status IN ('PENDING', 'QUEUED', 'PROCESSING') AND processed_models + $18 + cancelled_count + $21 >= total_models
  AND NOT EXISTS (SELECT 1 FROM certification_job_pairs o WHERE o.job_id = $15 AND o.id <> $4 AND o.status IN ('PENDING', 'QUEUED', 'PROCESSING')))`;
const ENDED_BY_PAIR = ["COMPLETED", "FAILED"];

// Records a pair's outcome in one statement: the pair (guarded: only from
// PROCESSING, so a replay or a stalled twin records nothing), the history run,
// the current certification of the cell and the job's counters. The last pair
// also ends the job, in the same statement when every other pair is final:
// nobody reads a job whose every pair is counted but which still runs (the
// job page did, and showed 100 % "Processing"). A pair finishing at the same
// moment in another statement still looks open to this one; then the job's
// counters are committed first and endJobIfDone, right after, ends it.
export async function finishPair(
  db: PrismaClient,
  p: { jobId: string; pairId: string; round: number; modelId: string; region: string },
  outcome: PairOutcome,
  createdBy: string | null,
): Promise<FinishResult> {
  const runId = randomUUID();
  const cancelled = outcome.status === "CANCELLED";
  const counter = counterOf(outcome);
  const speeds = cellSpeeds(outcome.testResults);
  const rows = await db.$queryRawUnsafe<FinishRow[]>(
    `WITH moved AS (
       UPDATE certification_job_pairs
          SET status = $6::"CertificationStatus", passed = $7, run_id = $1, availability = COALESCE($22::"PairAvailability", availability), completed_at = ($13::timestamptz AT TIME ZONE 'UTC'), updated_at = ${NOW}
        WHERE id = $4 AND round = $5 AND status = 'PROCESSING'
       RETURNING id
     ), run AS (
       INSERT INTO certification_runs (id, model_id, region, job_id, status, passed, score, rating, test_results, error_message, error_category, started_at, completed_at, duration, created_at, created_by, availability)
       SELECT $1, $2, $3, $15, $6::"CertificationStatus", $7, $8, $9::"CertificationRating", $10::jsonb, $11, $12::"ErrorCategory",
              ($14::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'), $16, ${NOW}, $17, $22::"PairAvailability"
        WHERE EXISTS (SELECT 1 FROM moved)
       RETURNING id
     ), cell AS (
       INSERT INTO model_certifications (id, model_id, region, status, passed, score, rating, test_results, error_message, error_category, job_id, started_at, completed_at, duration, created_at, updated_at, created_by, availability,
                                         time_to_first_token_ms, tokens_per_second, latency_ms, broken_capabilities)
       SELECT gen_random_uuid()::text, $2, $3, $6::"CertificationStatus", $7, $8, $9::"CertificationRating", $10::jsonb, $11, $12::"ErrorCategory", $15,
              ($14::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'), $16, ${NOW}, ${NOW}, $17, $22::"PairAvailability",
              $27::float8, $28::float8, $29::float8, $30
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (model_id, region) DO UPDATE SET
          status = EXCLUDED.status, passed = EXCLUDED.passed, score = EXCLUDED.score, rating = EXCLUDED.rating, test_results = EXCLUDED.test_results,
          time_to_first_token_ms = EXCLUDED.time_to_first_token_ms, tokens_per_second = EXCLUDED.tokens_per_second, latency_ms = EXCLUDED.latency_ms,
          broken_capabilities = EXCLUDED.broken_capabilities,
          -- Whether this run regressed is decided after it is recorded (lib/watch).
          regressed_at = NULL,
          error_message = EXCLUDED.error_message, error_category = EXCLUDED.error_category, job_id = EXCLUDED.job_id, started_at = EXCLUDED.started_at,
          completed_at = EXCLUDED.completed_at, duration = EXCLUDED.duration, updated_at = EXCLUDED.updated_at, created_by = EXCLUDED.created_by,
          availability = COALESCE(EXCLUDED.availability, model_certifications.availability),
          -- A new certification is no longer the legacy migration's row.
          legacy_id = NULL
       RETURNING id
     )
     UPDATE certification_jobs
        SET processed_models = processed_models + $18, success_count = success_count + $19, failure_count = failure_count + $20,
            cancelled_count = cancelled_count + $21, not_offered_count = not_offered_count + $23, profile_only_count = profile_only_count + $24,
            legacy_count = legacy_count + $25, unsupported_count = unsupported_count + $26, updated_at = ${NOW},
            status = CASE WHEN ${LAST_OPEN_PAIR} THEN ${endedStatus("success_count + $19", "failure_count + $20")} ELSE status END,
            completed_at = CASE WHEN ${LAST_OPEN_PAIR} THEN ${NOW} ELSE completed_at END,
            duration = CASE WHEN ${LAST_OPEN_PAIR} THEN ${JOB_DURATION} ELSE duration END
      WHERE id = $15 AND EXISTS (SELECT 1 FROM moved)
     RETURNING ${JOB_COUNTER_COLUMNS}`,
    runId,
    p.modelId,
    p.region,
    p.pairId,
    p.round,
    outcome.status,
    outcome.passed,
    outcome.score,
    outcome.rating,
    JSON.stringify(outcome.testResults),
    outcome.errorMessage,
    outcome.errorCategory,
    outcome.completedAt,
    outcome.startedAt,
    p.jobId,
    outcome.durationMs,
    createdBy,
    cancelled ? 0 : 1,
    counter === "successCount" ? 1 : 0,
    counter === "failureCount" ? 1 : 0,
    cancelled ? 1 : 0,
    outcome.availability,
    counter === "notOfferedCount" ? 1 : 0,
    counter === "profileOnlyCount" ? 1 : 0,
    counter === "legacyCount" ? 1 : 0,
    counter === "unsupportedCount" ? 1 : 0,
    speeds.timeToFirstTokenMs,
    speeds.tokensPerSecond,
    speeds.latencyMs,
    speeds.brokenCapabilities,
  );
  const row = rows[0];
  if (!row) return { counted: false, job: null, runId: null, ended: null };
  let job = jobCountersFromRow(row);
  // Ended by the statement: a job with a pair still open is never completed
  // or failed (ending needs every pair final; a retry reopens the job first).
  let ended: string | null = ENDED_BY_PAIR.includes(job.status) ? job.status : null;
  if (!ended && job.processedModels + job.cancelledCount >= job.totalModels && ["PENDING", "QUEUED", "PROCESSING"].includes(job.status)) {
    ended = await endJobIfDone(db, p.jobId);
    if (ended) job = { ...job, status: ended };
  }
  return { counted: true, job, runId, ended };
}
