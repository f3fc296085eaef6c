// The verdict rule lives in TypeScript (lib/certification/verdict.ts: the
// matrix, the exports) and in SQL (job-queries.ts: the job page's filters and
// groups, which PostgreSQL must compute). Both must agree on every pair.
import { afterAll, beforeAll, expect, it } from "vitest";
import { jobPairs } from "@/lib/certification/job-queries";
import { cellVerdict } from "@/lib/certification/verdict";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import type { CertificationStatus, PairAvailability } from "@/lib/generated/prisma/enums";
import { testPrisma, truncateAll } from "../helpers/db";

const db = testPrisma();
beforeAll(async () => {
  await truncateAll(db);
  await seedCatalog(db, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
});
afterAll(() => db.$disconnect());

it("the SQL verdict of a job's pairs equals cellVerdict for every status × passed × availability", async () => {
  const statuses: CertificationStatus[] = ["PENDING", "QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"];
  const passes = [true, false, null];
  const availabilities: (PairAvailability | null)[] = ["IN_REGION", "PROFILE_ONLY", "NOT_OFFERED", "LEGACY", "UNSUPPORTED", null];
  const combos = statuses.flatMap((status) => passes.flatMap((passed) => availabilities.map((availability) => ({ status, passed, availability }))));
  const models = await db.aIModel.findMany({ take: combos.length, orderBy: { id: "asc" }, select: { id: true } });
  const job = await db.certificationJob.create({ data: { type: "MULTIPLE_MODELS", regions: ["us-east-1"], modelIds: [], totalModels: combos.length } });
  // One model per combination (a pair is unique by job, model and Region); 108 combinations, 120 models.
  expect(models.length).toBe(combos.length);
  await db.certificationJobPair.createMany({ data: combos.map((c, i) => ({ jobId: job.id, modelId: models[i]!.id, region: "us-east-1", ...c })) });
  const { pairs, total } = await jobPairs(db, job.id);
  expect(total).toBe(combos.length);
  const mismatches = pairs.filter((p) => p.verdict !== cellVerdict(p)).map((p) => `${p.status}/${p.passed}/${p.availability}: SQL ${p.verdict}, TS ${cellVerdict(p)}`);
  expect(mismatches).toEqual([]);
});
