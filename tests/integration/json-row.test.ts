// The read endpoints that send PostgreSQL's JSON as it is (lib/db/json-row.ts)
// must send what the same rows read through Prisma and JSON.stringify would:
// every field, the same values (dates to the millisecond with Z, floats to
// their last digit, JSON documents, text that needs escaping), nulls as null.
// A field added to the schema and not to its shape fails here.
import { beforeAll, describe, expect, it } from "vitest";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { cellDetailJson } from "@/lib/certification/cell-detail";
import { listCertificationsJson } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { CERTIFICATION_ROW, RUN_ROW, WATCH_EVENT_ROW } from "@/lib/db/json-row";
import { truncateAll } from "../helpers/db";

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const AWKWARD_TEXT = `Said "no"\nthen \\ "yes" — ✓ 日本 \u0001 </script>`;
const DOCUMENT = { version: 1, tests: [{ name: "json_output", passed: false, detail: AWKWARD_TEXT, latencyMs: 0.30000000000000004, nested: { empty: [], nothing: null } }] };

let modelId = "";
let bedrockModelId = "";
const REGION = "us-east-1";

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  const model = await prisma.aIModel.findFirstOrThrow({ where: { bedrockModelId: { not: null } }, orderBy: { bedrockModelId: "asc" } });
  ({ id: modelId } = model);
  bedrockModelId = model.bedrockModelId!;
  const job = await prisma.certificationJob.create({ data: { type: "SINGLE_MODEL", regions: [REGION], modelIds: [modelId], status: "COMPLETED", createdBy: "test@example.com" } });
  // Every field set, with values that are easy to get wrong.
  await prisma.modelCertification.create({
    data: {
      modelId,
      region: REGION,
      status: "FAILED",
      passed: false,
      score: 33.3,
      rating: "POOR",
      testResults: DOCUMENT,
      errorMessage: AWKWARD_TEXT,
      errorCategory: "WRONG_ANSWER",
      jobId: job.id,
      startedAt: new Date("2026-12-06T21:07:06.123Z"),
      completedAt: new Date("2026-12-06T21:07:09.000Z"),
      duration: 2877,
      createdBy: "admin@example.com",
      legacyId: 42,
      availability: "IN_REGION",
      timeToFirstTokenMs: 0.30000000000000004,
      tokensPerSecond: 1e21,
      latencyMs: 1234.5,
      brokenCapabilities: "json_output,streaming",
      regressedAt: new Date("1999-12-31T23:59:59.999Z"),
    },
  });
  // Every nullable field null.
  await prisma.modelCertification.create({ data: { modelId, region: "eu-west-1", status: "QUEUED" } });
  for (let n = 0; n < 3; n++) {
    await prisma.certificationRun.create({
      data: {
        modelId,
        region: REGION,
        jobId: job.id,
        status: "COMPLETED",
        passed: n > 0,
        score: 80.25 + n,
        rating: "GOOD",
        testResults: DOCUMENT,
        errorMessage: n === 0 ? AWKWARD_TEXT : null,
        errorCategory: n === 0 ? "TIMEOUT" : null,
        startedAt: new Date(Date.UTC(2026, 11, 1 + n, 10, 0, 0, 7)),
        completedAt: new Date(Date.UTC(2026, 11, 1 + n, 10, 0, 3, 70)),
        duration: 3063,
        createdAt: new Date(Date.UTC(2026, 11, 1 + n, 10, 0, 3, 700)),
        createdBy: "admin@example.com",
        availability: "PROFILE_ONLY",
      },
    });
  }
  await prisma.certificationRun.create({ data: { modelId, region: REGION, status: "FAILED" } });
  await prisma.watchEvent.create({ data: { kind: "regression", modelId, region: REGION, subjectId: job.id, summary: AWKWARD_TEXT, details: DOCUMENT } });
  await prisma.watchEvent.create({ data: { kind: "catalog.change", modelId, region: REGION, summary: "offered" } });
});

describe("rows as JSON from PostgreSQL", () => {
  it("each shape's DateTime fields are the ones Prisma reads as dates (rows with every field set)", async () => {
    const rows = [
      [CERTIFICATION_ROW, await prisma.modelCertification.findUniqueOrThrow({ where: { modelId_region: { modelId, region: REGION } } })],
      [RUN_ROW, await prisma.certificationRun.findFirstOrThrow({ where: { modelId, errorMessage: { not: null } } })],
      [WATCH_EVENT_ROW, await prisma.watchEvent.findFirstOrThrow({ where: { modelId, kind: "regression" } })],
    ] as const;
    for (const [shape, row] of rows) {
      // A field added to the schema and not set above is null here: set it, so that its JSON is checked too.
      expect(Object.entries(row).filter(([, v]) => v === null)).toEqual([]);
      expect(Object.keys(row)).toEqual(shape.fields);
      expect([...shape.timestamps].sort()).toEqual(
        Object.keys(row)
          .filter((k) => (row as Record<string, unknown>)[k] instanceof Date)
          .sort(),
      );
    }
  });

  it("a page of certifications reads as Prisma's rows would", async () => {
    const page = JSON.parse(await listCertificationsJson(prisma, {}, { sort: "region", order: "desc", limit: 100 }));
    const rows = await prisma.modelCertification.findMany({
      orderBy: [{ region: "desc" }, { id: "desc" }],
      omit: { testResults: true },
      include: { model: { select: { bedrockModelId: true, name: true, provider: true } } },
    });
    expect(rows).toHaveLength(2);
    expect(page).toEqual({ items: asJson(rows), nextCursor: null });
  });

  it("the page's cursor is its last row, then the rest follows", async () => {
    const first = JSON.parse(await listCertificationsJson(prisma, {}, { sort: "score", order: "desc", limit: 1 }));
    expect(first.items.map((c: { region: string }) => c.region)).toEqual([REGION]);
    expect(first.nextCursor).toBe(first.items[0].id);
    const second = JSON.parse(await listCertificationsJson(prisma, {}, { sort: "score", order: "desc", limit: 1, cursor: first.nextCursor }));
    expect(second.items.map((c: { region: string; score: number | null }) => [c.region, c.score])).toEqual([["eu-west-1", null]]);
    expect(second.nextCursor).toBeNull();
  });

  it("one cell with its history reads as Prisma's rows would, by catalog or Bedrock id", async () => {
    const [model, certification, runs, events] = await Promise.all([
      prisma.aIModel.findUniqueOrThrow({ where: { id: modelId }, select: { id: true, bedrockModelId: true, name: true, provider: true } }),
      prisma.modelCertification.findUniqueOrThrow({ where: { modelId_region: { modelId, region: REGION } } }),
      prisma.certificationRun.findMany({ where: { modelId, region: REGION }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
      prisma.watchEvent.findMany({ where: { modelId, region: REGION }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    ]);
    expect(runs).toHaveLength(4);
    expect(events).toHaveLength(2);
    const expected = asJson({ model, certification, runs, events });
    expect(JSON.parse(await cellDetailJson(prisma, modelId, REGION))).toEqual(expected);
    expect(JSON.parse(await cellDetailJson(prisma, bedrockModelId, REGION))).toEqual(expected);
  });

  it("an unknown model or an uncertified Region is not found", async () => {
    await expect(cellDetailJson(prisma, "no.such-model-v1:0", REGION)).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("Model") });
    await expect(cellDetailJson(prisma, modelId, "ap-south-1")).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("Certification") });
  });
});
