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
    expect(await prisma.auditEntry.findFirst({ where: { action: "job.create", target: id } })).toMatchObject({ actorEmail: ADMIN.email, via: who === "admin" ? "session" : "token" });
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

describe("forged cross-site requests", () => {
  it("a session call from another site's page is refused and writes nothing; the app's own origin and tokens pass", async () => {
    const before = await prisma.certificationJob.count();
    const forged = await call(createJob, { method: "POST", headers: { ...as("admin"), origin: "https://evil.example" }, body });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error).toBe("cross_site");
    expect(await prisma.certificationJob.count()).toBe(before);
    expect((await call(createJob, { method: "POST", headers: { ...as("admin"), origin: ORIGIN }, body })).status).toBe(201);
    expect((await call(createJob, { method: "POST", headers: { ...as("admin-token"), origin: "https://ci.example" }, body })).status).toBe(201);
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

describe("every job action, by who may not", () => {
  const actions = ["pause", "resume", "cancel", "retry-failed"] as const;
  const refused = [
    ["anonymous", 401],
    ["viewer", 403],
    ["viewer-token", 403],
  ] as const;
  it.each(actions.flatMap((action) => refused.map(([who, status]) => ({ action, who, status }))))("$who: $action is $status and writes nothing", async ({ action, who, status }) => {
    const { id } = await (await call(createJob, { method: "POST", headers: as("admin"), body })).json();
    if (action === "resume") await call(jobAction, { method: "POST", headers: as("admin"), params: { id, action: "pause" } });
    const snapshot = async () => ({
      job: await prisma.certificationJob.findUniqueOrThrow({ where: { id } }),
      pairs: await prisma.certificationJobPair.findMany({ where: { jobId: id }, orderBy: { id: "asc" } }),
      audit: await prisma.auditEntry.count(),
      queued: await appJobDeps().queue.getJobCounts(),
    });
    const before = await snapshot();
    const res = await call(jobAction, { method: "POST", headers: as(who), params: { id, action } });
    expect(res.status).toBe(status);
    expect(await snapshot()).toEqual(before);
  });
});

describe("listing jobs", () => {
  it("filters by status, type, who and since, and pages with a cursor", async () => {
    // Its own jobs, in every state the filters look at (it does not count on other tests' jobs).
    for (const [status, createdBy] of [
      ["CANCELLED", ADMIN.email],
      ["PAUSED", ADMIN.email],
      ["COMPLETED", "ops@example.com"],
      ["PROCESSING", ADMIN.email],
      ["FAILED", "ops@example.com"],
    ] as const)
      await prisma.certificationJob.create({ data: { type: "MULTIPLE_MODELS", regions: ["us-east-1"], modelIds: [], totalModels: 1, status, createdBy } });
    const all = (await (await call(listJobs, { path: "/api/v1/jobs?limit=200", headers: as("viewer") })).json()).jobs as { id: string; status: string; type: string }[];
    expect(all.length).toBeGreaterThanOrEqual(5);
    const byOps = await (await call(listJobs, { path: "/api/v1/jobs?createdBy=ops@example.com", headers: as("viewer") })).json();
    expect(byOps.jobs.map((j: { status: string }) => j.status).sort()).toEqual(["COMPLETED", "FAILED"]);
    const cancelled = await (await call(listJobs, { path: "/api/v1/jobs?status=CANCELLED,PAUSED", headers: as("viewer") })).json();
    expect(cancelled.jobs.length).toBe(all.filter((j) => ["CANCELLED", "PAUSED"].includes(j.status)).length);
    expect(cancelled.jobs.every((j: { status: string }) => ["CANCELLED", "PAUSED"].includes(j.status))).toBe(true);
    expect((await (await call(listJobs, { path: "/api/v1/jobs?type=ALL_MODELS", headers: as("viewer") })).json()).jobs).toEqual([]);
    expect((await (await call(listJobs, { path: `/api/v1/jobs?createdBy=${VIEWER.email}`, headers: as("viewer") })).json()).jobs).toEqual([]);
    expect((await (await call(listJobs, { path: `/api/v1/jobs?since=${new Date(Date.now() + 60_000).toISOString()}`, headers: as("viewer") })).json()).jobs).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { jobs: { id: string }[]; nextCursor: string | null } = await (
        await call(listJobs, { path: `/api/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ""}`, headers: as("viewer-token") })
      ).json();
      expect(page.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...page.jobs.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((j) => j.id));

    for (const [query, field] of [
      ["status=DONE", "status.0"],
      ["limit=0", "limit"],
      ["since=yesterday", "since"],
      ["colour=red", "colour"],
      ["since=0000-01-01T00:00:00Z", "since"],
    ]) {
      const res = await call(listJobs, { path: `/api/v1/jobs?${query}`, headers: as("viewer") });
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });
});

describe("sign-in", () => {
  it("is rate limited", async () => {
    const attempt = () =>
      auth.handler(
        new Request(`${ORIGIN}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "203.0.113.9" },
          body: JSON.stringify({ email: VIEWER.email, password: "wrong-password-123" }),
        }),
      );
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

  it("disabled and expired tokens, and a banned owner's, are refused", async () => {
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: VIEWER.email } });
    const make = async () => {
      const { key, id } = await auth.api.createApiKey({ body: { userId: viewer.id, name: "temp" } });
      const get = () => call(listJobs, { headers: { authorization: `Bearer ${key}` } });
      expect((await get()).status).toBe(200);
      return { id, get };
    };
    const disabled = await make();
    await prisma.apikey.update({ where: { id: disabled.id }, data: { enabled: false } });
    expect((await disabled.get()).status).toBe(401);
    const expired = await make();
    await prisma.apikey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await expired.get()).status).toBe(401);
    const banned = await make();
    await prisma.user.update({ where: { id: viewer.id }, data: { banned: true } });
    try {
      expect((await banned.get()).status).toBe(401);
    } finally {
      await prisma.user.update({ where: { id: viewer.id }, data: { banned: false } });
    }
    expect((await banned.get()).status).toBe(200);
  });

  it("last use is written at most once a minute", async () => {
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: VIEWER.email } });
    const { key, id } = await auth.api.createApiKey({ body: { userId: viewer.id, name: "temp" } });
    const use = () => call(listJobs, { headers: { authorization: `Bearer ${key}` } });
    await use();
    const first = (await prisma.apikey.findUniqueOrThrow({ where: { id } })).lastRequest!;
    await Promise.all([use(), use(), use()]);
    expect((await prisma.apikey.findUniqueOrThrow({ where: { id } })).lastRequest).toEqual(first);
    const longAgo = new Date(Date.now() - 61_000);
    await prisma.apikey.update({ where: { id }, data: { lastRequest: longAgo } });
    await use();
    expect((await prisma.apikey.findUniqueOrThrow({ where: { id } })).lastRequest!.getTime()).toBeGreaterThan(longAgo.getTime() + 60_000);
  });
});
