import "server-only";
// A job's pairs, planned by availability before anything runs: what the start
// dialog announces and what job creation writes. Creation is one statement
// whatever the job's size (the job, its pairs, and for the pairs that will
// not be tried their history run, their cell and the job's counters), so a
// 10,000-pair job never holds an interactive transaction open.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { ERROR_CATEGORIES } from "@/lib/bedrock/error-categories";
import { modelKind } from "@/lib/catalog/model-kind";
import { LAST_TRIED_MS, lastTriedMsJoin } from "./pair-order";
import { batteryFor, countPlan, emptyCounts, planPair, type BatteryName, type AvailabilityConfig, type AvailabilityCounts, type AvailabilityRecord, type PairPlan } from "./availability";

export type PlannedPair = { modelId: string; region: string; plan: PairPlan; bedrockModelId: string; battery: BatteryName };

// Plans every pair from the catalog (models and the sync's records) in two
// queries. What belongs to a model (its kind, battery, records by Region) is
// worked out once per model, not once per pair: for the whole catalog over
// every Region (23,694 pairs, bench:bigjob's catalog) keying every record by
// "model|Region" and working out each pair's model again made planPairs 217 ms
// (median of 12) against 133 ms so, reads included: paid by each job creation
// and each preview of the start dialog.
export async function planPairs(db: PrismaClient, pairs: { modelId: string; region: string }[], config: AvailabilityConfig): Promise<PlannedPair[]> {
  const modelIds = [...new Set(pairs.map((p) => p.modelId))];
  const regions = [...new Set(pairs.map((p) => p.region))];
  const [models, records] = await Promise.all([
    db.aIModel.findMany({ where: { id: { in: modelIds } }, select: { id: true, bedrockModelId: true, outputModalities: true, lifecycle: true } }),
    db.modelRegionAvailability.findMany({ where: { modelId: { in: modelIds }, region: { in: regions } }, select: { modelId: true, region: true, availability: true, legacy: true, profileIds: true } }),
  ]);
  const modelById = new Map(
    models.map((m) => {
      const model = { bedrockModelId: m.bedrockModelId!, outputModalities: m.outputModalities, lifecycle: m.lifecycle };
      return [m.id, { model, battery: batteryFor(modelKind(model)), recordIn: new Map<string, AvailabilityRecord>() }];
    }),
  );
  for (const r of records) modelById.get(r.modelId)?.recordIn.set(r.region, r);
  return pairs.map(({ modelId, region }) => {
    const { model, battery, recordIn } = modelById.get(modelId)!;
    return { modelId, region, bedrockModelId: model.bedrockModelId, battery, plan: planPair(model, recordIn.get(region) ?? null, config) };
  });
}

export function countPlanned(planned: PlannedPair[]): AvailabilityCounts {
  const counts = emptyCounts();
  for (const p of planned) countPlan(counts, p.plan);
  return counts;
}

export type NewJob = {
  type: string;
  regions: string[];
  modelIds: string[];
  config: unknown;
  createdBy: string | null;
  idempotencyKey: string | null;
};

// A pair written QUEUED, with its cell's last tried battery time (the queue
// order's best guess of how long it runs: ./pair-order.ts).
export type QueuedPair = { id: string; modelId: string; region: string; round: number; lastTriedMs: number | null };

