// Models, Regions and the audit log through their route handlers: every
// success, every rejection, and the access matrix over the mutating ones with
// "a rejected call wrote nothing".
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listAudit } from "@/app/api/v1/audit/route";
import { GET as getModel, PATCH as patchModel } from "@/app/api/v1/models/[id]/route";
import { GET as listModels } from "@/app/api/v1/models/route";
import { POST as syncModels } from "@/app/api/v1/models/sync/route";
import { PATCH as patchRegion } from "@/app/api/v1/regions/[code]/route";
import { GET as listRegions } from "@/app/api/v1/regions/route";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { prisma } from "@/lib/db/client";
import { ADMIN, call, setUpUsers, type Who } from "../helpers/api";
import { truncateAll } from "../helpers/db";

const TITAN = "amazon.titan-embed-text-v2:0";
let as: Awaited<ReturnType<typeof setUpUsers>>["as"];

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  ({ as } = await setUpUsers());
});

const snapshot = async () => ({
  models: await prisma.aIModel.findMany({ orderBy: { id: "asc" }, select: { id: true, enabled: true } }),
  regions: await prisma.region.findMany({ orderBy: { code: "asc" }, select: { code: true, enabled: true, catalogSyncedAt: true } }),
  availability: await prisma.modelRegionAvailability.count(),
  audit: await prisma.auditEntry.count(),
});

describe("reads (any signed-in user)", () => {
  it.each(["viewer", "viewer-token", "admin"] as Who[])("%s lists models and Regions", async (who) => {
    const models = await call(listModels, { headers: as(who), path: "/api/v1/models?provider=Anthropic&q=sonnet" });
    expect(models.status).toBe(200);
    const { models: list } = await models.json();
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((m: { provider: string }) => m.provider === "Anthropic")).toBe(true);
    const regions = await call(listRegions, { headers: as(who) });
    expect((await regions.json()).regions).toHaveLength(33);
  });

  it("one model, by Bedrock model id; 404 for an unknown one; 400 for a bad filter", async () => {
    const res = await call(getModel, { headers: as("viewer"), params: { id: TITAN } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ bedrockModelId: TITAN, availability: [], certifications: [] });
    expect((await call(getModel, { headers: as("viewer"), params: { id: "nope" } })).status).toBe(404);
    const bad = await call(listModels, { headers: as("viewer"), path: "/api/v1/models?enabled=maybe" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields[0].field).toBe("enabled");
  });

  it("anonymous callers see nothing", async () => {
    for (const handler of [listModels, listRegions, listAudit]) expect((await call(handler)).status).toBe(401);
  });
});

describe("changes (admins only; a rejected call writes nothing)", () => {
  const mutations = [
    { name: "disable a model", run: (who: Who) => call(patchModel, { method: "PATCH", headers: as(who), params: { id: TITAN }, body: { enabled: false } }) },
    { name: "disable a Region", run: (who: Who) => call(patchRegion, { method: "PATCH", headers: as(who), params: { code: "eu-west-3" }, body: { enabled: false } }) },
    { name: "sync the catalog", run: (who: Who) => call(syncModels, { method: "POST", headers: as(who) }) },
  ];

  it.each(mutations.flatMap((m) => (["anonymous", "viewer", "viewer-token"] as Who[]).map((who) => ({ ...m, who }))))("$who cannot $name", async ({ run, who }) => {
    const before = await snapshot();
    const res = await run(who);
    expect(res.status).toBe(who === "anonymous" ? 401 : 403);
    expect(await snapshot()).toEqual(before);
  });

  it("an admin disables and re-enables a model and a Region; each action is audited", async () => {
    const off = await call(patchModel, { method: "PATCH", headers: as("admin"), params: { id: TITAN }, body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ bedrockModelId: TITAN, enabled: false });
    const region = await call(patchRegion, {
      method: "PATCH",
      headers: { ...as("admin-token"), "x-client-address": "198.51.100.7", "x-forwarded-for": "8.8.8.8" },
      params: { code: "eu-west-3" },
      body: { enabled: false },
    });
    expect(await region.json()).toMatchObject({ code: "eu-west-3", enabled: false });
    await call(patchModel, { method: "PATCH", headers: as("admin"), params: { id: TITAN }, body: { enabled: true } });
    await call(patchRegion, { method: "PATCH", headers: as("admin"), params: { code: "eu-west-3" }, body: { enabled: true } });

    const audit = await call(listAudit, { headers: as("viewer"), path: `/api/v1/audit?actor=${ADMIN.email}` });
    const { entries } = await audit.json();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(["region.enable", "model.enable", "region.disable", "model.disable"]);
    // From where: the address the web server determined (X-Client-Address), never a client's X-Forwarded-For.
    expect(entries.find((e: { via: string }) => e.via === "token")).toMatchObject({ action: "region.disable", target: "eu-west-3", ip: "198.51.100.7" });
    expect(entries.filter((e: { ip: string | null }) => e.ip === "8.8.8.8")).toEqual([]);
  });

  it("bad bodies are 400s naming the field; unknown ids 404; nothing written", async () => {
    const before = await snapshot();
    const bad = await call(patchModel, { method: "PATCH", headers: as("admin"), params: { id: TITAN }, body: { enabled: "yes" } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields).toEqual([expect.objectContaining({ field: "enabled" })]);
    expect((await call(patchModel, { method: "PATCH", headers: as("admin"), params: { id: TITAN }, body: "{" })).status).toBe(400);
    expect((await call(patchRegion, { method: "PATCH", headers: as("admin"), params: { code: "xx-nowhere-1" }, body: { enabled: false } })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
