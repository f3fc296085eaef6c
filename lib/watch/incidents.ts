import "server-only";
// Incidents, N of M: a model failing in at least N of its offered Regions, or
// at least K models failing in one Region, within a window. Evaluated after
// every tried pair for that pair's model and Region; opened once (one open
// incident per subject: a unique key that is null once resolved), resolved
// after `clearRuns` evaluations in a row without the condition. Each
// evaluation is serialized per subject by a PostgreSQL advisory lock, so two
// workers finishing pairs of one model at once cannot open it twice.
// "Failing" and "offered" are the cells' own last verdicts: a pair not
// offered (or legacy, or not certifiable) never counts.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { metrics } from "@/lib/metrics/metrics";
import { recordEvent, type WatchDeps } from "./events";

export type IncidentThresholds = { modelMinRegions: number; regionMinModels: number; windowHours: number; clearRuns: number };
export type IncidentScope = "model" | "region";
export type Trigger = { modelId: string; region: string; passed: boolean; errorCategory: string | null; runId: string | null };

type Counts = { failing: number; offered: number; failingList: string[] };

async function countFailing(db: PrismaClient, scope: IncidentScope, subject: string, windowHours: number): Promise<Counts> {
  const rows = await db.$queryRawUnsafe<{ offered: bigint; failing: bigint; failing_list: string[] | null }[]>(
    `SELECT count(*) AS offered,
            count(*) FILTER (WHERE c.passed = false AND c.completed_at > (now() AT TIME ZONE 'UTC') - make_interval(secs => $2)) AS failing,
            array_agg(${scope === "model" ? "c.region ORDER BY c.region" : "m.bedrock_model_id ORDER BY m.bedrock_model_id"}) FILTER (WHERE c.passed = false AND c.completed_at > (now() AT TIME ZONE 'UTC') - make_interval(secs => $2)) AS failing_list
       FROM model_certifications c
       JOIN ai_models m ON m.id = c.model_id AND m.enabled
       JOIN regions r ON r.code = c.region AND r.enabled
      WHERE ${scope === "model" ? "c.model_id" : "c.region"} = $1
        AND c.availability IN ('IN_REGION', 'PROFILE_ONLY')`,
    subject,
    windowHours * 3600,
  );
  const r = rows[0]!;
  return { offered: Number(r.offered), failing: Number(r.failing), failingList: r.failing_list ?? [] };
}

function entry(trigger: Trigger, note: string) {
  return { at: new Date().toISOString(), modelId: trigger.modelId, region: trigger.region, passed: trigger.passed, errorCategory: trigger.errorCategory, runId: trigger.runId, note };
}

async function subjectName(db: PrismaClient, scope: IncidentScope, subject: string) {
  if (scope === "region") return subject;
  const m = await db.aIModel.findUnique({ where: { id: subject }, select: { name: true, bedrockModelId: true } });
  return m ? `${m.name} (${m.bedrockModelId})` : subject;
}

export async function evaluateIncident(
  deps: WatchDeps & { thresholds: IncidentThresholds },
  scope: IncidentScope,
  subject: string,
  trigger: Trigger,
): Promise<"opened" | "resolved" | "kept" | "none"> {
  const t = deps.thresholds;
  const openKey = `${scope}:${subject}`;
  const minimum = scope === "model" ? t.modelMinRegions : t.regionMinModels;
  const outcome = await deps.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${openKey}))::text`;
    const counts = await countFailing(tx as unknown as PrismaClient, scope, subject, t.windowHours);
    const open = await tx.incident.findUnique({ where: { openKey } });
    const holds = counts.failing >= minimum;
    if (!open) {
      if (!holds) return { result: "none" as const };
      const created = await tx.incident.create({
        data: { scope, subject, status: "OPEN", openKey, failing: counts.failing, offered: counts.offered, timeline: [entry(trigger, `opened: ${counts.failing} of ${counts.offered} failing`)] },
      });
      return { result: "opened" as const, incident: created, counts };
    }
    const timeline = [
      ...(open.timeline as Prisma.InputJsonValue[]),
      entry(trigger, holds ? `still ${counts.failing} of ${counts.offered} failing` : `cleared: ${counts.failing} of ${counts.offered} failing`),
    ].slice(-200);
    const clearStreak = holds ? 0 : open.clearStreak + 1;
    const resolves = !holds && clearStreak >= t.clearRuns;
    const updated = await tx.incident.update({
      where: { id: open.id },
      data: { failing: counts.failing, offered: counts.offered, clearStreak, timeline, ...(resolves ? { status: "RESOLVED", openKey: null, resolvedAt: new Date() } : {}) },
    });
    return { result: resolves ? ("resolved" as const) : ("kept" as const), incident: updated, counts };
  });
  if (outcome.result === "opened" || outcome.result === "resolved") {
    const name = await subjectName(deps.db, scope, subject);
    const { incident, counts } = outcome;
    if (outcome.result === "opened") metrics.incidentsOpened.inc({ scope });
    const what = scope === "model" ? `${name} failing in ${counts.failing} of its ${counts.offered} offered Regions` : `${counts.failing} of ${counts.offered} offered models failing in ${name}`;
    await recordEvent(deps, {
      kind: outcome.result === "opened" ? "incident.opened" : "incident.resolved",
      modelId: scope === "model" ? subject : null,
      region: scope === "region" ? subject : null,
      subjectId: incident.id,
      summary: outcome.result === "opened" ? `Incident opened: ${what}` : `Incident resolved: ${name}`,
      details: { incidentId: incident.id, scope, subject, failing: counts.failing, offered: counts.offered, failingIn: counts.failingList.slice(0, 50) },
    });
  }
  return outcome.result;
}
