// A job's pairs as the job page and GET /api/v1/jobs/:id/pairs list them:
// what needs attention first, every filter, each pair with its run's result,
// and pages that neither overlap nor skip, even where two models share a
// provider and a name.
import { beforeAll, describe, expect, it } from "vitest";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { jobPairs } from "@/lib/certification/job-queries";
import { prisma } from "@/lib/db/client";
import type { CertificationStatus, ErrorCategory, PairAvailability } from "@/lib/generated/prisma/enums";
import { truncateAll } from "../helpers/db";

const REGIONS = ["eu-west-1", "us-east-1", "us-west-2"];
let jobId = "";
let twins: string[] = [];

type PairSpec = { status: CertificationStatus; passed?: boolean | null; availability?: PairAvailability; category?: ErrorCategory; score?: number };

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  const models = await prisma.aIModel.findMany({ where: { bedrockModelId: { not: null } }, orderBy: { bedrockModelId: "asc" }, take: 4 });
  // Two models a page cannot tell apart by provider and name.
  for (const m of models.slice(0, 2)) await prisma.aIModel.update({ where: { id: m.id }, data: { provider: "Twin", name: "Same Name" } });
  twins = models.slice(0, 2).map((m) => m.id);
  const job = await prisma.certificationJob.create({ data: { type: "ALL_MODELS", regions: REGIONS, modelIds: models.map((m) => m.id), status: "PROCESSING" } });
  jobId = job.id;
  // An older job's runs of the same cells, that no pair of this job points to.
  const other = await prisma.certificationJob.create({ data: { type: "ALL_MODELS", regions: REGIONS, modelIds: [], status: "COMPLETED" } });
  const specs: PairSpec[] = [
    { status: "FAILED", passed: false, category: "WRONG_ANSWER", score: 40 },
    { status: "FAILED", passed: false, category: "ACCESS_DENIED", score: 0 },
    { status: "COMPLETED", passed: true, score: 95 },
    { status: "COMPLETED", passed: null, availability: "NOT_OFFERED", category: "NOT_OFFERED_IN_REGION" },
    { status: "PROCESSING" },
    { status: "QUEUED" },
  ];
  let n = 0;
  for (const m of models)
    for (const region of REGIONS) {
      const spec = specs[n++ % specs.length]!;
      await prisma.certificationRun.create({ data: { modelId: m.id, region, jobId: other.id, status: "FAILED", passed: false, errorCategory: "WRONG_ANSWER", score: 1 } });
      const finished = spec.status === "FAILED" || spec.status === "COMPLETED";
      const run = finished
        ? await prisma.certificationRun.create({
            data: {
              modelId: m.id,
              region,
              jobId,
              status: spec.status,
              passed: spec.passed ?? null,
              score: spec.score ?? null,
              errorCategory: spec.category ?? null,
              errorMessage: spec.category ? `${spec.category} in ${region}` : null,
            },
          })
        : null;
      await prisma.certificationJobPair.create({
        data: { jobId, modelId: m.id, region, status: spec.status, passed: spec.passed ?? null, availability: spec.availability ?? "IN_REGION", runId: run?.id ?? null },
      });
    }
});

describe("a job's pairs", () => {
  it("lists failures first, then work in progress, passes and pairs not tried, each with its run's result", async () => {
    const { pairs, total } = await jobPairs(prisma, jobId);
    expect(total).toBe(12);
    const rank = ["failed", "running", "waiting", "pending", "passed", "cancelled", "profile-only", "legacy", "unsupported", "not-offered"];
    expect(pairs.map((p) => rank.indexOf(p.verdict))).toEqual(pairs.map((p) => rank.indexOf(p.verdict)).sort((a, b) => a - b));
    // Each pair shows its own run (this job's), never the older job's run of the same cell (score 1).
    const expected: Record<string, [number | null, string | null][]> = {
      passed: [[95, null]],
      failed: [
        [40, "WRONG_ANSWER"],
        [0, "ACCESS_DENIED"],
      ],
      "not-offered": [[null, "NOT_OFFERED_IN_REGION"]],
      // (PROCESSING is running; QUEUED is waiting: issue 29.)
      running: [[null, null]],
      waiting: [[null, null]],
    };
    for (const p of pairs) {
      expect(expected[p.verdict]).toContainEqual([p.score, p.errorCategory]);
      expect(p.errorMessage).toBe(p.errorCategory ? `${p.errorCategory} in ${p.region}` : null);
    }
    expect(new Set(pairs.map((p) => p.verdict))).toEqual(new Set(Object.keys(expected)));
  });

  it("pages neither overlap nor skip, models with the same provider and name included", async () => {
    const all = (await jobPairs(prisma, jobId)).pairs.map((p) => p.id);
    for (const size of [1, 2, 5]) {
      const paged: string[] = [];
      for (let offset = 0; offset < all.length; offset += size) paged.push(...(await jobPairs(prisma, jobId, { limit: size, offset })).pairs.map((p) => p.id));
      expect(paged).toEqual(all);
    }
    const twinRows = (await jobPairs(prisma, jobId)).pairs.filter((p) => twins.includes(p.modelId));
    expect(twinRows).toHaveLength(6);
  });

  it("filters by verdict, Region, error category and text; past the last page still counts", async () => {
    const failed = await jobPairs(prisma, jobId, { verdict: ["failed"] });
    expect(failed.total).toBe(failed.pairs.length);
    expect(failed.pairs.every((p) => p.verdict === "failed")).toBe(true);
    const denied = await jobPairs(prisma, jobId, { category: ["ACCESS_DENIED"] });
    expect(denied.pairs.length).toBeGreaterThan(0);
    // Only this job's runs count: the older job's WRONG_ANSWER runs of every cell do not.
    expect(denied.pairs.every((p) => p.errorCategory === "ACCESS_DENIED")).toBe(true);
    const wrong = await jobPairs(prisma, jobId, { category: ["WRONG_ANSWER"] });
    expect(wrong.pairs.every((p) => p.errorCategory === "WRONG_ANSWER")).toBe(true);
    expect(wrong.total + denied.total).toBe(failed.total);
    const inRegion = await jobPairs(prisma, jobId, { region: ["us-west-2"], verdict: ["failed", "running"] });
    expect(inRegion.pairs.every((p) => p.region === "us-west-2" && ["failed", "running"].includes(p.verdict))).toBe(true);
    const twin = (await prisma.aIModel.findUniqueOrThrow({ where: { id: twins[1]! } })).bedrockModelId!;
    const byText = await jobPairs(prisma, jobId, { q: twin.toUpperCase() });
    expect(byText.pairs.map((p) => p.modelId)).toEqual(Array(byText.total).fill(twins[1]));
    const past = await jobPairs(prisma, jobId, { verdict: ["failed"], limit: 10, offset: 50 });
    expect(past).toEqual({ pairs: [], total: failed.total });
  });
});
