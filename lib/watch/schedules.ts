import "server-only";
// Schedules: certifications that start on their own. PostgreSQL holds them;
// BullMQ's job schedulers (one per active schedule, on the watch queue) fire
// them and are rebuilt from PostgreSQL at every worker start, after every
// change and by the reconciler (so a Redis loss only delays a firing). A
// firing starts one job per slot: the slot is the job's idempotency key.
import { audit, systemActor, type Actor } from "@/lib/audit";
import { isModelRef, modelRefsWhere } from "@/lib/catalog/model-ref";
import { modelKind } from "@/lib/catalog/model-kind";
import { certificationConfigSchema } from "@/lib/certification/config";
import { LIMITS } from "@/lib/certification/job-input";
import { startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { conflict, notFound, validationError, zodFields, type FieldError } from "@/lib/errors";
import type { PrismaClient, Schedule } from "@/lib/generated/prisma/client";
import type { WatchQueue } from "@/lib/queue/queues";
import { catalogSyncJob, fireScheduleJob } from "@/lib/queue/watch-jobs";
import { readSettings } from "./app-settings";
import { createLogger } from "@/lib/logger";
import { env } from "@/lib/env";
import { cronError, nextFireTimes, shortestIntervalSeconds } from "./cron";
import { scheduleChangeSchema, scheduleInputSchema, scheduleTargetSchema, type ScheduleTarget } from "./schedule-input";

const log = createLogger("schedules");

export type ScheduleDeps = { db: PrismaClient; watchQueue: WatchQueue };

export type NextFiring = { pairs: number; busy: number; fresh: number; capped: number };
export type ScheduleView = Omit<Schedule, "target"> & { target: ScheduleTarget; nextFireTimes: string[]; nextFiring?: NextFiring };

export function viewOf(s: Schedule): ScheduleView {
  return { ...s, target: scheduleTargetSchema.parse(s.target), nextFireTimes: s.paused ? [] : nextFireTimes(s.cron, s.timezone, 3).map((d) => d.toISOString()) };
}

// With what its next firing would queue, as things stand (planFiring).
async function withNextFiring(db: PrismaClient, s: Schedule): Promise<ScheduleView> {
  const plan = await planFiring(db, s);
  return { ...viewOf(s), nextFiring: { pairs: plan.pairs.length, busy: plan.busy, fresh: plan.fresh, capped: plan.capped } };
}

export async function listSchedules(db: PrismaClient): Promise<ScheduleView[]> {
  const schedules = await db.schedule.findMany({ orderBy: { name: "asc" } });
  return Promise.all(schedules.map((s) => withNextFiring(db, s)));
}

export async function getSchedule(db: PrismaClient, id: string): Promise<ScheduleView> {
  const s = await db.schedule.findUnique({ where: { id } });
  if (!s) throw notFound("Schedule");
  return withNextFiring(db, s);
}

// Names in a target must exist now (they are resolved again at every firing).
async function checkTarget(db: PrismaClient, target: ScheduleTarget): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (target.models.mode === "list") {
    const refs = target.models.modelIds;
    const rows = await db.aIModel.findMany({ where: modelRefsWhere(refs), select: { id: true, bedrockModelId: true } });
    refs.forEach((ref, i) => {
      if (!rows.some((m) => isModelRef(m, ref))) errors.push({ field: `target.models.modelIds.${i}`, reason: `unknown model "${ref}"` });
    });
  }
  if (target.models.mode === "providers") {
    const known = new Set((await db.aIModel.findMany({ select: { provider: true }, distinct: ["provider"] })).map((m) => m.provider.toLowerCase()));
    target.models.providers.forEach((p, i) => {
      if (!known.has(p.toLowerCase())) errors.push({ field: `target.models.providers.${i}`, reason: `no model of provider "${p}"` });
    });
  }
  if (target.regions.mode === "list") {
    const known = new Set((await db.region.findMany({ select: { code: true } })).map((r) => r.code));
    target.regions.regions.forEach((r, i) => {
      if (!known.has(r)) errors.push({ field: `target.regions.regions.${i}`, reason: `unknown Region "${r}"` });
    });
  }
  if (target.regions.mode === "geographies") {
    const known = new Set((await db.region.findMany({ select: { geography: true }, distinct: ["geography"] })).map((r) => r.geography.toLowerCase()));
    target.regions.geographies.forEach((g, i) => {
      if (!known.has(g.toLowerCase())) errors.push({ field: `target.regions.geographies.${i}`, reason: `unknown geography "${g}"` });
    });
  }
  return errors;
}

