import { cellSpeeds } from "@/lib/certification/cell-speeds";
import "server-only";
// The legacy data migration: every row of model_certifications_legacy becomes a
// regional certification (MIGRATED, or REPLACED over an older regional row), or
// is logged as SUPERSEDED (a newer row wins) or SKIPPED (it cannot be mapped).
// Batches of rows in one transaction each; the log (legacy_migration_entries)
// makes a second run a no-op and an interrupted run resumable; --verify checks
// it all against the sources; --rollback undoes exactly what it wrote.
import { isDeepStrictEqual } from "node:util";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { legacyTimeOf, mapLegacyRow, type LegacyRow, type MappingContext, type RegionalFields } from "./mapping";

export type Decision =
  | { legacyId: number; outcome: "MIGRATED"; fields: RegionalFields }
  | { legacyId: number; outcome: "REPLACED"; fields: RegionalFields; replaces: Record<string, unknown> }
  | { legacyId: number; outcome: "SUPERSEDED"; reason: string; certificationId: string | null }
  | { legacyId: number; outcome: "SKIPPED"; reason: string };

export type MigrationReport = {
  total: number;
  alreadyDone: number;
  batches: number;
  counts: Record<Decision["outcome"], number>;
  decisions: Decision[];
  remaining: number;
};

export async function mappingContext(db: PrismaClient, regionFor: MappingContext["regionFor"]): Promise<MappingContext> {
  const models = await db.aIModel.findMany({ where: { bedrockModelId: { not: null } }, select: { id: true, bedrockModelId: true, outputModalities: true } });
  const regions = await db.region.findMany({ select: { code: true } });
  return { modelsByBedrockId: new Map(models.map((m) => [m.bedrockModelId!, m])), regions: new Set(regions.map((r) => r.code)), regionFor };
}

const cellKey = (f: { modelId: string; region: string }) => `${f.modelId}|${f.region}`;

// For each cell, the legacy row that wins among the legacy rows mapping to it
// (the newest; the higher id on a tie). Computed over all rows, so batches agree.
async function newestLegacyPerCell(db: PrismaClient, ctx: MappingContext): Promise<Map<string, LegacyRow>> {
  const all = await db.modelCertificationLegacy.findMany({ orderBy: { id: "asc" } });
  const newest = new Map<string, LegacyRow>();
  for (const row of all) {
    const m = mapLegacyRow(row, ctx);
    if (!m.ok) continue;
    const current = newest.get(cellKey(m.fields));
    if (!current || legacyTimeOf(row) >= legacyTimeOf(current)) newest.set(cellKey(m.fields), row);
  }
  return newest;
}

const rowJson = (row: Record<string, unknown>) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>;

function decide(
  row: LegacyRow,
  ctx: MappingContext,
  newest: Map<string, LegacyRow>,
  existing: Map<string, { id: string; completedAt: Date | null; updatedAt: Date; row: Record<string, unknown> }>,
): Decision {
  const mapped = mapLegacyRow(row, ctx);
  if (!mapped.ok) return { legacyId: row.id, outcome: "SKIPPED", reason: mapped.reason };
  const f = mapped.fields;
  const winner = newest.get(cellKey(f))!;
  if (winner.id !== row.id) return { legacyId: row.id, outcome: "SUPERSEDED", reason: `legacy row ${winner.id} is newer for the same model and Region`, certificationId: null };
  const current = existing.get(cellKey(f));
  if (!current) return { legacyId: row.id, outcome: "MIGRATED", fields: f };
  const regionalTime = current.completedAt ?? current.updatedAt;
  if (regionalTime >= f.completedAt) {
    return {
      legacyId: row.id,
      outcome: "SUPERSEDED",
      reason: `the regional certification ${current.id} (${regionalTime.toISOString()}) is newer than this one (${f.completedAt.toISOString()})`,
      certificationId: current.id,
    };
  }
  return { legacyId: row.id, outcome: "REPLACED", fields: f, replaces: current.row };
}

const certificationData = (f: RegionalFields) => ({ ...f, ...cellSpeeds(f.testResults), testResults: f.testResults as unknown as Prisma.InputJsonValue, jobId: null, duration: null });

