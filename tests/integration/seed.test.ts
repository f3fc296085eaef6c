import { spawn, spawnSync } from "node:child_process";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog, seedLegacyCertifications } from "@/lib/catalog/seed";
import { LEGACY_CERTIFICATIONS } from "@/prisma/fixtures/legacy-certifications";
import { testPrisma, truncateAll } from "../helpers/db";

const db = testPrisma();
afterAll(() => db.$disconnect());
beforeEach(() => truncateAll(db));

const catalog = () => ({ regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });

describe("seed", () => {
  it("npm run db:seed succeeds with both cores held busy (no long interactive transaction left to expire)", { timeout: 180_000 }, async () => {
    // Two CPU hogs, as a busy machine (the set-up of a first run failed twice here before).
    const hogs = [0, 1].map(() => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
    try {
      const run = spawnSync("npm", ["run", "db:seed"], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL! }, encoding: "utf8", timeout: 170_000 });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/Seeded 33 Regions \(33 new\), 120 models \(120 new\), 20 legacy certifications/);
    } finally {
      for (const h of hogs) h.kill("SIGKILL");
    }
    expect(await db.aIModel.count()).toBe(120);
  });

  it("loads the 33 commercial Regions, the 120 models and the 20 legacy rows", async () => {
    const report = await seedCatalog(db, catalog());
    expect(report).toEqual({ regions: { created: 33, updated: 0 }, models: { created: 120, updated: 0 } });
    expect(await seedLegacyCertifications(db, LEGACY_CERTIFICATIONS)).toBe(20);
    expect(await db.region.count()).toBe(33);
    expect(await db.aIModel.count()).toBe(120);
    expect(await db.modelCertificationLegacy.count()).toBe(20);
    expect(await db.region.findUniqueOrThrow({ where: { code: "ap-southeast-2" } })).toMatchObject({ name: "Asia Pacific (Sydney)", geography: "Asia Pacific", enabled: true });
    expect(await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId: "meta.llama3-2-90b-instruct-v1:0" } })).toMatchObject({ lifecycle: "LEGACY" });
    expect(await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId: "amazon.titan-tg1-large" } })).toMatchObject({ lifecycle: "ACTIVE" });
    expect(await db.aIModel.count({ where: { bedrockModelId: null } })).toBe(2);
  });

  it("is idempotent and keeps what admins changed", async () => {
    await seedCatalog(db, catalog());
    await seedLegacyCertifications(db, LEGACY_CERTIFICATIONS);
    await db.region.update({ where: { code: "us-east-1" }, data: { enabled: false } });
    const haiku = await db.aIModel.update({ where: { bedrockModelId: "anthropic.claude-3-haiku-20240307-v1:0" }, data: { enabled: false } });

    const again = await seedCatalog(db, catalog());
    expect(again).toEqual({ regions: { created: 0, updated: 33 }, models: { created: 0, updated: 120 } });
    expect(await seedLegacyCertifications(db, LEGACY_CERTIFICATIONS)).toBe(0);
    expect(await db.aIModel.count()).toBe(120);
    expect(await db.modelCertificationLegacy.count()).toBe(20);
    expect(await db.region.findUniqueOrThrow({ where: { code: "us-east-1" } })).toMatchObject({ enabled: false });
    expect(await db.aIModel.findUniqueOrThrow({ where: { id: haiku.id } })).toMatchObject({ enabled: false });
  });

  it("leaves the legacy id sequence past the fixture ids", async () => {
    await seedLegacyCertifications(db, LEGACY_CERTIFICATIONS);
    const row = await db.modelCertificationLegacy.create({ data: { modelId: "x", status: "COMPLETED" } });
    expect(row.id).toBe(21);
  });
});
