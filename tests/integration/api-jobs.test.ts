// /api/v1/jobs through its route handlers, with real sign-in (Better Auth),
// sessions and API tokens in PostgreSQL, and the queue in Redis.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getJob } from "@/app/api/v1/jobs/[id]/route";
import { POST as jobAction } from "@/app/api/v1/jobs/[id]/[action]/route";
import { GET as listJobs, POST as createJob } from "@/app/api/v1/jobs/route";
import { auth } from "@/lib/auth/auth";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { prisma } from "@/lib/db/client";
import { appJobDeps } from "@/lib/queue/app-queue";
import { ADMIN, call, ORIGIN, setUpUsers, VIEWER } from "../helpers/api";
import { truncateAll } from "../helpers/db";

const body = { type: "SINGLE_MODEL", modelIds: ["amazon.titan-embed-text-v2:0"], regions: ["us-east-1"] };
let as: Awaited<ReturnType<typeof setUpUsers>>["as"];

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  ({ as } = await setUpUsers());
});

afterAll(async () => {
  const deps = appJobDeps();
  await deps.queue.close();
  deps.redis.disconnect();
});

describe("who may start a job", () => {
  it.each([
    ["anonymous", 401],
    ["viewer", 403],
    ["viewer-token", 403],
  ] as const)("%s gets %i and nothing is written", async (who, status) => {
    const before = await prisma.certificationJob.count();
    const res = await call(createJob, { method: "POST", headers: as(who), body });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: status === 401 ? "unauthorized" : "forbidden" });
    expect(await prisma.certificationJob.count()).toBe(before);
  });

  it.each(["admin", "admin-token"] as const)("%s creates it (201), recorded as theirs", async (who) => {
    const res = await call(createJob, { method: "POST", headers: as(who), body });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    expect(res.headers.get("location")).toBe(`/api/v1/jobs/${id}`);
    expect(await prisma.certificationJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ createdBy: ADMIN.email, status: "QUEUED", totalModels: 1 });
    expect(await prisma.auditEntry.findFirst({ where: { action: "job.create", target: `/api/v1/jobs/${id}` } })).toMatchObject({ actorEmail: ADMIN.email, via: who === "admin" ? "session" : "token" });
  });

  it("a viewer can read jobs", async () => {
    const list = await call(listJobs, { headers: as("viewer") });
    expect(list.status).toBe(200);
    const { jobs } = await list.json();
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs[0]).not.toHaveProperty("idempotencyKey");
    const one = await call(getJob, { headers: as("viewer-token"), params: { id: jobs[0].id } });
    expect(one.status).toBe(200);
    expect((await call(getJob, { headers: as("viewer"), params: { id: "nope" } })).status).toBe(404);
  });
});

describe("input", () => {
  it("bad input is a 400 naming the field, and writes nothing", async () => {
    const before = await prisma.certificationJob.count();
    const cases: [unknown, string][] = [
      [{ ...body, regions: ["xx-nowhere-1"] }, "regions.0"],
      [{ ...body, modelIds: [] }, "modelIds"],
      [{ ...body, config: { maxTokens: "lots" } }, "config.maxTokens"],
      ["{not json", "(body)"],
    ];
    for (const [payload, field] of cases) {
      const res = await call(createJob, { method: "POST", headers: as("admin"), body: payload });
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect(await prisma.certificationJob.count()).toBe(before);
  });

  it("the same Idempotency-Key gives the same job", async () => {
    const headers = { ...as("admin"), "idempotency-key": "qa-run-2026-11-26" };
    const first = await call(createJob, { method: "POST", headers, body });
    const second = await call(createJob, { method: "POST", headers, body });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await second.json()).id).toBe((await first.json()).id);
    const bad = await call(createJob, { method: "POST", headers: { ...as("admin"), "idempotency-key": "x" }, body });
    expect(bad.status).toBe(400);
  });
});

describe("control", () => {
  it("cancel, then an impossible transition is a 409; a viewer is refused", async () => {
    const { id } = await (await call(createJob, { method: "POST", headers: as("admin"), body })).json();
    expect((await call(jobAction, { method: "POST", headers: as("viewer"), params: { id, action: "cancel" } })).status).toBe(403);
    const cancelled = await call(jobAction, { method: "POST", headers: as("admin-token"), params: { id, action: "cancel" } });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ id, status: "CANCELLED" });
    const again = await call(jobAction, { method: "POST", headers: as("admin"), params: { id, action: "pause" } });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe("conflict");
    expect((await call(jobAction, { method: "POST", headers: as("admin"), params: { id, action: "teleport" } })).status).toBe(404);
  });
});

describe("sign-in", () => {
  it("is rate limited", async () => {
    const attempt = () => auth.handler(new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "203.0.113.9" }, body: JSON.stringify({ email: VIEWER.email, password: "wrong-password-123" }) }));
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(statuses).toContain(429);
  });

  it("a revoked token stops working", async () => {
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: VIEWER.email } });
    const { key, id } = await auth.api.createApiKey({ body: { userId: viewer.id, name: "temp" } });
    expect((await call(listJobs, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await prisma.apikey.findUniqueOrThrow({ where: { id } })).lastRequest).not.toBeNull();
    expect((await prisma.apikey.findUniqueOrThrow({ where: { id } })).key).not.toBe(key); // stored hashed
    await prisma.apikey.delete({ where: { id } });
    expect((await call(listJobs, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });
});
