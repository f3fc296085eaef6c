import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { legacyMigrationStatus } from "@/lib/legacy/migrate";

export type CatalogSummary = {
  models: { total: number; enabled: number; providers: number };
  regions: { total: number; enabled: number; byGeography: { geography: string; codes: string[] }[] };
  certifications: { total: number; passed: number; failed: number };
  legacy: Awaited<ReturnType<typeof legacyMigrationStatus>>;
};

export async function getCatalogSummary(db: PrismaClient): Promise<CatalogSummary> {
  const [modelTotal, modelEnabled, providers, regions, certTotal, certPassed, certFailed, legacy] = await Promise.all([
    db.aIModel.count(),
    db.aIModel.count({ where: { enabled: true } }),
    db.aIModel.groupBy({ by: ["provider"] }),
    db.region.findMany({ orderBy: [{ geography: "asc" }, { code: "asc" }], select: { code: true, geography: true, enabled: true } }),
    db.modelCertification.count(),
    db.modelCertification.count({ where: { passed: true } }),
    db.modelCertification.count({ where: { passed: false } }),
    legacyMigrationStatus(db),
  ]);
  const byGeography = new Map<string, string[]>();
  for (const r of regions) byGeography.set(r.geography, [...(byGeography.get(r.geography) ?? []), r.code]);
  return {
    models: { total: modelTotal, enabled: modelEnabled, providers: providers.length },
    regions: {
      total: regions.length,
      enabled: regions.filter((r) => r.enabled).length,
      byGeography: [...byGeography].map(([geography, codes]) => ({ geography, codes })),
    },
    certifications: { total: certTotal, passed: certPassed, failed: certFailed },
    legacy,
  };
}