export async function migrateLegacy(
  db: PrismaClient,
  ctx: MappingContext,
  options: { dryRun?: boolean; batchSize?: number; maxBatches?: number; onBatch?: (done: number, total: number, batch: Decision[]) => void } = {},
): Promise<MigrationReport> {
  const batchSize = options.batchSize ?? 500;
  const newest = await newestLegacyPerCell(db, ctx);
  const total = await db.modelCertificationLegacy.count();
  const alreadyDone = await db.legacyMigrationEntry.count();
  const report: MigrationReport = { total, alreadyDone, batches: 0, counts: { MIGRATED: 0, REPLACED: 0, SUPERSEDED: 0, SKIPPED: 0 }, decisions: [], remaining: 0 };
  let afterId = 0;
  for (;;) {
    if (options.maxBatches !== undefined && report.batches >= options.maxBatches) break;
    const rows = await db.modelCertificationLegacy.findMany({ where: { id: { gt: afterId }, migration: null }, orderBy: { id: "asc" }, take: batchSize });
    if (rows.length === 0) break;
    afterId = rows.at(-1)!.id;

    const run = async (tx: Prisma.TransactionClient | PrismaClient) => {
      const cells = await tx.modelCertification.findMany({
        where: { OR: rows.map((r) => mapLegacyRow(r, ctx)).flatMap((m) => (m.ok ? [{ modelId: m.fields.modelId, region: m.fields.region }] : [])) },
      });
      const existing = new Map(cells.map((c) => [cellKey(c), { id: c.id, completedAt: c.completedAt, updatedAt: c.updatedAt, row: rowJson(c) }]));
      const decisions = rows.map((r) => decide(r, ctx, newest, existing));
      if (options.dryRun) return decisions;
      for (const d of decisions) {
        if (d.outcome === "MIGRATED") {
          const created = await tx.modelCertification.create({ data: certificationData(d.fields) });
          await tx.legacyMigrationEntry.create({ data: { legacyId: d.legacyId, outcome: "MIGRATED", certificationId: created.id } });
        } else if (d.outcome === "REPLACED") {
          const updated = await tx.modelCertification.update({ where: { modelId_region: { modelId: d.fields.modelId, region: d.fields.region } }, data: certificationData(d.fields) });
          await tx.legacyMigrationEntry.create({
            data: {
              legacyId: d.legacyId,
              outcome: "REPLACED",
              certificationId: updated.id,
              previousState: d.replaces as Prisma.InputJsonValue,
              reason: `newer than the regional certification it replaced`,
            },
          });
        } else {
          await tx.legacyMigrationEntry.create({ data: { legacyId: d.legacyId, outcome: d.outcome, reason: d.reason, certificationId: d.outcome === "SUPERSEDED" ? d.certificationId : null } });
        }
      }
      return decisions;
    };
    const decisions = options.dryRun ? await run(db) : await db.$transaction((tx) => run(tx), { timeout: 120_000 });
    report.batches++;
    for (const d of decisions) report.counts[d.outcome]++;
    report.decisions.push(...decisions);
    options.onBatch?.(alreadyDone + report.decisions.length, total, decisions);
  }
  report.remaining = options.dryRun ? total - alreadyDone - report.decisions.length : await db.modelCertificationLegacy.count({ where: { migration: null } });
  return report;
}

export type VerifyProblem = { legacyId: number | null; problem: string };

// Every legacy row is logged; every written row still matches its source (or
// has been re-certified since); no regional row claims a legacy source the log
// does not know.
export async function verifyLegacy(db: PrismaClient, ctx: MappingContext): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const problems: VerifyProblem[] = [];
  const rows = await db.modelCertificationLegacy.findMany({ orderBy: { id: "asc" }, include: { migration: true } });
  const newest = await newestLegacyPerCell(db, ctx);
  const written = await db.modelCertification.findMany({ where: { legacyId: { not: null } } });
  const byLegacy = new Map(written.map((c) => [c.legacyId!, c]));
  for (const row of rows) {
    const entry = row.migration;
    if (!entry) {
      problems.push({ legacyId: row.id, problem: "not migrated, skipped or superseded yet" });
      continue;
    }
    const mapped = mapLegacyRow(row, ctx);
    if (entry.outcome === "SKIPPED") {
      if (mapped.ok) problems.push({ legacyId: row.id, problem: `logged SKIPPED (${entry.reason}) but it maps now` });
      else if (!entry.reason) problems.push({ legacyId: row.id, problem: "SKIPPED without a reason" });
      continue;
    }
    if (!mapped.ok) {
      problems.push({ legacyId: row.id, problem: `logged ${entry.outcome} but it does not map: ${mapped.reason}` });
      continue;
    }
    if (entry.outcome === "SUPERSEDED") {
      const winner = newest.get(cellKey(mapped.fields));
      const cell = await db.modelCertification.findUnique({ where: { modelId_region: { modelId: mapped.fields.modelId, region: mapped.fields.region } } });
      if (winner?.id === row.id && (!cell || (cell.completedAt ?? cell.updatedAt) < mapped.fields.completedAt))
        problems.push({ legacyId: row.id, problem: "logged SUPERSEDED but nothing newer exists" });
      continue;
    }
    const cell = byLegacy.get(row.id);
    if (!cell) {
      const current = await db.modelCertification.findUnique({ where: { modelId_region: { modelId: mapped.fields.modelId, region: mapped.fields.region } } });
      if (!current || current.completedAt === null || current.completedAt <= mapped.fields.completedAt)
        problems.push({ legacyId: row.id, problem: `logged ${entry.outcome} but its regional row is missing` });
      continue; // re-certified since: a newer certification replaced it
    }
    const f = mapped.fields;
    const differences = (
      [
        ["modelId", cell.modelId, f.modelId],
        ["region", cell.region, f.region],
        ["status", cell.status, f.status],
        ["passed", cell.passed, f.passed],
        ["score", cell.score, f.score],
        ["rating", cell.rating, f.rating],
        ["errorMessage", cell.errorMessage, f.errorMessage],
        ["errorCategory", cell.errorCategory, f.errorCategory],
        ["completedAt", cell.completedAt?.toISOString(), f.completedAt.toISOString()],
        ["createdAt", cell.createdAt.toISOString(), f.createdAt.toISOString()],
        ["createdBy", cell.createdBy, f.createdBy],
        ["testResults", cell.testResults, f.testResults],
      ] as const
    ).filter(([, a, b]) => !isDeepStrictEqual(a, b)); // JSONB reorders keys: compare structure
    for (const [field, actual, expected] of differences) problems.push({ legacyId: row.id, problem: `${field} is ${JSON.stringify(actual)}, the source says ${JSON.stringify(expected)}` });
    if (entry.certificationId !== cell.id) problems.push({ legacyId: row.id, problem: `the log names row ${entry.certificationId}, the source row is ${cell.id}` });
  }
  const known = new Set(rows.map((r) => r.id));
  for (const c of written) {
    if (!known.has(c.legacyId!)) problems.push({ legacyId: c.legacyId, problem: `regional row ${c.id} claims a legacy row that does not exist` });
    else if (!rows.find((r) => r.id === c.legacyId)?.migration) problems.push({ legacyId: c.legacyId, problem: `regional row ${c.id} claims a legacy row the log does not know` });
  }
  return { checked: rows.length, problems };
}

