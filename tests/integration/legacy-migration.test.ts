// The legacy data migration against the real PostgreSQL: the 20 fixture rows
// plus the edge cases, dry run, idempotence, an interrupted run, verification
// and rollback.
import { spawnSync } from "node:child_process";
import { beforeEach, afterAll, describe, expect, it } from "vitest";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog, seedLegacyCertifications } from "@/lib/catalog/seed";
import { regionResolver } from "@/lib/legacy/mapping";
import { mappingContext, migrateLegacy, rollbackLegacy, verifyLegacy } from "@/lib/legacy/migrate";
import { LEGACY_CERTIFICATIONS } from "@/prisma/fixtures/legacy-certifications";
import { testPrisma, truncateAll } from "../helpers/db";

const db = testPrisma();
afterAll(() => db.$disconnect());

const at = (iso: string) => new Date(iso);
const EDGE_CASES = [
  {
    id: 21,
    modelId: "acme.unknown-v1",
    status: "COMPLETED",
    passed: true,
    score: 90,
    rating: "good",
    testResults: null,
    errorMessage: null,
    certifiedAt: at("2025-09-01T00:00:00Z"),
    createdAt: at("2025-09-01T00:00:00Z"),
    createdBy: "ops@example.com",
  },
  {
    id: 22,
    modelId: "amazon.nova-premier-v1:0",
    status: "COMPLETED",
    passed: true,
    score: 88,
    rating: "good",
    testResults: '{"tests": [',
    errorMessage: null,
    certifiedAt: at("2025-09-02T00:00:00Z"),
    createdAt: at("2025-09-02T00:00:00Z"),
    createdBy: null,
  },
  {
    id: 23,
    modelId: "amazon.nova-lite-v1:0",
    status: "COMPLETED",
    passed: true,
    score: null,
    rating: null,
    testResults: null,
    errorMessage: null,
    certifiedAt: null,
    createdAt: at("2025-10-05T00:00:00Z"),
    createdBy: "qa@example.com",
  },
  {
    id: 24,
    modelId: "meta.llama3-1-8b-instruct-v1:0",
    status: "COMPLETED",
    passed: true,
    score: 80,
    rating: "good",
    testResults: null,
    errorMessage: null,
    certifiedAt: at("2025-06-01T00:00:00Z"),
    createdAt: at("2025-06-01T00:00:00Z"),
    createdBy: null,
  },
  {
    id: 25,
    modelId: "meta.llama3-1-70b-instruct-v1:0",
    status: "FAILED",
    passed: false,
    score: 40,
    rating: "poor",
    testResults: '{"version":1,"tests":[{"name":"json_output","passed":false,"latencyMs":900}]}',
    errorMessage: null,
    certifiedAt: at("2025-10-01T00:00:00Z"),
    createdAt: at("2025-10-01T00:00:00Z"),
    createdBy: "qa@example.com",
  },
  {
    id: 26,
    modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    status: "COMPLETED",
    passed: true,
    score: 97,
    rating: "excellent",
    testResults: null,
    errorMessage: null,
    certifiedAt: at("2025-08-01T00:00:00Z"),
    createdAt: at("2025-08-01T00:00:00Z"),
    createdBy: null,
  },
  {
    id: 27,
    modelId: "cohere.embed-multilingual-v3",
    status: "COMPLETED",
    passed: true,
    score: 140,
    rating: "excellent",
    testResults: null,
    errorMessage: null,
    certifiedAt: at("2025-09-03T00:00:00Z"),
    createdAt: at("2025-09-03T00:00:00Z"),
    createdBy: null,
  },
  {
    id: 28,
    modelId: "amazon.titan-embed-image-v1",
    status: "RUNNING",
    passed: false,
    score: null,
    rating: null,
    testResults: null,
    errorMessage: null,
    certifiedAt: null,
    createdAt: at("2025-09-04T00:00:00Z"),
    createdBy: null,
  },
];