function tooOften(cron: string, timezone: string): FieldError[] {
  const gap = shortestIntervalSeconds(cron, timezone);
  const min = env.SCHEDULE_MIN_INTERVAL_SECONDS;
  return gap < min ? [{ field: "cron", reason: `fires every ${gap} s; a schedule fires at most every ${min} s (SCHEDULE_MIN_INTERVAL_SECONDS)` }] : [];
}

async function nameTaken(db: PrismaClient, name: string, except?: string) {
  const other = await db.schedule.findUnique({ where: { name }, select: { id: true } });
  return other && other.id !== except ? [{ field: "name", reason: `a schedule named "${name}" exists` }] : [];
}

export async function createSchedule(deps: ScheduleDeps, actor: Actor, raw: unknown): Promise<ScheduleView> {
  const parsed = scheduleInputSchema.safeParse(raw);
  if (!parsed.success) throw validationError(zodFields(parsed.error, "(body)"));
  const input = parsed.data;
  const errors = [...tooOften(input.cron, input.timezone), ...(await nameTaken(deps.db, input.name)), ...(await checkTarget(deps.db, input.target))];
  if (errors.length) throw validationError(errors);
  const created = await deps.db.$transaction(async (tx) => {
    const s = await tx.schedule.create({ data: { ...input, createdBy: actor.email } });
    await audit(tx, actor, "schedule.create", s.id, { name: s.name, cron: s.cron, timezone: s.timezone });
    return s;
  });
  await followInRedis(() => upsertScheduler(deps.watchQueue, created));
  return viewOf(created);
}

export async function updateSchedule(deps: ScheduleDeps, actor: Actor, id: string, raw: unknown): Promise<ScheduleView> {
  const parsed = scheduleChangeSchema.safeParse(raw);
  if (!parsed.success) throw validationError(zodFields(parsed.error, "(body)"));
  const change = parsed.data;
  const current = await deps.db.schedule.findUnique({ where: { id } });
  if (!current) throw notFound("Schedule");
  const errors: FieldError[] = [];
  if (change.cron !== undefined || change.timezone !== undefined) {
    const why = cronError(change.cron ?? current.cron, change.timezone ?? current.timezone);
    if (why) errors.push({ field: why.includes("time zone") ? "timezone" : "cron", reason: why });
    else errors.push(...tooOften(change.cron ?? current.cron, change.timezone ?? current.timezone));
  }
  if (change.name !== undefined) errors.push(...(await nameTaken(deps.db, change.name, id)));
  if (change.target) errors.push(...(await checkTarget(deps.db, change.target)));
  if (errors.length) throw validationError(errors);
  const updated = await deps.db.$transaction(async (tx) => {
    const s = await tx.schedule.update({ where: { id }, data: change });
    const action = change.paused === true && !current.paused ? "schedule.pause" : change.paused === false && current.paused ? "schedule.resume" : "schedule.update";
    await audit(tx, actor, action, id, { fields: Object.keys(change) });
    return s;
  });
  await followInRedis(() => upsertScheduler(deps.watchQueue, updated));
  return viewOf(updated);
}

export async function deleteSchedule(deps: ScheduleDeps, actor: Actor, id: string): Promise<void> {
  const deleted = await deps.db.$transaction(async (tx) => {
    const gone = await tx.schedule.deleteMany({ where: { id } });
    if (gone.count) await audit(tx, actor, "schedule.delete", id);
    return gone.count > 0;
  });
  if (!deleted) throw notFound("Schedule");
  await followInRedis(() => deps.watchQueue.removeJobScheduler(fireScheduleJob.schedulerId(id)));
}

// The change is saved in PostgreSQL; if Redis cannot take its scheduler now,
// the workers' reconciler does within RECONCILE_INTERVAL_MS (syncSchedulers).
async function followInRedis(change: () => Promise<unknown>) {
  await change().catch((err: Error) => log.warn({ err: err.message }, "job scheduler not updated now; the reconciler will"));
}

// The BullMQ side of one schedule: a job scheduler while it is active, none
// while it is paused.
export async function upsertScheduler(queue: WatchQueue, s: Pick<Schedule, "id" | "cron" | "timezone" | "paused">) {
  const schedulerId = fireScheduleJob.schedulerId(s.id);
  if (s.paused) {
    await queue.removeJobScheduler(schedulerId);
    return;
  }
  await queue.upsertJobScheduler(schedulerId, { pattern: s.cron, tz: s.timezone }, { name: fireScheduleJob.name, data: fireScheduleJob.schema.parse({ scheduleId: s.id }) });
}

