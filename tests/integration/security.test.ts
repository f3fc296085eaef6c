// The findings of the attack run (issue 13), each as a check that failed
// before its fix: route handlers called as Next calls them, by real users and
// tokens, against the real PostgreSQL and Redis. What needs the web server
// itself (socket addresses, the edge's refusals, SIGTERM) is in e2e/web-server.spec.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listAudit } from "@/app/api/v1/audit/route";
import { GET as listCertifications } from "@/app/api/v1/certifications/route";
import { GET as exportMatrix } from "@/app/api/v1/export/route";
import { GET as jobEvents } from "@/app/api/v1/jobs/[id]/events/route";
import { POST as jobAction } from "@/app/api/v1/jobs/[id]/[action]/route";
import { GET as getJob } from "@/app/api/v1/jobs/[id]/route";
import { GET as listJobs, POST as createJob } from "@/app/api/v1/jobs/route";
import { GET as grid } from "@/app/api/v1/matrix/grid/route";
import { GET as listModels } from "@/app/api/v1/models/route";
import { POST as syncModels } from "@/app/api/v1/models/sync/route";
import { PATCH as patchRegion } from "@/app/api/v1/regions/[code]/route";
import { auth } from "@/lib/auth/auth";
import { clearFailedSignIns, forgetKnownAddresses, signInLimitRedis } from "@/lib/auth/sign-in-limit";
import { syncCatalog } from "@/lib/catalog/sync";
import { publishProgress } from "@/lib/certification/events";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { appJobDeps } from "@/lib/queue/app-queue";
import { createRedisConnection } from "@/lib/redis";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { startHealthServer } from "@/worker/health";
import { QA } from "../helpers/actor";
import { ADMIN, call, ORIGIN, setUpUsers, VIEWER } from "../helpers/api";
import { truncateAll } from "../helpers/db";
import { counters } from "../helpers/events";
import { startSimulator } from "../helpers/simulator";

let as: Awaited<ReturnType<typeof setUpUsers>>["as"];
let users: Awaited<ReturnType<typeof setUpUsers>>;
let jobId = "";

// Everything a refused request could have written.
const writes = async () => ({
  jobs: await prisma.certificationJob.count(),
  pairs: await prisma.certificationJobPair.count(),
  audit: await prisma.auditEntry.count(),
  cells: await prisma.modelCertification.count(),
  regions: await prisma.region.findMany({ select: { code: true, enabled: true }, orderBy: { code: "asc" } }),
});

beforeAll(async () => {
  await truncateAll(prisma);
  users = await setUpUsers();
  as = users.as;
  jobId = (await prisma.certificationJob.create({ data: { type: "SINGLE_MODEL", regions: ["us-east-1"], modelIds: ["m"], totalModels: 1, status: "PROCESSING" } })).id;
});
afterAll(async () => {
  signInLimitRedis().disconnect();
  const deps = appJobDeps();
  await deps.queue.close();
  deps.redis.disconnect();
});