beforeEach(async () => {
  await truncateAll(db);
  await seedCatalog(db, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  await seedLegacyCertifications(db, LEGACY_CERTIFICATIONS);
  await db.modelCertificationLegacy.createMany({ data: EDGE_CASES.map((e) => ({ ...e, updatedAt: e.createdAt })) });
  // Regional certifications already there: one newer than its legacy row (24), one older (25).
  const id = async (bedrockModelId: string) => (await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId } })).id;
  await db.modelCertification.create({
    data: {
      modelId: await id("meta.llama3-1-8b-instruct-v1:0"),
      region: "us-east-1",
      status: "COMPLETED",
      passed: true,
      score: 99,
      rating: "EXCELLENT",
      completedAt: at("2026-01-01T00:00:00Z"),
      createdBy: "worker",
    },
  });
  await db.modelCertification.create({
    data: {
      modelId: await id("meta.llama3-1-70b-instruct-v1:0"),
      region: "us-east-1",
      status: "COMPLETED",
      passed: true,
      score: 77,
      rating: "FAIR",
      completedAt: at("2024-01-01T00:00:00Z"),
      createdBy: "worker",
      testResults: { version: 1, tests: [] },
    },
  });
});

const context = () => mappingContext(db, regionResolver("us-east-1"));
// Everything the migration can touch, as plain data.
const snapshot = async () => ({
  cells: await db.$queryRawUnsafe<unknown[]>(`SELECT * FROM model_certifications ORDER BY model_id, region`),
  entries: await db.$queryRawUnsafe<unknown[]>(`SELECT legacy_id, outcome, reason, certification_id, previous_state FROM legacy_migration_entries ORDER BY legacy_id`),
});