// Inserts the job and all its pairs in one statement. Pairs that will not be
// tried are written already finished (COMPLETED, passed null, with their
// availability), with one history run each and their cell, and counted on the
// job; the rest are written QUEUED, their cells too (an existing cell keeps its
// last result until this run replaces it), and the job QUEUED: everything a
// worker needs in PostgreSQL before the queue has a pair (jobs.ts puts them on
// it; if that is cut short, the reconciler does). Writing them PENDING and then
// QUEUED in a second statement wrote every pair twice: 1.0–1.3 s of a
// 20,000-pair job's creation (bench:bigjob).
// `audit` is the entry recording who created the job: written by the same
// statement, so a job never exists without it.
export async function insertJob(db: PrismaClient, job: NewJob, planned: PlannedPair[], audit: Prisma.AuditEntryCreateInput): Promise<{ id: string; queued: QueuedPair[] }> {
  const counts = countPlanned(planned);
  const settled = planned.map((p) => p.plan.kind === "settle");
  const now = new Date().toISOString();
  const messageOf = (p: PlannedPair) => {
    if (p.plan.kind !== "settle") return null;
    const category = p.plan.category;
    return category ? `${ERROR_CATEGORIES[category].advice({ modelId: p.bedrockModelId, region: p.region })} (${p.plan.detail})` : p.plan.detail;
  };
  const results = planned.map((p) => (p.plan.kind === "settle" ? JSON.stringify({ version: 1, battery: p.battery, invokedId: null, via: "not-invoked", throttles: 0, tests: [] }) : null));
  const rows = await db.$queryRawUnsafe<{ job_id: string; id: string | null; model_id: string; region: string; round: number; last_tried_ms: number | null }[]>(
    `WITH job AS (
       INSERT INTO certification_jobs (id, type, regions, model_ids, status, total_models, processed_models, not_offered_count, profile_only_count, legacy_count, unsupported_count,
                                       config, created_by, idempotency_key, created_at, updated_at)
       VALUES (gen_random_uuid()::text, $1::"CertificationJobType", $2::text[], $3::text[], CASE WHEN $5::int < $4::int THEN 'QUEUED' ELSE 'PENDING' END::"JobStatus",
               $4::int, $5::int, $6, $7, $8, $9, $10::jsonb, $11, $12,
               ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'))
       RETURNING id
     ), input AS MATERIALIZED (
       SELECT t.model_id, t.region, t.availability::"PairAvailability" AS availability, t.settled, t.category::"ErrorCategory" AS category, t.message, t.results::jsonb AS results,
              CASE WHEN t.settled THEN gen_random_uuid()::text END AS run_id
         FROM unnest($14::text[], $15::text[], $16::text[], $17::bool[], $18::text[], $19::text[], $20::text[]) AS t(model_id, region, availability, settled, category, message, results)
     ), pairs AS (
       INSERT INTO certification_job_pairs (id, job_id, model_id, region, status, availability, run_id, started_at, completed_at, created_at, updated_at)
       SELECT gen_random_uuid()::text, job.id, i.model_id, i.region, CASE WHEN i.settled THEN 'COMPLETED' ELSE 'QUEUED' END::"CertificationStatus", i.availability, i.run_id,
              CASE WHEN i.settled THEN ($13::timestamptz AT TIME ZONE 'UTC') END, CASE WHEN i.settled THEN ($13::timestamptz AT TIME ZONE 'UTC') END,
              ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC')
         FROM input i, job
       RETURNING id, model_id, region, round, status
     ), queued_cells AS (
       INSERT INTO model_certifications (id, model_id, region, status, job_id, created_by, created_at, updated_at)
       SELECT gen_random_uuid()::text, i.model_id, i.region, 'QUEUED', job.id, $11, ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC')
         FROM input i, job WHERE NOT i.settled
       ON CONFLICT (model_id, region) DO UPDATE SET status = 'QUEUED', job_id = EXCLUDED.job_id, updated_at = EXCLUDED.updated_at
     ), runs AS (
       INSERT INTO certification_runs (id, model_id, region, job_id, status, passed, test_results, error_message, error_category, availability, started_at, completed_at, duration, created_at, created_by)
       SELECT i.run_id, i.model_id, i.region, job.id, 'COMPLETED', NULL, i.results, i.message, i.category, i.availability,
              ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'), 0, ($13::timestamptz AT TIME ZONE 'UTC'), $11
         FROM input i, job WHERE i.settled
     ), cells AS (
       INSERT INTO model_certifications (id, model_id, region, status, passed, score, rating, test_results, error_message, error_category, availability, job_id, started_at, completed_at, duration, created_at, updated_at, created_by)
       SELECT gen_random_uuid()::text, i.model_id, i.region, 'COMPLETED', NULL, NULL, NULL, i.results, i.message, i.category, i.availability, job.id,
              ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'), 0, ($13::timestamptz AT TIME ZONE 'UTC'), ($13::timestamptz AT TIME ZONE 'UTC'), $11
         FROM input i, job WHERE i.settled
       ON CONFLICT (model_id, region) DO UPDATE SET
          status = EXCLUDED.status, passed = NULL, score = NULL, rating = NULL, test_results = EXCLUDED.test_results, error_message = EXCLUDED.error_message,
          error_category = EXCLUDED.error_category, availability = EXCLUDED.availability, job_id = EXCLUDED.job_id, started_at = EXCLUDED.started_at,
          completed_at = EXCLUDED.completed_at, duration = 0, updated_at = EXCLUDED.updated_at, created_by = EXCLUDED.created_by, legacy_id = NULL,
          time_to_first_token_ms = NULL, tokens_per_second = NULL, latency_ms = NULL, broken_capabilities = NULL
     ), audit AS (
       INSERT INTO audit_log (id, actor_id, actor_email, via, action, target, details, ip, user_agent, created_at)
       SELECT gen_random_uuid()::text, $21, $22, $23, $24, job.id, $25::jsonb, $26, $27, ($13::timestamptz AT TIME ZONE 'UTC') FROM job
     )
     -- (Every CTE sees the snapshot from before the statement: "last" is the
     -- cell's previous run, not this statement's QUEUED.)
     SELECT job.id AS job_id, p.id, p.model_id, p.region, p.round, ${LAST_TRIED_MS}
       FROM job LEFT JOIN pairs p ON p.status = 'QUEUED'
       ${lastTriedMsJoin("p")}`,
    job.type,
    job.regions,
    job.modelIds,
    planned.length,
    settled.filter(Boolean).length,
    counts.notOffered,
    counts.profileOnly,
    counts.legacy,
    counts.unsupported,
    JSON.stringify(job.config),
    job.createdBy,
    job.idempotencyKey,
    now,
    planned.map((p) => p.modelId),
    planned.map((p) => p.region),
    planned.map((p) => (p.plan.kind === "settle" ? p.plan.availability : p.plan.confirmNotOffered ? "NOT_OFFERED" : p.plan.availability)),
    settled,
    planned.map((p) => (p.plan.kind === "settle" ? p.plan.category : null)),
    planned.map(messageOf),
    results,
    audit.actorId,
    audit.actorEmail,
    audit.via,
    audit.action,
    JSON.stringify(audit.details ?? {}),
    audit.ip ?? null,
    audit.userAgent ?? null,
  );
  return {
    id: rows[0]!.job_id,
    queued: rows.filter((r) => r.id !== null).map((r) => ({ id: r.id!, modelId: r.model_id, region: r.region, round: r.round, lastTriedMs: r.last_tried_ms })),
  };
}
