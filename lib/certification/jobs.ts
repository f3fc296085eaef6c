import "server-only";
// The certification job services: start, pause, resume, cancel, retry the
// failed pairs, read progress. The API, the UI and the worker call these; the
// rules live here once. PostgreSQL is the truth; the queue is kept in step.
import type { RedisClient } from "@/lib/redis";
import { audit, auditEntry, systemActor, type Actor } from "@/lib/audit";
import { conflict, notFound, validationError, type FieldError } from "@/lib/errors";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { certifyPairJob } from "@/lib/queue/certify-pair-job";
import { channels } from "@/lib/queue/constants";
import { enqueuePairs, removePairs, type PairQueue } from "@/lib/queue/queues";
import { LAST_TRIED_MS, lastTriedMsJoin, longestFirst } from "./pair-order";
import { publishProgress, type JobCounters } from "./events";
import { ACTIVE_STATUSES, CANCELLABLE, FINISHED, PAUSABLE, RESUMABLE } from "./job-transitions";
import type { AvailabilityCounts } from "./availability";
import { countPlanned, insertJob, planPairs, type QueuedPair } from "./job-plan";
import { endJobIfDone } from "./pair-store";
import { LIMITS, startJobInputSchema, type StartJobInput } from "./job-input";
import { isModelRef, modelRefsWhere } from "@/lib/catalog/model-ref";

// onJobEnded: told when a job ends here (cancelled, or done without a pair
// left to run); the watch announces it (lib/watch/after-pair.ts). A job ended
// by its last pair is announced by the worker that recorded it.
export type JobDeps = { db: PrismaClient; queue: PairQueue; redis: RedisClient; prefix: string; onJobEnded?: (jobId: string) => Promise<void> };

async function tellEnded(deps: JobDeps, jobId: string) {
  await deps.onJobEnded?.(jobId).catch(() => {});
}
export type { Actor };

// A job's status and counters: what progress events and SSE snapshots carry.
export const JOB_COUNTERS = {
  id: true,
  status: true,
  totalModels: true,
  processedModels: true,
  successCount: true,
  failureCount: true,
  cancelledCount: true,
  notOfferedCount: true,
  profileOnlyCount: true,
  legacyCount: true,
  unsupportedCount: true,
} as const;

async function announce(deps: JobDeps, jobId: string) {
  const job = await deps.db.certificationJob.findUnique({ where: { id: jobId }, select: JOB_COUNTERS });
  if (job) await publishProgress(deps.redis, deps.prefix, { type: "job", jobId, job: job as JobCounters, at: new Date().toISOString() });
}

// Models named by internal id or Bedrock model id; every one must exist, be
// enabled and have a Bedrock id.
async function resolveModels(db: PrismaClient, refs: string[], field: string): Promise<{ ids: string[]; idOf: Map<string, string>; errors: FieldError[] }> {
  const rows = await db.aIModel.findMany({ where: modelRefsWhere(refs), select: { id: true, bedrockModelId: true, enabled: true } });
  const errors: FieldError[] = [];
  const idOf = new Map<string, string>();
  refs.forEach((ref, i) => {
    const m = rows.find((r) => isModelRef(r, ref));
    if (!m) errors.push({ field: `${field}.${i}`, reason: `unknown model "${ref}"` });
    else if (!m.enabled) errors.push({ field: `${field}.${i}`, reason: `model "${ref}" is disabled` });
    else if (!m.bedrockModelId) errors.push({ field: `${field}.${i}`, reason: `model "${ref}" has no Bedrock model id` });
    else idOf.set(ref, m.id);
  });
  return { ids: [...new Set(idOf.values())], idOf, errors };
}

async function checkRegions(db: PrismaClient, codes: string[], field: string): Promise<FieldError[]> {
  const rows = await db.region.findMany({ where: { code: { in: codes } }, select: { code: true, enabled: true } });
  return codes.flatMap((code, i) => {
    const r = rows.find((x) => x.code === code);
    if (!r) return [{ field: `${field}.${i}`, reason: `unknown Region "${code}"` }];
    if (!r.enabled) return [{ field: `${field}.${i}`, reason: `Region "${code}" is disabled` }];
    return [];
  });
}