describe("job actions are looked up among their own names only", () => {
  it.each(["toString", "__proto__", "constructor", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__"])(
    "%s is a 404 and writes nothing",
    async (action) => {
      const before = await writes();
      const res = await call(jobAction, { method: "POST", headers: as("admin"), params: { id: jobId, action } });
      expect(res.status).toBe(404);
      expect(await writes()).toEqual(before);
    },
  );
});

describe("input PostgreSQL cannot take is a 400 naming the field, and writes nothing", () => {
  it("a NUL byte or invalid UTF-8 in a path id, a filter, a cursor or a body string", async () => {
    const before = await writes();
    const cases: [Promise<Response>, string][] = [
      [call(getJob, { headers: as("viewer"), params: { id: "a\u0000b" } }), "id"],
      [call(jobAction, { method: "POST", headers: as("admin"), params: { id: "a\u0000", action: "pause" } }), "id"],
      [call(listCertifications, { headers: as("viewer"), path: "/api/v1/certifications?provider=Meta%00" }), "provider"],
      [call(listCertifications, { headers: as("viewer"), path: "/api/v1/certifications?q=%C0%AF" }), "q"],
      [call(listJobs, { headers: as("viewer"), path: "/api/v1/jobs?cursor=%00" }), "cursor"],
      [call(createJob, { method: "POST", headers: as("admin"), body: { type: "SINGLE_MODEL", modelIds: ["x\u0000"], regions: ["us-east-1"] } }), "modelIds.0"],
      [call(patchRegion, { method: "PATCH", headers: as("admin"), params: { code: "us-east-1" }, body: '{"enabled": false, "\\u0000": 1}' }), "(name)"],
    ];
    for (const [response, field] of cases) {
      const res = await response;
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual([expect.objectContaining({ field })]);
    }
    expect(await writes()).toEqual(before);
  });

  it("dates out of range", async () => {
    for (const [handler, query, field] of [
      [listCertifications, "staleSince=0000-01-01T00:00:00Z", "staleSince"],
      [exportMatrix, "staleSince=99999-01-01T00:00:00Z", "staleSince"],
      [listJobs, "since=0000-01-01T00:00:00Z", "since"],
    ] as const) {
      const res = await call(handler, { headers: as("viewer"), path: `/api/v1/x?${query}` });
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual([expect.objectContaining({ field })]);
    }
  });

  it("a route that takes no body refuses one, and no route takes __proto__ or unknown query parameters", async () => {
    const before = await prisma.auditEntry.count();
    const withBody = await call(syncModels, { method: "POST", headers: as("admin"), body: { regions: ["us-east-1"] } });
    expect(withBody.status).toBe(400);
    expect((await withBody.json()).fields).toEqual([{ field: "(body)", reason: "must be empty" }]);
    for (const query of ["__proto__=1", "constructor=x", "regions=us-east-1"]) {
      const res = await call(syncModels, { method: "POST", headers: as("admin"), path: `/api/v1/models/sync?${query}` });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
    expect(await prisma.auditEntry.count()).toBe(before);
  });

  it("unknown query parameters, where the docs say 400", async () => {
    for (const handler of [listModels, listAudit, grid]) {
      const res = await call(handler, { headers: as("viewer"), path: "/api/v1/x?colour=red" });
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual([{ field: "colour", reason: "unknown field" }]);
    }
  });

  it("an error body never echoes large input", async () => {
    const huge = "x".repeat(1_000_000);
    const res = await call(createJob, { method: "POST", headers: as("admin"), body: { type: "MULTIPLE_MODELS", modelIds: [huge, huge], regions: [huge] } });
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeLessThan(4_000);
  });
});

describe("cookie-carried changes come from this app's pages only", () => {
  it("no Origin and no Sec-Fetch-Site, or a cross-site fetch, is refused; same-origin passes; tokens need neither", async () => {
    const before = await writes();
    const body = { enabled: true };
    for (const headers of [
      { origin: undefined, "sec-fetch-site": undefined },
      { origin: undefined, "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    ]) {
      const res = await call(patchRegion, { method: "PATCH", headers: { ...as("admin"), ...headers }, params: { code: "us-east-1" }, body });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: "cross_site" });
    }
    expect(await writes()).toEqual(before);
    expect((await call(patchRegion, { method: "PATCH", headers: { ...as("admin"), origin: undefined, "sec-fetch-site": "same-origin" }, params: { code: "us-east-1" }, body })).status).not.toBe(403);
    expect((await call(patchRegion, { method: "PATCH", headers: { ...as("admin-token"), origin: undefined, "sec-fetch-site": undefined }, params: { code: "us-east-1" }, body })).status).not.toBe(403);
  });
});

describe("API data is never cached", () => {
  it("JSON, errors and exports say Cache-Control: no-store", async () => {
    for (const res of [
      await call(listJobs, { headers: as("viewer"), path: "/api/v1/jobs" }),
      await call(listJobs, { headers: as("viewer"), path: "/api/v1/jobs?limit=0" }),
      await call(listJobs, { path: "/api/v1/jobs" }),
      await call(exportMatrix, { headers: as("viewer"), path: "/api/v1/export?format=csv" }),
      await call(exportMatrix, { headers: as("viewer"), path: "/api/v1/export?format=json" }),
    ])
      expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("CSV formula injection", () => {
  it("names from the catalog that start with = + - @ are neutralised in the export", async () => {
    const regions = parseRegionsCsv().filter((r) => r.partition === "aws");
    await seedCatalog(prisma, { regions, models: [] });
    const header = "provider,model_name,model_id,input_modalities,output_modalities,streaming,regions_in_region,regions_cross_region_only,source";
    const rows = [
      `"=HYPERLINK(""http://evil.example"",""x"")",@SUM(A1:A9),evil.formula-v1:0,Text,Text,Yes,us-east-1,,test`,
      `+Provider,-2+3*cmd|' /C calc'!A0,evil.minus-v1:0,Text,Text,Yes,us-east-1,,test`,
      `"   =1+1",Spaced,evil.spaced-v1:0,Text,Text,Yes,us-east-1,,test`,
    ];
    const file = path.join(mkdtempSync(path.join(tmpdir(), "catalog-")), "models.csv");
    writeFileSync(file, [header, ...rows].join("\n") + "\n");
    expect(parseModelsCsv(file)).toHaveLength(3);
    const sim = await startSimulator({ catalogFile: file });
    try {
      await syncCatalog({ db: prisma, bedrock: sim.bedrock, actor: QA }, { regions: ["us-east-1"] });
    } finally {
      await sim.close();
    }
    const models = await prisma.aIModel.findMany({ where: { bedrockModelId: { startsWith: "evil." } } });
    expect(models.map((m) => m.provider).sort()).toEqual(["   =1+1", "+Provider", '=HYPERLINK("http://evil.example","x")']);
    for (const m of models)
      await prisma.modelCertification.create({
        data: { modelId: m.id, region: "us-east-1", status: "COMPLETED", passed: true, score: 100, rating: "EXCELLENT", availability: "IN_REGION", completedAt: new Date() },
      });

    const csv = await (await call(exportMatrix, { headers: as("viewer"), path: "/api/v1/export?format=csv&q=evil." })).text();
    const lines = csv.trimEnd().split("\r\n").slice(1);
    expect(lines).toHaveLength(3);
    // Every field that a spreadsheet would run starts with a quote now (spaces before it too).
    for (const line of lines) expect(line).not.toMatch(/(^|,)"?\s*[=+\-@]/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")","'@SUM(A1:A9)"`);
    expect(csv).toContain(`"'+Provider","'-2+3*cmd|' /C calc'!A0"`);
    // The JSON export keeps the names as they are: JSON is not run by spreadsheets.
    const json = await (await call(exportMatrix, { headers: as("viewer"), path: "/api/v1/export?format=json&q=evil." })).json();
    expect(json.map((r: { model: string }) => r.model).sort()).toEqual(["-2+3*cmd|' /C calc'!A0", "@SUM(A1:A9)", "Spaced"]);
  });
});

// The auth library's own endpoints, as the console calls them.
const authCall = (pathName: string, cookie: Record<string, string>, body: unknown, client = "192.0.2.44") =>
  auth.handler(
    new Request(`${ORIGIN}/api/auth${pathName}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-client-address": client, "user-agent": "security-test", ...cookie },
      body: JSON.stringify(body),
    }),
  );

describe("every change is audited, whatever the entry point", () => {
  it("role changes, bans and token creation, update and revocation through the auth library", async () => {
    const created = await authCall("/api-key/create", as("viewer"), { name: "audited" });
    expect(created.status).toBe(200);
    const key = (await created.json()) as { id: string };
    expect((await authCall("/api-key/update", as("viewer"), { keyId: key.id, name: "renamed" })).status).toBe(200);
    expect((await authCall("/api-key/delete", as("viewer"), { keyId: key.id })).status).toBe(200);
    expect((await authCall("/admin/set-role", as("admin"), { userId: users.viewer.id, role: "admin" })).status).toBe(200);
    expect((await authCall("/admin/set-role", as("admin"), { userId: users.viewer.id, role: "viewer" })).status).toBe(200);
    const other = await prisma.user.create({ data: { id: "someone", email: "someone@example.com", name: "someone", emailVerified: true, role: "viewer" } });
    expect((await authCall("/admin/ban-user", as("admin"), { userId: other.id, banReason: "test" })).status).toBe(200);
    expect((await authCall("/admin/unban-user", as("admin"), { userId: other.id })).status).toBe(200);
    // A refused one (a viewer may not change roles) is not recorded as done.
    expect((await authCall("/admin/set-role", as("viewer"), { userId: users.viewer.id, role: "admin" })).status).toBe(403);

    const entries = await prisma.auditEntry.findMany({ where: { OR: [{ action: { startsWith: "token." } }, { action: { startsWith: "user." } }] }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.action, e.actorEmail, e.target])).toEqual([
      ["user.create", QA.email, users.admin.id],
      ["user.create", QA.email, users.viewer.id],
      ["token.create", VIEWER.email, key.id],
      ["token.update", VIEWER.email, key.id],
      ["token.revoke", VIEWER.email, key.id],
      ["user.set-role", ADMIN.email, users.viewer.id],
      ["user.set-role", ADMIN.email, users.viewer.id],
      ["user.ban", ADMIN.email, other.id],
      ["user.unban", ADMIN.email, other.id],
    ]);
    expect(entries.filter((e) => e.via === "session").every((e) => e.ip === "192.0.2.44" && e.userAgent === "security-test")).toBe(true);
  });
});

describe("sign-in limits: per client address and per account", () => {
  const signIn = (email: string, password: string, client: string, forwardedFor?: string) =>
    auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-client-address": client, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
        body: JSON.stringify({ email, password }),
      }),
    );

  it("a rotating X-Forwarded-For does not reset the limit of the address the web server saw; another address is not locked out", async () => {
    await prisma.rateLimit.deleteMany();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn(ADMIN.email, "wrong-password-123", "203.0.113.9", `10.0.0.${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // The right password from the same address: still limited.
    expect((await signIn(ADMIN.email, ADMIN.password, "203.0.113.9", "10.9.9.9")).status).toBe(429);
    // Everyone else signs in.
    expect((await signIn(ADMIN.email, ADMIN.password, "203.0.113.10")).status).toBe(200);
  });

  it("many addresses guessing one account's password slow it down; they cannot lock its owner out", async () => {
    await prisma.rateLimit.deleteMany();
    const redis = signInLimitRedis();
    await clearFailedSignIns(redis, VIEWER.email);
    await forgetKnownAddresses(redis, VIEWER.email);
    // The owner's usual address: signed in from it before.
    expect((await signIn(VIEWER.email, VIEWER.password, "198.51.100.250")).status).toBe(200);

    // An attacker rotating addresses: past the account's failures, attempts are spaced.
    for (let i = 0; i < env.SIGN_IN_ACCOUNT_MAX_FAILURES; i++) expect((await signIn(VIEWER.email, "wrong-password-123", `198.51.100.${i + 1}`)).status).toBe(401);
    const spaced = await signIn(VIEWER.email, "wrong-password-123", "198.51.100.120");
    expect(spaced.status).toBe(429);
    const wait = Number(spaced.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(env.SIGN_IN_ACCOUNT_MAX_DELAY_SECONDS);
    expect((await spaced.json()).message).toMatch(/try again in \d+ s/);

    // The owner from the usual address gets through at once, whatever the attacker does.
    expect((await signIn(VIEWER.email, VIEWER.password, "198.51.100.250")).status).toBe(200);
    // The attacker again (the owner's success cleared the count; it builds up again).
    for (let i = 0; i <= env.SIGN_IN_ACCOUNT_MAX_FAILURES; i++) await signIn(VIEWER.email, "wrong-password-123", `198.51.100.${i + 1}`);
    // The owner from a clean, never-seen address: after the delay the page names, in.
    const clean = "198.51.100.222";
    const deadline = Date.now() + (env.SIGN_IN_ACCOUNT_MAX_DELAY_SECONDS + 5) * 1000;
    let status = 0;
    while ((status = (await signIn(VIEWER.email, VIEWER.password, clean)).status) === 429 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(status).toBe(200);
    // Other accounts were never affected.
    expect((await signIn(ADMIN.email, ADMIN.password, "198.51.100.201")).status).toBe(200);
  });
});

describe("the per-account limit with Redis away", () => {
  it("is skipped, not waited on: sign-in still answers, limited per address", async () => {
    await prisma.rateLimit.deleteMany();
    const holder = globalThis as unknown as { signInLimitRedis?: ReturnType<typeof signInLimitRedis> };
    const working = signInLimitRedis();
    // A connection to a port where nothing listens, as when Redis is down.
    holder.signInLimitRedis = createRedisConnection({ maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 500, commandTimeout: 500, lazyConnect: true }, "redis://127.0.0.1:1");
    holder.signInLimitRedis.on("error", () => {});
    try {
      const res = await auth.handler(
        new Request(`${ORIGIN}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: ORIGIN, "x-client-address": "198.18.0.1" },
          body: JSON.stringify(ADMIN),
        }),
      );
      expect(res.status).toBe(200);
    } finally {
      holder.signInLimitRedis.disconnect();
      holder.signInLimitRedis = working;
    }
  });
});

describe("Last-Event-ID that is malformed or unknown gets a fresh snapshot", () => {
  const firstMessage = async (lastEventId: string) => {
    const controller = new AbortController();
    const res = await call(jobEvents, { headers: { ...as("viewer"), "last-event-id": lastEventId }, params: { id: jobId }, signal: controller.signal });
    const reader = res.body!.getReader();
    let text = "";
    while (!/event: \w+\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    return /event: (\w+)/.exec(text)?.[1];
  };

  it("garbage, a huge id, a future id and one older than the kept stream", async () => {
    await publishProgress(appJobDeps().redis, env.QUEUE_PREFIX, {
      type: "job",
      jobId,
      job: { id: jobId, ...counters() } as never,
      at: new Date().toISOString(),
    });
    for (const id of ["garbage", "9".repeat(400), "99999999999999999999-0", `${Date.now() + 86_400_000}-0`, "1-0"]) expect(await firstMessage(id)).toBe("snapshot");
  });
});

describe("the worker's health endpoint", () => {
  it("listens on loopback by default and does not say which host or process answered", async () => {
    const { server, port } = await startHealthServer(0, { ready: () => true, check: async () => ({ redis: "up" }), stats: () => ({ running: 0 }) });
    try {
      expect((server.address() as { address: string }).address).toBe("127.0.0.1");
      const body = await (await fetch(`http://127.0.0.1:${port}/health`)).text();
      expect(body).not.toContain(String(process.pid));
    } finally {
      server.close();
    }
  });
});

describe("a dependency out of reach is a 503 to retry, never a 500", () => {
  it("PostgreSQL or Redis errors thrown under a route answer 503 with Retry-After, naming no internals", async () => {
    const { route } = await import("@/lib/http/route");
    const errors = [
      Object.assign(new Error("Can't reach database server at `127.0.0.1:5432`"), { code: "P1001", name: "PrismaClientKnownRequestError" }),
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      new Error("Connection is closed."),
    ];
    for (const err of errors) {
      const handler = route({ role: "viewer" }, async () => {
        throw err;
      });
      const res = await call(handler, { headers: as("viewer") });
      expect(res.status, err.message).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const body = await res.text();
      expect(body).not.toMatch(/5432|administrator|P1001/);
    }
  });
});