// Makes Redis's job schedulers what PostgreSQL says: one per active schedule
// (same cron and time zone), none for paused or deleted ones, and the catalog
// sync's own (its setting, CATALOG_SYNC_CRON while an admin has not set it). Cheap when nothing changed: it reads the schedulers and only
// writes what differs.
export async function syncSchedulers(deps: ScheduleDeps, defaultCatalogCron: string): Promise<{ upserted: number; removed: number }> {
  const { catalogSyncCron: catalogCron } = await readSettings(deps.db, { catalogSyncCron: defaultCatalogCron });
  const existing = new Map((await deps.watchQueue.getJobSchedulers(0, -1)).map((j) => [j.key, j]));
  const wanted = new Map<string, { cron: string; tz: string; upsert: () => Promise<unknown> }>();
  for (const s of await deps.db.schedule.findMany({ where: { paused: false }, select: { id: true, cron: true, timezone: true, paused: true } })) {
    wanted.set(fireScheduleJob.schedulerId(s.id), { cron: s.cron, tz: s.timezone, upsert: () => upsertScheduler(deps.watchQueue, s) });
  }
  if (catalogCron !== "off") {
    wanted.set(catalogSyncJob.schedulerId, {
      cron: catalogCron,
      tz: "UTC",
      upsert: () => deps.watchQueue.upsertJobScheduler(catalogSyncJob.schedulerId, { pattern: catalogCron, tz: "UTC" }, { name: catalogSyncJob.name, data: {} }),
    });
  }
  let upserted = 0;
  let removed = 0;
  for (const [key, w] of wanted) {
    const have = existing.get(key);
    if (have && have.pattern === w.cron && (have.tz ?? "UTC") === w.tz) continue;
    await w.upsert();
    upserted++;
  }
  for (const key of existing.keys()) {
    if (!wanted.has(key)) {
      await deps.watchQueue.removeJobScheduler(key);
      removed++;
    }
  }
  return { upserted, removed };
}

type TargetPairs = { pairs: { modelId: string; region: string }[]; allModels: boolean; regions: string[] };

async function targetPairs(db: PrismaClient, target: ScheduleTarget): Promise<TargetPairs> {
  const models = (
    await db.aIModel.findMany({
      where: { enabled: true, bedrockModelId: { not: null } },
      select: { id: true, bedrockModelId: true, provider: true, outputModalities: true },
      orderBy: [{ provider: "asc" }, { name: "asc" }],
    })
  ).filter((m) => {
    const t = target.models;
    if (t.mode === "providers") return t.providers.some((p) => p.toLowerCase() === m.provider.toLowerCase());
    if (t.mode === "kinds") return (t.kinds as string[]).includes(modelKind(m));
    if (t.mode === "list") return t.modelIds.some((ref) => isModelRef(m, ref));
    return true;
  });
  const regions = (await db.region.findMany({ where: { enabled: true }, select: { code: true, geography: true }, orderBy: { code: "asc" } }))
    .filter((r) => {
      const t = target.regions;
      if (t.mode === "geographies") return t.geographies.some((g) => g.toLowerCase() === r.geography.toLowerCase());
      if (t.mode === "list") return t.regions.includes(r.code);
      return true;
    })
    .map((r) => r.code);
  return { pairs: models.flatMap((m) => regions.map((region) => ({ modelId: m.id, region }))), allModels: target.models.mode === "all", regions };
}

export type FireResult = { jobId: string | null; created: boolean; pairs: number; outcome: string };

// What a firing would queue now: the targeted pairs, less those already
// queued or running (in any job: a firing never queues a pair twice), less
// those certified within the schedule's age, the stalest first, capped at
// SCHEDULE_MAX_PAIRS_PER_FIRING (issue 28: one schedule queued the whole
// catalog every minute).
export type FiringPlan = { pairs: { modelId: string; region: string }[]; targeted: number; busy: number; fresh: number; capped: number; allModels: boolean; regions: string[] };

export async function planFiring(db: PrismaClient, s: Pick<Schedule, "target" | "olderThanHours">): Promise<FiringPlan> {
  const target = scheduleTargetSchema.parse(s.target);
  const { pairs: targeted, allModels, regions } = await targetPairs(db, target);
  const cells = targeted.length
    ? await db.modelCertification.findMany({
        where: { modelId: { in: [...new Set(targeted.map((p) => p.modelId))] }, region: { in: regions } },
        select: { modelId: true, region: true, status: true, completedAt: true },
      })
    : [];
  const cellOf = new Map(cells.map((c) => [`${c.modelId}|${c.region}`, c]));
  const cutoff = s.olderThanHours !== null ? Date.now() - s.olderThanHours * 3600_000 : null;
  let busy = 0;
  let fresh = 0;
  const open = targeted.filter((p) => {
    const c = cellOf.get(`${p.modelId}|${p.region}`);
    if (c && (c.status === "QUEUED" || c.status === "PROCESSING" || c.status === "PENDING")) return (void busy++, false);
    if (cutoff !== null && c?.completedAt && c.completedAt.getTime() >= cutoff) return (void fresh++, false);
    return true;
  });
  // The stalest first: never certified, then the oldest verdicts.
  const age = (p: { modelId: string; region: string }) => cellOf.get(`${p.modelId}|${p.region}`)?.completedAt?.getTime() ?? -Infinity;
  const sorted = open.length > env.SCHEDULE_MAX_PAIRS_PER_FIRING ? [...open].sort((a, b) => age(a) - age(b)) : open;
  const pairs = sorted.slice(0, Math.min(env.SCHEDULE_MAX_PAIRS_PER_FIRING, LIMITS.pairs));
  return { pairs, targeted: targeted.length, busy, fresh, capped: open.length - pairs.length, allModels, regions };
}