export function parseStartJobInput(input: unknown) {
  const parsed = startJobInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", reason: i.message })));
  return parsed.data;
}

// The (model, Region) pairs a request asks for, validated against the catalog
// and the limit of a job.
async function pairsFor(db: PrismaClient, input: ReturnType<typeof parseStartJobInput>) {
  const selected = await selectPairs(db, input);
  if (selected.pairs.length > LIMITS.pairs) throw validationError([{ field: "regions", reason: `${selected.pairs.length} pairs is more than the ${LIMITS.pairs} a job may hold` }]);
  return selected;
}

async function selectPairs(db: PrismaClient, input: ReturnType<typeof parseStartJobInput>): Promise<{ modelIds: string[]; regions: string[]; pairs: { modelId: string; region: string }[] }> {
  const errors: FieldError[] = [];
  if (input.type !== "RECERTIFY") {
    errors.push(...(await checkRegions(db, input.regions, "regions")));
    let modelIds: string[];
    if (input.type === "ALL_MODELS") {
      modelIds = (await db.aIModel.findMany({ where: { enabled: true, bedrockModelId: { not: null } }, select: { id: true }, orderBy: [{ provider: "asc" }, { name: "asc" }] })).map((m) => m.id);
      if (modelIds.length === 0) errors.push({ field: "type", reason: "no enabled model in the catalog" });
    } else {
      const resolved = await resolveModels(db, input.modelIds, "modelIds");
      errors.push(...resolved.errors);
      modelIds = resolved.ids;
    }
    if (errors.length) throw validationError(errors);
    return { modelIds, regions: input.regions, pairs: modelIds.flatMap((modelId) => input.regions.map((region) => ({ modelId, region }))) };
  }

  const r = input.recertify;
  if (r.mode === "pairs") {
    const resolved = await resolveModels(
      db,
      r.pairs.map((p) => p.modelId),
      "recertify.pairs.modelId",
    );
    errors.push(...resolved.errors.map((e) => ({ ...e, field: e.field.replace(/^recertify\.pairs\.modelId\.(\d+)$/, "recertify.pairs.$1.modelId") })));
    errors.push(
      ...(
        await checkRegions(
          db,
          r.pairs.map((p) => p.region),
          "recertify.pairs",
        )
      ).map((e) => ({ ...e, field: `${e.field}.region` })),
    );
    if (errors.length) throw validationError(errors);
    const idOf = resolved.idOf;
    const unique = new Map(r.pairs.map((p) => [`${idOf.get(p.modelId)}|${p.region}`, { modelId: idOf.get(p.modelId)!, region: p.region }]));
    const pairs = [...unique.values()];
    return { modelIds: [...new Set(pairs.map((p) => p.modelId))], regions: [...new Set(pairs.map((p) => p.region))], pairs };
  }

  if (input.regions) errors.push(...(await checkRegions(db, input.regions, "regions")));
  const narrowed = input.modelIds ? await resolveModels(db, input.modelIds, "modelIds") : null;
  if (narrowed) errors.push(...narrowed.errors);
  if (errors.length) throw validationError(errors);
  const where: Prisma.ModelCertificationWhereInput = {
    model: { enabled: true, bedrockModelId: { not: null } },
    regionRef: { enabled: true },
    ...(input.regions ? { region: { in: input.regions } } : {}),
    ...(narrowed ? { modelId: { in: narrowed.ids } } : {}),
    ...(r.mode === "failed"
      ? { status: "FAILED" }
      : { OR: [{ completedAt: { lt: new Date(Date.now() - r.olderThanHours * 3600_000) } }, { completedAt: null, status: { notIn: ["QUEUED", "PROCESSING"] } }] }),
  };
  const cells = await db.modelCertification.findMany({ where, select: { modelId: true, region: true }, orderBy: [{ modelId: "asc" }, { region: "asc" }] });
  if (cells.length === 0) throw validationError([{ field: "recertify.mode", reason: r.mode === "failed" ? "no failed certification to re-certify" : "no certification is stale" }]);
  return { modelIds: [...new Set(cells.map((c) => c.modelId))], regions: [...new Set(cells.map((c) => c.region))], pairs: cells };
}

