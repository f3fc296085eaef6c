import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isLegacyModel, type ModelRow, type RegionRow } from "./aws-tables";
import type { LegacyCertificationFixture } from "@/prisma/fixtures/legacy-certifications";

export type SeedReport = { regions: { created: number; updated: number }; models: { created: number; updated: number } };

// Loads the AWS tables into `regions` and `ai_models`. Idempotent: re-running
// updates the catalog facts and never touches what admins own (enabled flags).
export async function seedCatalog(db: PrismaClient, input: { regions: RegionRow[]; models: ModelRow[] }): Promise<SeedReport> {
  const report: SeedReport = { regions: { created: 0, updated: 0 }, models: { created: 0, updated: 0 } };
  const existingRegions = new Set((await db.region.findMany({ select: { code: true } })).map((r) => r.code));
  const existingModels = await db.aIModel.findMany({ select: { id: true, bedrockModelId: true, provider: true, name: true } });
  const modelKey = (m: { bedrockModelId: string | null; provider: string; name: string }) => m.bedrockModelId ?? `${m.provider}\u0000${m.name}`;
  const modelIdByKey = new Map(existingModels.map((m) => [modelKey(m), m.id]));

  await db.$transaction(async (tx) => {
    for (const region of input.regions) {
      const facts = { name: region.name, partition: region.partition, geography: region.geography, runtimeEndpoint: region.runtimeEndpoint };
      await tx.region.upsert({ where: { code: region.code }, create: { code: region.code, ...facts }, update: facts });
      report.regions[existingRegions.has(region.code) ? "updated" : "created"]++;
    }
    for (const model of input.models) {
      const facts = {
        provider: model.provider,
        name: model.name,
        bedrockModelId: model.bedrockModelId,
        inputModalities: model.inputModalities,
        outputModalities: model.outputModalities,
        streaming: model.streaming,
        lifecycle: isLegacyModel(model) ? ("LEGACY" as const) : ("ACTIVE" as const),
      };
      const id = modelIdByKey.get(modelKey(model));
      if (id) {
        await tx.aIModel.update({ where: { id }, data: facts });
        report.models.updated++;
      } else {
        await tx.aIModel.create({ data: facts });
        report.models.created++;
      }
    }
  });
  return report;
}

// The first release's certifications, for the legacy data migration. Rows keep
// their ids, so re-running inserts nothing twice.
export async function seedLegacyCertifications(db: PrismaClient, rows: LegacyCertificationFixture[]): Promise<number> {
  const result = await db.modelCertificationLegacy.createMany({
    data: rows.map((r) => ({
      ...r,
      certifiedAt: r.certifiedAt ? new Date(r.certifiedAt) : null,
      createdAt: new Date(r.createdAt),
      updatedAt: new Date(r.createdAt),
    })),
    skipDuplicates: true,
  });
  // Explicit ids leave the serial behind; move it past them for new inserts.
  await db.$executeRaw`SELECT setval(pg_get_serial_sequence('model_certifications_legacy', 'id'), GREATEST((SELECT MAX(id) FROM model_certifications_legacy), 1))`;
  return result.count;
}
