// The regional schema against the real PostgreSQL of this run: every model's
// CRUD and relations, the unique cell, the cascades and every enum value.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { CertificationJobType, CertificationRating, CertificationStatus, ErrorCategory, JobStatus, ModelLifecycle } from "@/lib/generated/prisma/enums";
import { compareSchema, inspectSchema } from "@/lib/db/verify-schema";
import { EXPECTED_ENUMS } from "@/lib/db/schema-spec";
import { testPrisma, truncateAll } from "../helpers/db";

const db = testPrisma();
afterAll(() => db.$disconnect());
beforeEach(() => truncateAll(db));

async function modelAndRegions() {
  await db.region.createMany({
    data: [
      { code: "us-east-1", name: "US East (N. Virginia)", geography: "North America" },
      { code: "eu-west-1", name: "Europe (Ireland)", geography: "Europe" },
    ],
  });
  return db.aIModel.create({
    data: { provider: "Anthropic", name: "Claude 3 Haiku", bedrockModelId: "anthropic.claude-3-haiku-20240307-v1:0", inputModalities: ["Text", "Image"], outputModalities: ["Text"], streaming: true },
  });
}

describe("CRUD and relations", () => {
  it("creates, reads, updates and deletes a model", async () => {
    const model = await modelAndRegions();
    expect(model).toMatchObject({ enabled: true, lifecycle: "ACTIVE", inputModalities: ["Text", "Image"] });
    const updated = await db.aIModel.update({ where: { id: model.id }, data: { enabled: false, lifecycle: "LEGACY" } });
    expect(updated).toMatchObject({ enabled: false, lifecycle: "LEGACY" });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(model.updatedAt.getTime());
    await db.aIModel.delete({ where: { id: model.id } });
    expect(await db.aIModel.findUnique({ where: { id: model.id } })).toBeNull();
  });

  it("creates, updates and disables a Region", async () => {
    await db.region.create({ data: { code: "ap-south-1", name: "Asia Pacific (Mumbai)", geography: "Asia Pacific", runtimeEndpoint: "bedrock-runtime.ap-south-1.amazonaws.com" } });
    await db.region.update({ where: { code: "ap-south-1" }, data: { enabled: false } });
    expect(await db.region.findUniqueOrThrow({ where: { code: "ap-south-1" } })).toMatchObject({ enabled: false, partition: "aws" });
  });

  it("links a job, its certifications and its runs", async () => {
    const model = await modelAndRegions();
    const job = await db.certificationJob.create({
      data: {
        type: "MULTIPLE_MODELS",
        regions: ["us-east-1", "eu-west-1"],
        modelIds: [model.id],
        totalModels: 2,
        config: { tests: ["reachability"], thresholds: { maxLatencyMs: 5000 } },
        createdBy: "admin@example.com",
      },
    });
    const results = [{ name: "reachability", outcome: "passed", latencyMs: 412, detail: "answered" }];
    await db.modelCertification.create({
      data: {
        modelId: model.id,
        region: "us-east-1",
        jobId: job.id,
        status: "COMPLETED",
        passed: true,
        score: 97.5,
        rating: "EXCELLENT",
        testResults: results,
        startedAt: new Date(),
        completedAt: new Date(),
        duration: 1200,
      },
    });
    await db.certificationRun.create({
      data: { modelId: model.id, region: "us-east-1", jobId: job.id, status: "COMPLETED", passed: true, score: 97.5, rating: "EXCELLENT", testResults: results },
    });
    await db.certificationJob.update({ where: { id: job.id }, data: { processedModels: { increment: 1 }, successCount: { increment: 1 } } });

    const loaded = await db.certificationJob.findUniqueOrThrow({ where: { id: job.id }, include: { certifications: { include: { model: true, regionRef: true } }, runs: true } });
    expect(loaded).toMatchObject({ processedModels: 1, successCount: 1, status: "PENDING", config: { thresholds: { maxLatencyMs: 5000 } } });
    expect(loaded.certifications[0]).toMatchObject({ testResults: results, model: { name: "Claude 3 Haiku" }, regionRef: { geography: "North America" } });
    expect(loaded.runs).toHaveLength(1);
    expect(await db.aIModel.findUniqueOrThrow({ where: { id: model.id }, include: { certifications: true, runs: true } })).toMatchObject({
      certifications: [{ region: "us-east-1" }],
      runs: [{ region: "us-east-1" }],
    });
  });

  it("stores and reads a legacy certification", async () => {
    const row = await db.modelCertificationLegacy.create({ data: { modelId: "anthropic.claude-v2", status: "COMPLETED", passed: true, score: 90, rating: "excellent", testResults: '{"tests":[]}' } });
    expect(row.id).toBe(1);
    expect(await db.modelCertificationLegacy.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ rating: "excellent", testResults: '{"tests":[]}' });
  });
});

