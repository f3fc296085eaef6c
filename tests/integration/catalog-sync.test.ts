// The catalog sync against the simulator: it must reproduce the catalog file the
// simulator was given, the bundled one and one that differs from it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { BUNDLED_MODELS_FILE, parseModelsCsv, parseRegionsCsv, type ModelRow } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { readAvailabilityTable, syncCatalog } from "@/lib/catalog/sync";
import { ListFoundationModelsCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import { testPrisma, truncateAll } from "../helpers/db";
import { startSimulator } from "../helpers/simulator";
import { QA } from "../helpers/actor";

const db = testPrisma();
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await truncateAll(db);
  // Every Region of the table, GovCloud and the other partitions too, so that
  // the whole file can be compared.
  await seedCatalog(db, { regions: parseRegionsCsv(), models: [] });
});

const byRegion = <T extends { region: string }>(list: T[]) => [...list].sort((a, b) => a.region.localeCompare(b.region));

// The file's Region sets per model id, as the sync should record them.
function expectedTable(models: ModelRow[]) {
  return new Map(
    models
      .filter((m) => m.bedrockModelId && (m.inRegion.length || m.profileOnly.length))
      .map((m) => [m.bedrockModelId!, { inRegion: byRegion(m.inRegion), profileOnly: byRegion(m.profileOnly.map((p) => ({ ...p, scopes: [...p.scopes].sort() }))) }]),
  );
}