export type StartedJob = { id: string; created: boolean };

export async function startCertificationJob(deps: JobDeps, actor: Actor, rawInput: StartJobInput | unknown, options: { idempotencyKey?: string } = {}): Promise<StartedJob> {
  const input = parseStartJobInput(rawInput);
  if (options.idempotencyKey) {
    const existing = await deps.db.certificationJob.findUnique({ where: { idempotencyKey: options.idempotencyKey }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
  }
  const { modelIds, regions, pairs } = await pairsFor(deps.db, input);

  const planned = await planPairs(deps.db, pairs, input.config);
  let created: Awaited<ReturnType<typeof insertJob>>;
  try {
    created = await insertJob(
      deps.db,
      { type: input.type, regions, modelIds, config: input.config, createdBy: actor.email, idempotencyKey: options.idempotencyKey ?? null },
      planned,
      auditEntry(actor, "job.create", null, { type: input.type, pairs: planned.length }),
    );
  } catch (err) {
    // Two requests with the same Idempotency-Key at once: the second gets the first's job.
    const existing = options.idempotencyKey ? await deps.db.certificationJob.findUnique({ where: { idempotencyKey: options.idempotencyKey }, select: { id: true } }) : null;
    if (existing) return { id: existing.id, created: false };
    throw err;
  }
  await queuePairs(deps, created.id, created.queued);
  // A job whose every pair was settled by its availability is done already.
  await finalizeIfDone(deps, created.id);
  return { id: created.id, created: true };
}

// What a job would be, before it is started: its pairs by availability, with
// the same rule and numbers the job will show.
export async function previewJob(deps: Pick<JobDeps, "db">, rawInput: StartJobInput | unknown): Promise<AvailabilityCounts> {
  const input = parseStartJobInput(rawInput);
  const { pairs } = await pairsFor(deps.db, input);
  return countPlanned(await planPairs(deps.db, pairs, input.config));
}

// Puts every PENDING pair of a job on the queue and marks the cells QUEUED.
// Safe to repeat: ids are deterministic and the updates are guarded.
export async function enqueueOpenPairs(deps: JobDeps, jobId: string, options: { replaceFinished?: boolean } = {}): Promise<number> {
  const job = await deps.db.certificationJob.findUnique({ where: { id: jobId }, select: { status: true, createdBy: true } });
  if (!job || !ACTIVE_STATUSES.includes(job.status)) return 0;
  // PostgreSQL first, then the queue: a worker can only take a pair once its
  // cell says QUEUED, so a fast pair's result is never overwritten by QUEUED.
  // (Pairs marked QUEUED whose queue entry is then lost are re-enqueued by the
  // reconciler.) One statement: the job's PENDING pairs become QUEUED (and are
  // the ones returned), the job too, and every cell in one upsert — a new cell
  // starts QUEUED; an existing one keeps its last result until this run
  // replaces it. (20,000 pairs: 1.0–1.3 s, against 1.5–1.7 s for a read and
  // three statements over a list of ids: bench:bigjob.) Each pair comes back
  // with its cell's last tried battery time, the queue order's best guess of
  // how long it runs (read before the upsert: the statement's CTEs share one
  // snapshot).
  const pairs = (
    await deps.db.$queryRaw<{ id: string; model_id: string; region: string; round: number; last_tried_ms: number | null }[]>`
      WITH moved AS (
        UPDATE certification_job_pairs SET status = 'QUEUED', updated_at = (now() AT TIME ZONE 'UTC')
         WHERE job_id = ${jobId} AND status = 'PENDING'
        RETURNING id, model_id, region, round
      ), job AS (
        UPDATE certification_jobs SET status = 'QUEUED', updated_at = (now() AT TIME ZONE 'UTC') WHERE id = ${jobId} AND status = 'PENDING' RETURNING id
      ), cells AS (
        INSERT INTO model_certifications (id, model_id, region, status, job_id, created_by, created_at, updated_at)
        SELECT gen_random_uuid()::text, model_id, region, 'QUEUED', ${jobId}, ${job.createdBy}, (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') FROM moved
        ON CONFLICT (model_id, region) DO UPDATE SET status = 'QUEUED', job_id = EXCLUDED.job_id, updated_at = (now() AT TIME ZONE 'UTC')
        RETURNING 1
      )
      SELECT mv.id, mv.model_id, mv.region, mv.round, ${Prisma.raw(LAST_TRIED_MS)}
        FROM moved mv ${Prisma.raw(lastTriedMsJoin("mv"))}`
  ).map((p) => ({ id: p.id, modelId: p.model_id, region: p.region, round: p.round, lastTriedMs: p.last_tried_ms }));
  await queuePairs(deps, jobId, pairs, options);
  return pairs.length;
}

// Puts pairs PostgreSQL already has QUEUED on the queue, longest expected
// battery first. Announced before any worker can have the pairs, so this read
// of the job is never older than the pair events that follow it.
async function queuePairs(deps: JobDeps, jobId: string, pairs: QueuedPair[], options: { replaceFinished?: boolean } = {}) {
  await announce(deps, jobId);
  await enqueueLongestFirst(deps, jobId, pairs, options);
}

// Pairs PostgreSQL has QUEUED or PROCESSING whose queue entry is gone (Redis
// lost it, or its worker died with it): back on the queue in the same order
// and with the same weights as when the job was created, from their cells'
// last tried runs (a cell keeps its last result while its pair is open).
export async function requeueLostPairs(deps: JobDeps, jobId: string, lost: { id: string; modelId: string; region: string; round: number }[]): Promise<void> {
  if (lost.length === 0) return;
  const rows = await deps.db.$queryRaw<{ id: string; last_tried_ms: number | null }[]>`
    SELECT p.id, ${Prisma.raw(LAST_TRIED_MS)}
      FROM certification_job_pairs p ${Prisma.raw(lastTriedMsJoin("p"))}
     WHERE p.id = ANY(${lost.map((p) => p.id)}::text[])`;
  const lastTried = new Map(rows.map((r) => [r.id, r.last_tried_ms]));
  await enqueueLongestFirst(
    deps,
    jobId,
    lost.map((p) => ({ ...p, lastTriedMs: lastTried.get(p.id) ?? null })),
    { replaceFinished: true },
  );
}

async function enqueueLongestFirst(deps: JobDeps, jobId: string, pairs: QueuedPair[], options: { replaceFinished?: boolean }) {
  if (pairs.length === 0) return;
  const models = await deps.db.aIModel.findMany({ where: { id: { in: [...new Set(pairs.map((p) => p.modelId))] } }, select: { id: true, bedrockModelId: true, outputModalities: true } });
  await enqueuePairs(
    deps.queue,
    longestFirst(pairs, new Map(models.map((m) => [m.id, m]))).map((p) => ({ jobId, pairId: p.id, modelId: p.modelId, region: p.region, round: p.round, weight: p.weight })),
    options,
  );
}

// Takes pairs off the queue. A pair a worker is already holding cannot be
// removed; the worker sees the job's state instead.
async function removeFromQueue(queue: PairQueue, pairs: { id: string; round: number }[]) {
  await removePairs(
    queue,
    pairs.map((p) => certifyPairJob.jobId({ pairId: p.id, round: p.round })),
  );
}

async function loadJob(db: PrismaClient, jobId: string) {
  const job = await db.certificationJob.findUnique({ where: { id: jobId }, select: { id: true, status: true } });
  if (!job) throw notFound("Certification job");
  return job;
}

// No new pair starts; pairs already running finish.
export async function pauseJob(deps: JobDeps, actor: Actor, jobId: string): Promise<void> {
  const job = await loadJob(deps.db, jobId);
  const paused = await deps.db.$transaction(async (tx) => {
    const moved = await tx.certificationJob.updateMany({ where: { id: jobId, status: { in: PAUSABLE } }, data: { status: "PAUSED" } });
    if (moved.count > 0) await audit(tx, actor, "job.pause", jobId);
    return moved.count > 0;
  });
  if (!paused) throw conflict(`A ${job.status.toLowerCase()} job cannot be paused`);
  const waiting = await deps.db.certificationJobPair.findMany({ where: { jobId, status: "QUEUED" }, select: { id: true, round: true } });
  // Take the waiting pairs off the queue; one a worker is already holding is
  // sent back to PENDING by the worker when it sees the pause.
  await removeFromQueue(deps.queue, waiting);
  await deps.db.certificationJobPair.updateMany({ where: { jobId, status: "QUEUED" }, data: { status: "PENDING" } });
  await announce(deps, jobId);
}

// A job pauses itself when AWS refuses the workers' credentials: every pair
// would fail the same way, and none of it would be the model's doing. The
// pair that met it goes back to waiting (so a resume runs it again), the
// reason is kept on the job for its page, and the feed says it once. Any
// number of workers may meet it at once: the first pauses, all put their
// pair back.
export async function pauseJobItself(deps: JobDeps, jobId: string, pair: { pairId: string; round: number }, reason: string): Promise<{ paused: boolean }> {
  const paused = await deps.db.$transaction(async (tx) => {
    await tx.certificationJobPair.updateMany({ where: { id: pair.pairId, round: pair.round, status: "PROCESSING" }, data: { status: "PENDING", workerId: null } });
    const moved = await tx.certificationJob.updateMany({ where: { id: jobId, status: { in: PAUSABLE } }, data: { status: "PAUSED", pauseReason: reason } });
    if (moved.count > 0) await audit(tx, systemActor("credentials"), "job.pause", jobId, { reason });
    return moved.count > 0;
  });
  const waiting = await deps.db.certificationJobPair.findMany({ where: { jobId, status: "QUEUED" }, select: { id: true, round: true } });
  await removeFromQueue(deps.queue, waiting);
  await deps.db.certificationJobPair.updateMany({ where: { jobId, status: "QUEUED" }, data: { status: "PENDING" } });
  if (paused) await announce(deps, jobId);
  return { paused };
}

export async function resumeJob(deps: JobDeps, actor: Actor, jobId: string): Promise<void> {
  const job = await loadJob(deps.db, jobId);
  const started = await deps.db.certificationJob.findUniqueOrThrow({ where: { id: jobId }, select: { startedAt: true } });
  const resumed = await deps.db.$transaction(async (tx) => {
    const moved = await tx.certificationJob.updateMany({ where: { id: jobId, status: { in: RESUMABLE } }, data: { status: started.startedAt ? "PROCESSING" : "QUEUED", pauseReason: null } });
    if (moved.count > 0) await audit(tx, actor, "job.resume", jobId);
    return moved.count > 0;
  });
  if (!resumed) throw conflict(`A ${job.status.toLowerCase()} job cannot be resumed`);
  await enqueueOpenPairs(deps, jobId, { replaceFinished: true });
  await finalizeIfDone(deps, jobId);
}

// Pending pairs are cancelled at once; running ones are aborted in whichever
// worker runs them (their cells end CANCELLED when the worker records it).
export async function cancelJob(deps: JobDeps, actor: Actor, jobId: string): Promise<void> {
  const job = await loadJob(deps.db, jobId);
  const open = await deps.db.certificationJobPair.findMany({ where: { jobId, status: { in: ["PENDING", "QUEUED"] } }, select: { id: true, round: true, modelId: true, region: true } });
  const cancelled = await deps.db.$transaction(async (tx) => {
    const moved = await tx.certificationJob.updateMany({ where: { id: jobId, status: { in: CANCELLABLE } }, data: { status: "CANCELLED", completedAt: new Date() } });
    if (moved.count === 0) return false;
    const pairs = await tx.certificationJobPair.updateMany({ where: { jobId, status: { in: ["PENDING", "QUEUED"] } }, data: { status: "CANCELLED", completedAt: new Date() } });
    await tx.certificationJob.update({ where: { id: jobId }, data: { cancelledCount: { increment: pairs.count } } });
    // The cells this job had queued and not yet started.
    await tx.modelCertification.updateMany({
      where: { jobId, status: { in: ["PENDING", "QUEUED"] } },
      data: { status: "CANCELLED", errorCategory: "CANCELLED", errorMessage: "Cancelled before it ran." },
    });
    await audit(tx, actor, "job.cancel", jobId, { cancelledPairs: pairs.count });
    return true;
  });
  if (!cancelled) throw conflict(`A ${job.status.toLowerCase()} job cannot be cancelled`);
  await removeFromQueue(deps.queue, open);
  await deps.redis.publish(channels(deps.prefix).cancel, JSON.stringify({ jobId }));
  await announce(deps, jobId);
  await tellEnded(deps, jobId);
}

// Runs the failed pairs of a finished job again, as a new round.
export async function retryFailed(deps: JobDeps, actor: Actor, jobId: string): Promise<{ retried: number }> {
  const job = await loadJob(deps.db, jobId);
  if (!FINISHED.includes(job.status)) throw conflict(`Only a finished job's failed pairs can be retried; this job is ${job.status.toLowerCase()}`);
  const retried = await deps.db.$transaction(async (tx) => {
    const failed = await tx.certificationJobPair.findMany({ where: { jobId, status: "FAILED" }, select: { id: true } });
    if (failed.length === 0) return 0;
    await tx.certificationJobPair.updateMany({
      where: { id: { in: failed.map((p) => p.id) }, status: "FAILED" },
      data: { status: "PENDING", round: { increment: 1 }, passed: null, runId: null, workerId: null, startedAt: null, completedAt: null },
    });
    await tx.certificationJob.update({
      where: { id: jobId },
      data: { status: "PENDING", processedModels: { decrement: failed.length }, failureCount: { decrement: failed.length }, completedAt: null, duration: null },
    });
    await audit(tx, actor, "job.retry-failed", jobId, { retried: failed.length });
    return failed.length;
  });
  if (retried === 0) throw conflict("This job has no failed pairs to retry");
  await enqueueOpenPairs(deps, jobId);
  return { retried };
}

// The actions an admin takes on a job, by their names in the API and the
// console. A Map, not an object: "toString" or "__proto__" finds nothing.
export const JOB_ACTION_NAMES = ["pause", "resume", "cancel", "retry-failed"] as const;
const JOB_ACTIONS = new Map<string, (deps: JobDeps, actor: Actor, jobId: string) => Promise<void | { retried: number }>>([
  ["pause", pauseJob],
  ["resume", resumeJob],
  ["cancel", cancelJob],
  ["retry-failed", retryFailed],
]);

// Runs one by name (404 for any other name) and says where the job stands after it.
export async function runJobAction(deps: JobDeps, actor: Actor, jobId: string, name: string) {
  const action = JOB_ACTIONS.get(name);
  if (!action) throw notFound("Job action");
  const result = await action(deps, actor, jobId);
  const job = await deps.db.certificationJob.findUniqueOrThrow({ where: { id: jobId }, select: { id: true, status: true, processedModels: true, totalModels: true } });
  return { job, retried: result?.retried ?? null };
}

// Ends a job whose every pair is final (used after a resume or by the reconciler).
export async function finalizeIfDone(deps: JobDeps, jobId: string): Promise<boolean> {
  const ended = await endJobIfDone(deps.db, jobId);
  if (ended) {
    await announce(deps, jobId);
    await tellEnded(deps, jobId);
  }
  return ended !== null;
}