describe("constraints", () => {
  it("refuses a second certification of the same model in the same Region (P2002)", async () => {
    const model = await modelAndRegions();
    await db.modelCertification.create({ data: { modelId: model.id, region: "us-east-1" } });
    await db.modelCertification.create({ data: { modelId: model.id, region: "eu-west-1" } });
    const duplicate = db.modelCertification.create({ data: { modelId: model.id, region: "us-east-1" } });
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: "P2002" });
    expect(await db.modelCertification.count()).toBe(2);
  });

  it("re-certifying upserts the one row of a cell", async () => {
    const model = await modelAndRegions();
    const cell = { modelId_region: { modelId: model.id, region: "us-east-1" } };
    await db.modelCertification.upsert({ where: cell, create: { modelId: model.id, region: "us-east-1", status: "FAILED", passed: false }, update: {} });
    await db.modelCertification.upsert({ where: cell, create: { modelId: model.id, region: "us-east-1" }, update: { status: "COMPLETED", passed: true } });
    expect(await db.modelCertification.findMany()).toMatchObject([{ status: "COMPLETED", passed: true }]);
  });

  it("deleting a model deletes its certifications and runs", async () => {
    const model = await modelAndRegions();
    await db.modelCertification.create({ data: { modelId: model.id, region: "us-east-1" } });
    await db.certificationRun.create({ data: { modelId: model.id, region: "us-east-1", status: "COMPLETED" } });
    await db.aIModel.delete({ where: { id: model.id } });
    expect(await db.modelCertification.count()).toBe(0);
    expect(await db.certificationRun.count()).toBe(0);
  });

  it("deleting a job keeps its certifications and history, unlinked", async () => {
    const model = await modelAndRegions();
    const job = await db.certificationJob.create({ data: { type: "SINGLE_MODEL", regions: ["us-east-1"], modelIds: [model.id] } });
    await db.modelCertification.create({ data: { modelId: model.id, region: "us-east-1", jobId: job.id } });
    await db.certificationRun.create({ data: { modelId: model.id, region: "us-east-1", jobId: job.id, status: "COMPLETED" } });
    await db.certificationJob.delete({ where: { id: job.id } });
    expect(await db.modelCertification.findFirstOrThrow()).toMatchObject({ jobId: null });
    expect(await db.certificationRun.findFirstOrThrow()).toMatchObject({ jobId: null });
  });

  it("refuses a certification in an unknown Region or of an unknown model", async () => {
    const model = await modelAndRegions();
    await expect(db.modelCertification.create({ data: { modelId: model.id, region: "xx-nowhere-1" } })).rejects.toMatchObject({ code: "P2003" });
    await expect(db.modelCertification.create({ data: { modelId: "missing", region: "us-east-1" } })).rejects.toMatchObject({ code: "P2003" });
  });

  it("refuses to delete a Region that has certifications", async () => {
    const model = await modelAndRegions();
    await db.modelCertification.create({ data: { modelId: model.id, region: "eu-west-1" } });
    await expect(db.region.delete({ where: { code: "eu-west-1" } })).rejects.toMatchObject({ code: "P2003" });
  });
});