describe("catalog sync", () => {
  it("reproduces the bundled table exactly: every model and every Region set", async () => {
    const sim = await startSimulator();
    try {
      const report = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA });
      expect(report.regions.every((r) => r.ok)).toBe(true);
      expect(report.regions).toHaveLength(40);
      expect(report.models).toEqual({ seen: 118, created: 118, updated: 0 });
      const expected = expectedTable(parseModelsCsv());
      expect(expected.size).toBe(118);
      expect(await readAvailabilityTable(db)).toEqual(expected);
      // Facts and lifecycle come back too.
      expect(await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId: "amazon.nova-canvas-v1:0" } })).toMatchObject({
        provider: "Amazon",
        name: "Nova Canvas",
        inputModalities: ["Text", "Image"],
        outputModalities: ["Image"],
        streaming: false,
        lifecycle: "ACTIVE",
      });
      expect(await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId: "meta.llama3-2-90b-instruct-v1:0" } })).toMatchObject({ lifecycle: "LEGACY" });
      expect((await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId: "anthropic.claude-3-5-sonnet-20240620-v1:0" } })).streaming).toBeNull();
      // Profile ids are recorded where a model is profile-only.
      const sonnet45 = await db.modelRegionAvailability.findFirstOrThrow({ where: { region: "us-east-1", model: { bedrockModelId: "anthropic.claude-sonnet-4-5-20250929-v1:0" } } });
      expect(sonnet45).toMatchObject({ availability: "PROFILE_ONLY", profileIds: ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"] });
      // …though, as on AWS, each profile names its model once per member Region.
      const profiles = await sim.bedrock.control("us-east-1").send(new ListInferenceProfilesCommand({ maxResults: 1000 }));
      const usSonnet = profiles.inferenceProfileSummaries!.find((p) => p.inferenceProfileId === "us.anthropic.claude-sonnet-4-5-20250929-v1:0")!;
      expect(usSonnet.models!.length).toBeGreaterThan(1);
      // Provisioned Throughput variants are listed (PROVISIONED only) and stay with their base model.
      const listed = await sim.bedrock.control("us-east-1").send(new ListFoundationModelsCommand({}));
      const variants = listed.modelSummaries!.filter((m) => m.inferenceTypesSupported?.join() === "PROVISIONED");
      expect(variants.map((m) => m.modelId)).toContain("amazon.nova-lite-v1:0:300k");
      expect(await db.aIModel.count({ where: { bedrockModelId: { in: variants.map((m) => m.modelId!) } } })).toBe(0);
      // …and are shown with it: its Region's record lists them.
      expect(await db.modelRegionAvailability.findFirstOrThrow({ where: { region: "us-east-1", model: { bedrockModelId: "amazon.nova-lite-v1:0" } } })).toMatchObject({
        availability: "IN_REGION",
        provisionedVariants: ["24k", "300k"],
      });
      expect(await db.modelRegionAvailability.count({ where: { availability: "NOT_OFFERED" } })).toBe(
        118 * 40 - (await db.modelRegionAvailability.count({ where: { availability: { not: "NOT_OFFERED" } } })),
      );
      expect(await db.region.count({ where: { catalogSyncedAt: null } })).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it("reproduces a catalog file that differs: a model removed, one added, a Region changed", async () => {
    // First the bundled catalog, as a running installation would have it.
    const bundled = await startSimulator();
    await syncCatalog({ db, bedrock: bundled.bedrock, actor: QA });
    await bundled.close();

    const lines = readFileSync(BUNDLED_MODELS_FILE, "utf8").trimEnd().split(/\r?\n/);
    const removed = "cohere.command-r-v1:0";
    const changed = "amazon.titan-embed-text-v2:0";
    const edited = lines.filter((l) => !l.includes(`,${removed},`)).map((l) => (l.includes(`,${changed},`) ? l.replace(/,us-east-1 us-east-2 /, ",us-east-2 ") : l));
    edited.push(`Acme,Acme Reasoner 1,acme.reasoner-v1:0,Text,Text,Yes,us-east-1 eu-west-1(legacy),ap-south-1[geo+global],test fixture`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "catalog-")), "models.csv");
    writeFileSync(file, edited.join("\n") + "\n");

    const sim = await startSimulator({ catalogFile: file });
    try {
      const report = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA });
      expect(report.models).toMatchObject({ seen: 118, created: 1 });
      expect(await readAvailabilityTable(db)).toEqual(expectedTable(parseModelsCsv(file)));
      // The removed model is kept (with its history) but offered nowhere now.
      const gone = await db.aIModel.findUniqueOrThrow({ where: { bedrockModelId: removed }, include: { availability: true } });
      expect(new Set(gone.availability.map((a) => a.availability))).toEqual(new Set(["NOT_OFFERED"]));
      const added = await db.aIModel.findUniqueOrThrow({
        where: { bedrockModelId: "acme.reasoner-v1:0" },
        include: { availability: { where: { availability: { not: "NOT_OFFERED" } }, orderBy: { region: "asc" } } },
      });
      expect(added.availability.map((a) => [a.region, a.availability, a.legacy])).toEqual([
        ["ap-south-1", "PROFILE_ONLY", false],
        ["eu-west-1", "IN_REGION", true],
        ["us-east-1", "IN_REGION", false],
      ]);
      const titan = await db.modelRegionAvailability.findFirstOrThrow({ where: { region: "us-east-1", model: { bedrockModelId: changed } } });
      expect(titan.availability).toBe("NOT_OFFERED");
    } finally {
      await sim.close();
    }
  });

  it("a Region that fails is reported and keeps its previous availability; the others are written", async () => {
    const sim = await startSimulator({ sdkMaxAttempts: 1 });
    try {
      await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions: ["us-east-1", "eu-west-1"] });
      const before = await db.modelRegionAvailability.findMany({ where: { region: "eu-west-1" }, orderBy: { modelId: "asc" } });
      sim.simulator.setFaults({ rules: [{ regions: ["eu-west-1"], operations: ["ListFoundationModels"], internalErrorRate: 1 }] });
      const report = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions: ["us-east-1", "eu-west-1"] });
      expect(report.regions.find((r) => r.region === "eu-west-1")).toMatchObject({ ok: false, error: { category: "SERVICE_UNAVAILABLE" } });
      expect(report.regions.find((r) => r.region === "us-east-1")).toMatchObject({ ok: true });
      expect(await db.modelRegionAvailability.findMany({ where: { region: "eu-west-1" }, orderBy: { modelId: "asc" } })).toEqual(before);
    } finally {
      await sim.close();
    }
  });

  it("an empty or a half-short listing withdraws nothing until a second listing agrees; one that agrees is the truth", async () => {
    const sim = await startSimulator({ sdkMaxAttempts: 1 });
    try {
      const regions = ["us-east-1", "eu-west-1"];
      await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions });
      const before = await readAvailabilityTable(db);
      const offeredIn = async (region: string) => db.modelRegionAvailability.count({ where: { region, availability: { not: "NOT_OFFERED" } } });
      const offered = await offeredIn("eu-west-1");
      expect(offered).toBeGreaterThan(20);

      // One bad answer (empty, then half the list), the next listing right: held, nothing withdrawn.
      for (const listingDrop of [1, 0.5]) {
        sim.simulator.setFaults({ rules: [{ regions: ["eu-west-1"], operations: ["ListFoundationModels"], listingDrop, maxHits: 1 }] });
        const report = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions, confirmDelayMs: 10 });
        const west = report.regions.find((r) => r.region === "eu-west-1")!;
        expect(west, `listingDrop ${listingDrop}`).toMatchObject({ ok: false, held: expect.stringMatching(/left out \d+ of the \d+ models.*nothing was withdrawn/) });
        expect(report.changes.filter((c) => c.region === "eu-west-1")).toEqual([]);
        expect(await readAvailabilityTable(db)).toEqual(before);
      }
      // A small change (under a fifth) is believed at once.
      sim.simulator.setFaults({ rules: [{ regions: ["eu-west-1"], operations: ["ListFoundationModels"], listingDrop: 0.1 }] });
      const small = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions, confirmDelayMs: 60_000 });
      expect(small.regions.find((r) => r.region === "eu-west-1")).toMatchObject({ ok: true });
      expect(small.regions.find((r) => r.region === "eu-west-1")).not.toHaveProperty("confirmed");
      expect(await offeredIn("eu-west-1")).toBeLessThan(offered);
      // Back to the full list, then half of it twice in a row: confirmed and applied.
      sim.simulator.setFaults({ rules: [] });
      await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions });
      sim.simulator.setFaults({ rules: [{ regions: ["eu-west-1"], operations: ["ListFoundationModels"], listingDrop: 0.5 }] });
      const confirmed = await syncCatalog({ db, bedrock: sim.bedrock, actor: QA }, { regions, confirmDelayMs: 10 });
      expect(confirmed.regions.find((r) => r.region === "eu-west-1")).toMatchObject({ ok: true, confirmed: expect.stringMatching(/a second listing .* agreed/) });
      expect(await offeredIn("eu-west-1")).toBeLessThanOrEqual(Math.ceil(offered / 2) + 1);
      expect(confirmed.changes.filter((c) => c.region === "eu-west-1" && c.change === "withdrawn").length).toBeGreaterThan(offered / 3);
    } finally {
      await sim.close();
    }
  });
});