describe("legacy migration", () => {
  it("maps each row, field by field, with the right outcome", async () => {
    const report = await migrateLegacy(db, await context(), { batchSize: 7 });
    const outcome = (id: number) => report.decisions.find((d) => d.legacyId === id)!;
    expect(report.batches).toBe(4);
    expect(outcome(21)).toMatchObject({ outcome: "SKIPPED", reason: 'unknown model "acme.unknown-v1": not in the catalog' });
    expect(outcome(22)).toMatchObject({ outcome: "SKIPPED" });
    expect((outcome(22) as { reason: string }).reason).toMatch(/^malformed test results/);
    expect(outcome(27)).toMatchObject({ outcome: "SKIPPED", reason: "impossible score 140 (must be 0-100)" });
    expect(outcome(28)).toMatchObject({ outcome: "SKIPPED", reason: 'status "RUNNING" is not a finished certification' });
    expect(outcome(24)).toMatchObject({ outcome: "SUPERSEDED" });
    expect((outcome(24) as { reason: string }).reason).toMatch(/regional certification .* is newer/);
    expect(outcome(25)).toMatchObject({ outcome: "REPLACED" });
    expect(outcome(1)).toMatchObject({ outcome: "SUPERSEDED", reason: "legacy row 20 is newer for the same model and Region" });
    expect(outcome(26)).toMatchObject({ outcome: "SUPERSEDED", reason: "legacy row 2 is newer for the same model and Region" });
    // Row 23 (Nova Lite, newer) supersedes fixture row 5 for the same cell.
    expect(outcome(5)).toMatchObject({ outcome: "SUPERSEDED", reason: "legacy row 23 is newer for the same model and Region" });
    expect(report.counts).toEqual({ MIGRATED: 19, REPLACED: 1, SUPERSEDED: 4, SKIPPED: 4 });

    // A migrated failure: status, score, rating, category, timestamps, author, provenance.
    const titan = await db.modelCertification.findFirstOrThrow({ where: { legacyId: 17 } });
    const source = LEGACY_CERTIFICATIONS[16]!;
    expect(titan).toMatchObject({ region: "us-east-1", status: "FAILED", passed: false, score: null, rating: null, errorCategory: "MODEL_END_OF_LIFE", createdBy: source.createdBy, jobId: null });
    expect(titan.completedAt?.toISOString()).toBe(source.certifiedAt);
    expect(titan.createdAt.toISOString()).toBe(source.createdAt);
    expect((await db.modelCertification.findFirstOrThrow({ where: { legacyId: 18 } })).errorCategory).toBe("ACCESS_DENIED");
    expect((await db.modelCertification.findFirstOrThrow({ where: { legacyId: 19 } })).errorCategory).toBe("INFERENCE_PROFILE_REQUIRED");
    const passed = await db.modelCertification.findFirstOrThrow({ where: { legacyId: 2 } });
    expect(passed).toMatchObject({ status: "COMPLETED", passed: true, score: 98, rating: "EXCELLENT" });
    expect(passed.testResults).toMatchObject({ version: 1, battery: "text", via: "in-region", tests: [{ name: "basic_completion", outcome: "passed", latencyMs: 640 }, {}, {}] });
    expect(await db.modelCertification.findFirstOrThrow({ where: { legacyId: 23 } })).toMatchObject({ score: null, rating: null, passed: true });
    // The newer legacy row replaced the older regional one, which is kept for rollback.
    const replaced = await db.modelCertification.findFirstOrThrow({ where: { legacyId: 25 } });
    expect(replaced).toMatchObject({ score: 40, status: "FAILED", errorCategory: "WRONG_ANSWER" });
    expect((await db.legacyMigrationEntry.findUniqueOrThrow({ where: { legacyId: 25 } })).previousState).toMatchObject({ score: 77, rating: "FAIR" });

    expect((await verifyLegacy(db, await context())).problems).toEqual([]);
  });

  it("a dry run writes nothing and predicts the real run", async () => {
    const before = await snapshot();
    const dry = await migrateLegacy(db, await context(), { dryRun: true, batchSize: 5 });
    expect(await snapshot()).toEqual(before);
    const real = await migrateLegacy(db, await context());
    expect(real.counts).toEqual(dry.counts);
    expect(real.decisions.map((d) => [d.legacyId, d.outcome])).toEqual(dry.decisions.map((d) => [d.legacyId, d.outcome]));
  });

  it("a second run changes nothing", async () => {
    await migrateLegacy(db, await context());
    const after = await snapshot();
    const again = await migrateLegacy(db, await context());
    expect(again.decisions).toEqual([]);
    expect(again.alreadyDone).toBe(28);
    expect(await snapshot()).toEqual(after);
  });

  it("an interrupted run, run again, finishes correctly", async () => {
    const first = await migrateLegacy(db, await context(), { batchSize: 5, maxBatches: 2 });
    expect(first.decisions).toHaveLength(10);
    expect(first.remaining).toBe(18);
    expect((await verifyLegacy(db, await context())).problems.filter((p) => p.problem.startsWith("not migrated"))).toHaveLength(18);
    const rest = await migrateLegacy(db, await context(), { batchSize: 5 });
    expect(rest.decisions).toHaveLength(18);
    expect(rest.remaining).toBe(0);
    const counts = { MIGRATED: 0, REPLACED: 0, SUPERSEDED: 0, SKIPPED: 0 };
    for (const d of [...first.decisions, ...rest.decisions]) counts[d.outcome]++;
    expect(counts).toEqual({ MIGRATED: 19, REPLACED: 1, SUPERSEDED: 4, SKIPPED: 4 });
    expect((await verifyLegacy(db, await context())).problems).toEqual([]);
  });

  it("verification fails on a tampered row, and the command exits 1", async () => {
    await migrateLegacy(db, await context());
    const cell = await db.modelCertification.findFirstOrThrow({ where: { legacyId: 6 } });
    await db.modelCertification.update({ where: { id: cell.id }, data: { score: 12 } });
    const { problems } = await verifyLegacy(db, await context());
    expect(problems).toEqual([{ legacyId: 6, problem: "score is 12, the source says 79" }]);
    const cli = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/migrate-legacy.ts", "--verify"], { encoding: "utf8", env: process.env });
    expect(cli.stdout).toContain("MISMATCH legacy 6: score is 12, the source says 79");
    expect(cli.status).toBe(1);
  });

  it("rollback restores the exact previous state", async () => {
    const before = await snapshot();
    await migrateLegacy(db, await context());
    expect((await snapshot()).cells).not.toEqual(before.cells);
    expect(await rollbackLegacy(db)).toEqual({ removed: 19, restored: 1, kept: 0 });
    expect(await snapshot()).toEqual(before);
  });
});