const OPEN_JOB = ["PENDING", "QUEUED", "PROCESSING", "PAUSED"] as const;

// One firing of a schedule for one slot. `slot` names the firing (the BullMQ
// job of the scheduler, or "now:<time>" for "run now"): the same slot never
// makes two jobs, however many times it is delivered. While the schedule's
// last job is still open nothing new starts ("run now" answers 409).
export async function fireSchedule(jobs: JobDeps, scheduleId: string, slot: string, actor?: Actor): Promise<FireResult> {
  const s = await jobs.db.schedule.findUnique({ where: { id: scheduleId } });
  if (!s) return { jobId: null, created: false, pairs: 0, outcome: "schedule deleted" };
  if (s.paused && !actor) return { jobId: null, created: false, pairs: 0, outcome: "schedule paused" };
  const who = actor ?? systemActor(`schedule:${s.name}`);
  const config = certificationConfigSchema.parse(s.config);
  const last = s.lastJobId ? await jobs.db.certificationJob.findUnique({ where: { id: s.lastJobId }, select: { status: true, idempotencyKey: true } }) : null;
  const lastOpen = last && (OPEN_JOB as readonly string[]).includes(last.status) && last.idempotencyKey !== `schedule:${s.id}:${slot}`;
  if (lastOpen && actor) throw conflict(`The schedule's last job (${s.lastJobId}) is still ${last.status.toLowerCase()}: it runs again once that job ends.`);
  let result: FireResult;
  const plan = lastOpen ? null : await planFiring(jobs.db, s);
  if (!plan) {
    result = { jobId: null, created: false, pairs: 0, outcome: `skipped: the last firing's job ${s.lastJobId} is still ${last!.status.toLowerCase()}` };
  } else if (plan.pairs.length === 0) {
    result = {
      jobId: null,
      created: false,
      pairs: 0,
      outcome: plan.busy && !plan.fresh ? "nothing to certify: every pair is queued or running" : s.olderThanHours !== null ? "nothing older than the schedule's age" : "nothing to certify",
    };
  } else {
    const whole = plan.allModels && s.olderThanHours === null && plan.busy === 0 && plan.capped === 0 && plan.regions.length <= LIMITS.regions;
    const input = whole ? { type: "ALL_MODELS" as const, regions: plan.regions, config } : { type: "RECERTIFY" as const, recertify: { mode: "pairs" as const, pairs: plan.pairs }, config };
    const left = [plan.busy ? `${plan.busy} queued or running` : "", plan.capped ? `${plan.capped} left for the next firing` : ""].filter(Boolean).join(", ");
    try {
      const started = await startCertificationJob(jobs, who, input, { idempotencyKey: `schedule:${s.id}:${slot}` });
      result = {
        jobId: started.id,
        created: started.created,
        pairs: plan.pairs.length,
        outcome: started.created ? `started ${plan.pairs.length} pairs${left ? ` (${left})` : ""}` : "already started for this slot",
      };
    } catch (err) {
      result = { jobId: null, created: false, pairs: 0, outcome: `could not start: ${(err as Error).message.slice(0, 200)}` };
    }
  }
  if (result.created || result.jobId === null) {
    await jobs.db.$transaction([
      jobs.db.schedule.update({ where: { id: s.id }, data: { lastFiredAt: new Date(), lastOutcome: result.outcome, ...(result.jobId ? { lastJobId: result.jobId } : {}) } }),
      audit(jobs.db, who, "schedule.fire", s.id, { slot, pairs: result.pairs, jobId: result.jobId, outcome: result.outcome }),
    ]);
  }
  return result;
}

export async function runScheduleNow(jobs: JobDeps, actor: Actor, id: string): Promise<FireResult> {
  if (!(await jobs.db.schedule.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Schedule");
  return fireSchedule(jobs, id, `now:${Date.now()}`, actor);
}