describe("enums", () => {
  it("match the brief exactly, in the generated client too", () => {
    expect(Object.values(CertificationStatus)).toEqual(EXPECTED_ENUMS.CertificationStatus);
    expect(Object.values(CertificationJobType)).toEqual(EXPECTED_ENUMS.CertificationJobType);
    expect(Object.values(JobStatus)).toEqual(EXPECTED_ENUMS.JobStatus);
    expect(EXPECTED_ENUMS.CertificationStatus).toEqual(["PENDING", "QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"]);
    expect(EXPECTED_ENUMS.CertificationJobType).toEqual(["SINGLE_MODEL", "MULTIPLE_MODELS", "ALL_MODELS", "RECERTIFY"]);
    expect(EXPECTED_ENUMS.JobStatus).toEqual(["PENDING", "QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "PAUSED"]);
  });

  it("round-trip every value through PostgreSQL", async () => {
    const model = await modelAndRegions();
    for (const status of Object.values(CertificationStatus)) {
      const run = await db.certificationRun.create({ data: { modelId: model.id, region: "us-east-1", status } });
      expect((await db.certificationRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe(status);
    }
    for (const errorCategory of Object.values(ErrorCategory)) {
      const run = await db.certificationRun.create({ data: { modelId: model.id, region: "eu-west-1", status: "FAILED", errorCategory } });
      expect((await db.certificationRun.findUniqueOrThrow({ where: { id: run.id } })).errorCategory).toBe(errorCategory);
    }
    for (const rating of Object.values(CertificationRating)) {
      const run = await db.certificationRun.create({ data: { modelId: model.id, region: "eu-west-1", status: "COMPLETED", rating } });
      expect((await db.certificationRun.findUniqueOrThrow({ where: { id: run.id } })).rating).toBe(rating);
    }
    for (const type of Object.values(CertificationJobType)) {
      for (const status of Object.values(JobStatus)) {
        const job = await db.certificationJob.create({ data: { type, status, regions: [], modelIds: [] } });
        expect(await db.certificationJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ type, status });
      }
    }
    for (const lifecycle of Object.values(ModelLifecycle)) {
      const m = await db.aIModel.create({ data: { provider: "p", name: lifecycle, lifecycle } });
      expect((await db.aIModel.findUniqueOrThrow({ where: { id: m.id } })).lifecycle).toBe(lifecycle);
    }
    expect(await db.certificationRun.count()).toBe(Object.values(CertificationStatus).length + Object.values(ErrorCategory).length + Object.values(CertificationRating).length);
  });

  it("refuses a value outside an enum", async () => {
    const model = await modelAndRegions();
    await expect(db.$executeRawUnsafe(`INSERT INTO certification_runs (id, model_id, region, status) VALUES ('x', '${model.id}', 'us-east-1', 'DONE')`)).rejects.toThrow(
      /invalid input value for enum "CertificationStatus"/,
    );
  });
});

describe("indexes and constraints of the migrated database", () => {
  it("every table, column, enum, index, unique constraint and foreign key is there", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const checks = compareSchema(await inspectSchema(client));
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(checks.map((c) => c.subject)).toEqual(
        expect.arrayContaining([
          "unique model_certifications(model_id, region)",
          "index model_certifications(status)",
          "index model_certifications(region)",
          "index model_certifications(job_id)",
          "index model_certifications(created_at)",
          "index certification_jobs(status)",
          "index certification_jobs(type)",
          "index certification_jobs(bull_job_id)",
          "index certification_jobs(created_at)",
          "index certification_runs(model_id, region, created_at)",
          "index certification_runs(job_id, created_at)",
          "foreign key model_certifications(model_id) -> ai_models(id)",
        ]),
      );
    } finally {
      await client.end();
    }
  });

  it("the history index serves 'latest runs of one cell' newest first", async () => {
    const plan = await db.$queryRawUnsafe<{ indexdef: string }[]>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'certification_runs_model_id_region_created_at_idx'`);
    expect(plan[0]?.indexdef).toContain("(model_id, region, created_at DESC)");
  });

  it("detects a dropped index (inside a rolled-back transaction)", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(`DROP INDEX "model_certifications_status_idx"`);
      const failed = compareSchema(await inspectSchema(client)).filter((c) => !c.ok);
      expect(failed).toEqual([{ ok: false, subject: "index model_certifications(status)", detail: "missing" }]);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});