// Undoes the migration: removes the rows it created, restores the rows it
// replaced (as they were), and clears its log. Rows re-certified since the
// migration are kept: they are real certifications now.
export async function rollbackLegacy(db: PrismaClient): Promise<{ removed: number; restored: number; kept: number }> {
  return db.$transaction(
    async (tx) => {
      const entries = await tx.legacyMigrationEntry.findMany({ where: { outcome: { in: ["MIGRATED", "REPLACED"] } } });
      let removed = 0;
      let restored = 0;
      let kept = 0;
      for (const e of entries) {
        const cell = await tx.modelCertification.findUnique({ where: { legacyId: e.legacyId } });
        if (!cell) {
          kept++;
          continue;
        }
        if (e.outcome === "MIGRATED") {
          await tx.modelCertification.delete({ where: { id: cell.id } });
          removed++;
        } else {
          const before = e.previousState as Record<string, unknown>;
          const dates = ["startedAt", "completedAt", "createdAt", "updatedAt"] as const;
          const data = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, (dates as readonly string[]).includes(k) && typeof v === "string" ? new Date(v) : v]));
          await tx.$executeRawUnsafe(
            `UPDATE model_certifications SET status = $2::"CertificationStatus", passed = $3, score = $4, rating = $5::"CertificationRating", test_results = $6::jsonb,
                    error_message = $7, error_category = $8::"ErrorCategory", job_id = $9, started_at = $10, completed_at = $11, duration = $12,
                    created_at = $13, updated_at = $14, created_by = $15, legacy_id = $16
              WHERE id = $1`,
            cell.id,
            data.status,
            data.passed,
            data.score,
            data.rating,
            data.testResults === null || data.testResults === undefined ? null : JSON.stringify(data.testResults),
            data.errorMessage,
            data.errorCategory,
            data.jobId,
            data.startedAt,
            data.completedAt,
            data.duration,
            data.createdAt,
            data.updatedAt,
            data.createdBy,
            data.legacyId ?? null,
          );
          restored++;
        }
      }
      await tx.legacyMigrationEntry.deleteMany({});
      return { removed, restored, kept };
    },
    { timeout: 120_000 },
  );
}

export async function legacyMigrationStatus(db: PrismaClient) {
  const [total, grouped] = await Promise.all([db.modelCertificationLegacy.count(), db.legacyMigrationEntry.groupBy({ by: ["outcome"], _count: true })]);
  const counts = Object.fromEntries(grouped.map((g) => [g.outcome, g._count])) as Partial<Record<Decision["outcome"], number>>;
  const done = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return { total, migrated: counts.MIGRATED ?? 0, replaced: counts.REPLACED ?? 0, superseded: counts.SUPERSEDED ?? 0, skipped: counts.SKIPPED ?? 0, waiting: total - done };
}
