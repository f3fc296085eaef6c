// One filter rule, two places it runs: the matrix page filters the grid it
// holds in the browser (components/matrix/grid-view.ts over
// lib/certification/cell-filter.ts); the export and the certifications list
// filter in SQL (cellFilterSql). The same filters must keep the same cells.
import { beforeAll, describe, expect, it } from "vitest";
import { EMPTY_FILTER, gridView, indexCells, type GridFilter } from "@/components/matrix/grid-view";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { grid, matrix } from "@/lib/certification/matrix";
import { listCertificationsJson, type CertificationFilter } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { truncateAll } from "../helpers/db";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const DAY = 86_400_000;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"];

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  const models = await prisma.aIModel.findMany({ where: { bedrockModelId: { not: null } }, orderBy: { bedrockModelId: "asc" }, take: 8 });
  // Names a LIKE would misread, and a disabled model and Region the page hides.
  await prisma.aIModel.update({ where: { id: models[0]!.id }, data: { name: "Rate_50% Turbo" } });
  await prisma.aIModel.update({ where: { id: models[1]!.id }, data: { name: "Rate150 Turbo" } });
  await prisma.aIModel.update({ where: { id: models[7]!.id }, data: { enabled: false } });
  await prisma.region.updateMany({ where: { code: { notIn: REGIONS } }, data: { enabled: true } });
  await prisma.region.update({ where: { code: "ap-south-1" }, data: { enabled: false } });
  const statuses = ["COMPLETED", "COMPLETED", "FAILED", "COMPLETED", "CANCELLED", "QUEUED"] as const;
  const ratings = ["EXCELLENT", "GOOD", null, "FAIR", null, null] as const;
  let n = 0;
  for (const m of models)
    for (const region of REGIONS) {
      const k = n++ % statuses.length;
      const status = statuses[k]!;
      await prisma.modelCertification.create({
        data: {
          modelId: m.id,
          region,
          status,
          rating: ratings[k] ?? null,
          passed: status === "COMPLETED" ? k !== 3 : status === "FAILED" ? false : null,
          score: status === "COMPLETED" ? 80 : null,
          availability: n % 7 === 0 ? "NOT_OFFERED" : "IN_REGION",
          completedAt: status === "QUEUED" ? null : new Date(NOW - (n % 5) * 10 * DAY),
        },
      });
    }
});

const FILTERS: GridFilter[] = [
  EMPTY_FILTER,
  { ...EMPTY_FILTER, status: ["FAILED"] },
  { ...EMPTY_FILTER, status: ["COMPLETED", "CANCELLED"], region: ["us-east-1", "eu-west-1"] },
  { ...EMPTY_FILTER, rating: ["EXCELLENT", "FAIR"] },
  { ...EMPTY_FILTER, passed: false },
  { ...EMPTY_FILTER, passed: true, staleDays: 15 },
  { ...EMPTY_FILTER, staleDays: 25 },
  { ...EMPTY_FILTER, q: "  rate_50%  " },
  { ...EMPTY_FILTER, q: "50%" },
  { ...EMPTY_FILTER, q: "_" },
  { ...EMPTY_FILTER, q: "TURBO", status: ["COMPLETED"] },
  { ...EMPTY_FILTER, provider: ["ai21 labs", "Amazon"] },
];

const asSql = (f: GridFilter): CertificationFilter => ({
  ...(f.region.length ? { region: f.region } : {}),
  ...(f.status.length ? { status: f.status } : {}),
  ...(f.provider.length ? { provider: f.provider } : {}),
  ...(f.rating.length ? { rating: f.rating } : {}),
  ...(f.passed !== null ? { passed: f.passed } : {}),
  ...(f.staleDays !== null ? { staleSince: new Date(NOW - f.staleDays * DAY) } : {}),
  ...(f.q ? { q: f.q } : {}),
});

describe("the same filter keeps the same cells in the browser and in SQL", () => {
  it.each(FILTERS.map((f) => [JSON.stringify(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length)))), f] as const))("%s", async (_, f) => {
    const g = await grid(prisma);
    const view = gridView(g, indexCells(g), f, NOW);
    const inBrowser = view.groups.flatMap((group) => group.rows.flatMap((row) => view.columns.flatMap((col, i) => (row.cells[i] && row.matches[i] ? [`${row.id}@${col.code}`] : [])))).sort();

    const exported = await matrix(prisma, asSql(f), { enabledOnly: true });
    const inSql = exported.cells.map((c) => `${exported.models[c[0]]!.id}@${exported.regions[c[1]]}`).sort();
    expect(inSql).toEqual(inBrowser);

    // The certifications list applies the same rule (it also lists disabled models and Regions).
    const listed = JSON.parse(await listCertificationsJson(prisma, asSql(f), { sort: "updated", order: "desc", limit: 500 })) as { items: { modelId: string; region: string }[] };
    const enabledListed = listed.items.filter((c) => c.region !== "ap-south-1").map((c) => `${c.modelId}@${c.region}`);
    const disabledModel = (await prisma.aIModel.findFirstOrThrow({ where: { enabled: false }, select: { id: true } })).id;
    expect(enabledListed.filter((k) => !k.startsWith(`${disabledModel}@`)).sort()).toEqual(inBrowser);
  });

  it("a % or _ in the search is that character, and the export leaves out what the page hides", async () => {
    const percent = await matrix(prisma, { q: "50%" }, { enabledOnly: true });
    expect(percent.models.map((m) => m.name)).toEqual(["Rate_50% Turbo"]);
    const everything = await matrix(prisma, {});
    const shown = await matrix(prisma, {}, { enabledOnly: true });
    expect(everything.regions).toContain("ap-south-1");
    expect(shown.regions).not.toContain("ap-south-1");
    expect(shown.models.length).toBe(everything.models.length - 1);
  });
});
