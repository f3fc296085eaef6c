import "server-only";
// The catalog watch: after every catalog sync (scheduled, from the console,
// the API or the command line), what changed becomes events — one per model,
// listing its Regions' changes with before and after — and, when
// CATALOG_AUTO_CERTIFY is on, a job certifies the pairs that changed: newly
// offered pairs get their first verdict, withdrawn pairs with a cell are
// closed by the engine's own availability rule (not offered: never a failure).
import { systemActor, type Actor } from "@/lib/audit";
import type { BedrockClients } from "@/lib/bedrock/clients";
import type { CatalogChange } from "@/lib/catalog/catalog-diff";
import { syncCatalog, type CatalogSyncReport } from "@/lib/catalog/sync";
import { LIMITS } from "@/lib/certification/job-input";
import { startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { recordEvent, type WatchDeps } from "./events";

export type CatalogWatchDeps = WatchDeps & { jobs: JobDeps; bedrock: BedrockClients; autoCertify: boolean };
export type WatchedSyncReport = CatalogSyncReport & { events: number; certifyJobId: string | null };

const CATALOG_WATCH = systemActor("catalog-watch");

function describe(c: CatalogChange): string {
  switch (c.change) {
    case "offered":
      return `offered in ${c.region} (${String(c.after).toLowerCase().replace("_", "-")})`;
    case "withdrawn":
      return `no longer offered in ${c.region}`;
    case "availability":
      return `${c.region}: ${String(c.before).toLowerCase().replace("_", "-")} → ${String(c.after).toLowerCase().replace("_", "-")}`;
    case "legacy":
      return c.after ? `legacy in ${c.region}` : `no longer legacy in ${c.region}`;
    case "profiles":
      return `${c.region}: inference profiles changed`;
  }
}

export async function recordCatalogChanges(deps: WatchDeps, report: Pick<CatalogSyncReport, "changes" | "createdModelIds">): Promise<number> {
  const byModel = new Map<string, CatalogChange[]>();
  for (const id of report.createdModelIds) byModel.set(id, []);
  for (const c of report.changes) byModel.set(c.modelId, [...(byModel.get(c.modelId) ?? []), c]);
  if (byModel.size === 0) return 0;
  const models = await deps.db.aIModel.findMany({ where: { id: { in: [...byModel.keys()] } }, select: { id: true, name: true, bedrockModelId: true } });
  // A model offered nowhere any more after this sync has been removed.
  const stillOffered = new Set(
    (await deps.db.modelRegionAvailability.findMany({ where: { modelId: { in: [...byModel.keys()] }, availability: { not: "NOT_OFFERED" } }, select: { modelId: true }, distinct: ["modelId"] })).map(
      (r) => r.modelId,
    ),
  );
  let events = 0;
  for (const model of models) {
    const changes = byModel.get(model.id)!;
    const added = report.createdModelIds.includes(model.id);
    const removed = !stillOffered.has(model.id) && changes.some((c) => c.change === "withdrawn");
    const regions = [...new Set(changes.map((c) => c.region))];
    const parts = [...(added ? ["new model"] : []), ...(removed ? ["removed from every Region"] : []), ...changes.slice(0, 6).map(describe)];
    if (changes.length > 6) parts.push(`and ${changes.length - 6} more`);
    await recordEvent(deps, {
      kind: "catalog.change",
      modelId: model.id,
      region: regions.length === 1 ? regions[0] : null,
      summary: `${model.name} (${model.bedrockModelId}): ${parts.join("; ")}`,
      details: { added, removed, changes },
    });
    events++;
  }
  return events;
}

// The pairs a change asks to certify: newly offered or re-routed pairs, and
// withdrawn pairs that have a cell to close.
async function pairsToCertify(deps: CatalogWatchDeps, changes: CatalogChange[]) {
  // A pair that turned legacy is re-evaluated like a withdrawn one: its cell's
  // verdict becomes the engine's neutral "legacy", not a stale green.
  const closes = (c: CatalogChange) => c.change === "withdrawn" || (c.change === "legacy" && c.after === true);
  const wanted = changes.filter((c) => c.change === "offered" || c.change === "availability" || closes(c));
  if (wanted.length === 0) return [];
  const cells = new Set(
    (await deps.db.modelCertification.findMany({ where: { modelId: { in: [...new Set(wanted.map((c) => c.modelId))] } }, select: { modelId: true, region: true } })).map(
      (c) => `${c.modelId}|${c.region}`,
    ),
  );
  const enabledModels = new Set((await deps.db.aIModel.findMany({ where: { enabled: true, bedrockModelId: { not: null } }, select: { id: true } })).map((m) => m.id));
  const enabledRegions = new Set((await deps.db.region.findMany({ where: { enabled: true }, select: { code: true } })).map((r) => r.code));
  return wanted
    .filter((c) => enabledModels.has(c.modelId) && enabledRegions.has(c.region))
    .filter((c) => !closes(c) || cells.has(`${c.modelId}|${c.region}`))
    .map((c) => ({ modelId: c.modelId, region: c.region }))
    .slice(0, LIMITS.pairs);
}

export async function syncCatalogAndWatch(deps: CatalogWatchDeps, actor: Actor, options: { regions?: string[] } = {}): Promise<WatchedSyncReport> {
  const report = await syncCatalog({ db: deps.db, bedrock: deps.bedrock, actor }, options);
  let events = await recordCatalogChanges(deps, report);
  // A Region whose listing was not believed (or believed only once confirmed): the feed says so.
  for (const r of report.regions) {
    const note = r.ok ? r.confirmed : r.held;
    if (!note) continue;
    await recordEvent(deps, { kind: "catalog.change", region: r.region, summary: `${r.region}: ${note}`, details: { region: r.region, held: !r.ok, note } });
    events++;
  }
  let certifyJobId: string | null = null;
  if (deps.autoCertify) {
    const pairs = await pairsToCertify(deps, report.changes);
    if (pairs.length) certifyJobId = (await startCertificationJob(deps.jobs, CATALOG_WATCH, { type: "RECERTIFY", recertify: { mode: "pairs", pairs } })).id;
  }
  return { ...report, events, certifyJobId };
}
