// The console's server actions (app/actions.ts → lib/actions/console.ts): the
// same services, role checks, input checks and audit as the route handlers.
// A forged call — a viewer's, or nobody's — is refused with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeJob, createToken, enableModel, enableRegion, revokeToken, startJob, syncTheCatalog } from "@/lib/actions/console";
import { seedCatalog } from "@/lib/catalog/seed";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { prisma } from "@/lib/db/client";
import { appJobDeps } from "@/lib/queue/app-queue";
import { ORIGIN, setUpUsers, VIEWER } from "../helpers/api";
import { truncateAll } from "../helpers/db";

let as: Awaited<ReturnType<typeof setUpUsers>>["as"];
let jobId = "";
const headersOf = (who: Parameters<typeof as>[0], origin: string | null = ORIGIN) =>
  new Headers({ ...as(who), "x-client-address": "192.0.2.7", "user-agent": "actions-test", ...(origin ? { origin } : {}) });

const writes = async () => ({
  jobs: await prisma.certificationJob.count(),
  audit: await prisma.auditEntry.count(),
  tokens: await prisma.apikey.count(),
  regions: await prisma.region.findMany({ select: { code: true, enabled: true }, orderBy: { code: "asc" } }),
  models: await prisma.aIModel.count({ where: { enabled: false } }),
  job: await prisma.certificationJob.findUnique({ where: { id: jobId }, select: { status: true } }),
});

beforeAll(async () => {
  await truncateAll(prisma);
  ({ as } = await setUpUsers());
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  jobId = (await prisma.certificationJob.create({ data: { type: "SINGLE_MODEL", regions: ["us-east-1"], modelIds: [], totalModels: 1, status: "PROCESSING" } })).id;
});
afterAll(async () => {
  const deps = appJobDeps();
  await deps.queue.obliterate({ force: true }).catch(() => {});
  await deps.queue.close();
  deps.redis.disconnect();
});

describe("a forged action call is refused and writes nothing", () => {
  const model = () => prisma.aIModel.findFirstOrThrow({ select: { id: true } }).then((m) => m.id);
  it.each(["anonymous", "viewer", "viewer-token"] as const)("as %s", async (who) => {
    const before = await writes();
    const results = [
      await changeJob(headersOf(who), { id: jobId, action: "cancel" }),
      await enableRegion(headersOf(who), { code: "us-east-1", enabled: false }),
      await enableModel(headersOf(who), { id: await model(), enabled: false }),
      await startJob(headersOf(who), { job: { type: "SINGLE_MODEL", modelIds: ["amazon.titan-embed-text-v2:0"], regions: ["us-east-1"] } }),
      await syncTheCatalog(headersOf(who), {}),
    ];
    for (const r of results) expect(r).toMatchObject({ ok: false, status: who === "anonymous" ? 401 : 403 });
    expect(await writes()).toEqual(before);
  });
});

describe("an admin's actions", () => {
  it("change state through the services, audited as the admin, from the client's address", async () => {
    expect(await enableRegion(headersOf("admin"), { code: "eu-west-3", enabled: false })).toEqual({ ok: true, data: { code: "eu-west-3", enabled: false } });
    expect(await changeJob(headersOf("admin"), { id: jobId, action: "pause" })).toEqual({ ok: true, data: { status: "PAUSED", retried: null } });
    const entries = await prisma.auditEntry.findMany({ where: { action: { in: ["region.disable", "job.pause"] } }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.action, e.target, e.via, e.ip, e.userAgent])).toEqual([
      ["region.disable", "eu-west-3", "session", "192.0.2.7", "actions-test"],
      ["job.pause", jobId, "session", "192.0.2.7", "actions-test"],
    ]);
  });

  it("bad input is refused naming the field, service errors keep their status, nothing is written", async () => {
    const before = await writes();
    expect(await changeJob(headersOf("admin"), { id: jobId, action: "toString" })).toMatchObject({ ok: false, status: 400, fields: [expect.objectContaining({ field: "action" })] });
    expect(await changeJob(headersOf("admin"), { id: "a\u0000", action: "pause" })).toMatchObject({ ok: false, status: 400, fields: [{ field: "id", reason: expect.any(String) }] });
    expect(await changeJob(headersOf("admin"), { id: "no-such-job", action: "pause" })).toMatchObject({ ok: false, status: 404 });
    expect(await changeJob(headersOf("admin"), { id: jobId, action: "pause" })).toMatchObject({ ok: false, status: 409 });
    const started = await startJob(headersOf("admin"), { job: { type: "SINGLE_MODEL", modelIds: ["no.such-model"], regions: ["us-east-1"] } });
    expect(started).toMatchObject({ ok: false, status: 400, fields: [{ field: "modelIds.0", reason: 'unknown model "no.such-model"' }] });
    expect(await writes()).toEqual(before);
  });
});

describe("a user's own tokens", () => {
  it("a viewer creates and revokes a token; both are audited; a bad name is a field error", async () => {
    expect(await createToken(headersOf("viewer"), { name: "  " })).toMatchObject({ ok: false, status: 400, fields: [{ field: "name", reason: "give it a name" }] });
    const created = await createToken(headersOf("viewer"), { name: "from the console", expiresInDays: "30" });
    if (!created.ok) throw new Error(created.message);
    expect(created.data.key).toMatch(/^brc_/);
    expect(await revokeToken(headersOf("viewer"), { id: created.data.id })).toEqual({ ok: true, data: { id: created.data.id } });
    const entries = await prisma.auditEntry.findMany({ where: { action: { startsWith: "token." } }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.action, e.actorEmail, e.target])).toEqual([
      ["token.create", VIEWER.email, created.data.id],
      ["token.revoke", VIEWER.email, created.data.id],
    ]);
  });

  it("another user's token cannot be revoked: a 404 result, not a 500; the token stays", async () => {
    const admins = await createToken(headersOf("admin"), { name: "the admin's" });
    if (!admins.ok) throw new Error(admins.message);
    expect(await revokeToken(headersOf("viewer"), { id: admins.data.id })).toMatchObject({ ok: false, status: 404 });
    expect(await prisma.apikey.count({ where: { id: admins.data.id } })).toBe(1);
  });
});

describe("where a form was posted from", () => {
  it("another origin, or none, is a 403 result and writes nothing", async () => {
    const before = await prisma.auditEntry.count();
    for (const origin of ["https://evil.example", "null", "http://localhost:3001", null]) {
      const result = await enableRegion(headersOf("admin", origin), { code: "us-east-1", enabled: false });
      expect({ origin, result }).toMatchObject({ origin, result: { ok: false, status: 403 } });
    }
    expect(await prisma.auditEntry.count()).toBe(before);
    expect(await prisma.region.findUniqueOrThrow({ where: { code: "us-east-1" } })).toMatchObject({ enabled: true });
  });
});
