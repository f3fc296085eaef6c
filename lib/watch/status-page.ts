import "server-only";
// The public status page's data: the chosen models (all enabled ones when none
// is chosen) × enabled Regions where they are offered, each cell's verdict and
// age, and the open incidents. Nothing else leaves: no errors, no users.
import { modelRefsWhere } from "@/lib/catalog/model-ref";
import { cellVerdict, type CellVerdict } from "@/lib/certification/verdict";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type StatusCell = { verdict: CellVerdict; completedAt: string | null };
export type StatusPage = {
  regions: string[];
  models: { id: string; name: string; provider: string; bedrockModelId: string; cells: Record<string, StatusCell | "not-offered"> }[];
  incidents: { id: string; scope: string; subject: string; name: string; failing: number; offered: number; openedAt: string }[];
  updatedAt: string;
};

export async function statusPageData(db: PrismaClient, chosen: string[]): Promise<StatusPage> {
  const models = await db.aIModel.findMany({
    where: { enabled: true, bedrockModelId: { not: null }, ...(chosen.length ? modelRefsWhere(chosen) : {}) },
    select: { id: true, name: true, provider: true, bedrockModelId: true },
    orderBy: [{ provider: "asc" }, { name: "asc" }],
    take: 200,
  });
  const ids = models.map((m) => m.id);
  const [regions, offered, cells, incidents] = await Promise.all([
    db.region.findMany({ where: { enabled: true }, select: { code: true }, orderBy: { code: "asc" } }),
    db.modelRegionAvailability.findMany({ where: { modelId: { in: ids }, availability: { not: "NOT_OFFERED" } }, select: { modelId: true, region: true } }),
    db.modelCertification.findMany({ where: { modelId: { in: ids } }, select: { modelId: true, region: true, status: true, passed: true, availability: true, completedAt: true } }),
    db.incident.findMany({ where: { status: "OPEN" }, orderBy: { openedAt: "desc" }, take: 50, omit: { timeline: true } }),
  ]);
  const isOffered = new Set(offered.map((o) => `${o.modelId}|${o.region}`));
  const cellOf = new Map(cells.map((c) => [`${c.modelId}|${c.region}`, c]));
  const codes = regions.map((r) => r.code).filter((code) => models.some((m) => isOffered.has(`${m.id}|${code}`)));
  const names = new Map(
    (await db.aIModel.findMany({ where: { id: { in: incidents.filter((i) => i.scope === "model").map((i) => i.subject) } }, select: { id: true, name: true } })).map((m) => [m.id, m.name]),
  );
  return {
    regions: codes,
    models: models.map((m) => ({
      id: m.id,
      name: m.name,
      provider: m.provider,
      bedrockModelId: m.bedrockModelId!,
      cells: Object.fromEntries(
        codes.map((code) => {
          const c = cellOf.get(`${m.id}|${code}`);
          if (!isOffered.has(`${m.id}|${code}`)) return [code, "not-offered"];
          return [code, c ? { verdict: cellVerdict(c), completedAt: c.completedAt?.toISOString() ?? null } : { verdict: "pending", completedAt: null }];
        }),
      ),
    })),
    incidents: incidents.map((i) => ({
      id: i.id,
      scope: i.scope,
      subject: i.subject,
      name: i.scope === "model" ? (names.get(i.subject) ?? i.subject) : i.subject,
      failing: i.failing,
      offered: i.offered,
      openedAt: i.openedAt.toISOString(),
    })),
    updatedAt: new Date().toISOString(),
  };
}
