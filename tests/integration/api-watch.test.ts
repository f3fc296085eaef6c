// The continuous-certification API through its route handlers, with real
// sign-in and tokens: schedules (validation names each field and writes
// nothing; viewers read, admins change; a schedule's job scheduler follows
// pause and delete), webhooks (the secret shown once, filters resolved, a
// test event delivered to its receiver), settings, the public status page's
// badges (404 until switched on, then SVG with an ETag and 304), /metrics
// (loopback or token only).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as cellBadgeRoute } from "@/app/badge/[model]/[region]/route";
import { GET as modelBadgeRoute } from "@/app/badge/[model]/route";
import { GET as getSettings, PATCH as patchSettings } from "@/app/api/v1/settings/route";
import { GET as listSchedules, POST as createSchedule } from "@/app/api/v1/schedules/route";
import { DELETE as deleteSchedule, PATCH as patchSchedule } from "@/app/api/v1/schedules/[id]/route";
import { POST as runSchedule } from "@/app/api/v1/schedules/[id]/run/route";
import { GET as listWebhooks, POST as createWebhook } from "@/app/api/v1/webhooks/route";
import { POST as testWebhook } from "@/app/api/v1/webhooks/[id]/test/route";
import { GET as listDeliveries } from "@/app/api/v1/webhooks/[id]/deliveries/route";
import { GET as listEvents } from "@/app/api/v1/events/route";
import { GET as auditLog } from "@/app/api/v1/audit/route";
import { GET as metricsRoute } from "@/app/metrics/route";
import { POST as createJob } from "@/app/api/v1/jobs/route";
import { POST as jobAction } from "@/app/api/v1/jobs/[id]/[action]/route";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { prisma } from "@/lib/db/client";
import { appJobDeps, appWatchDeps } from "@/lib/queue/app-queue";
import { fireScheduleJob } from "@/lib/queue/watch-jobs";
import { webhookEgress } from "@/lib/watch/egress";
import { deliverWebhook } from "@/lib/watch/webhooks";
import { verifySignature } from "@/lib/watch/signature";
import { call, setUpUsers, ORIGIN } from "../helpers/api";
import { truncateAll } from "../helpers/db";
import { startWebhookReceiver } from "../helpers/webhook-receiver";

let as: Awaited<ReturnType<typeof setUpUsers>>["as"];
const MODEL = "meta.llama3-8b-instruct-v1:0";
const schedule = {
  name: "nightly",
  cron: "0 3 * * *",
  timezone: "Europe/Paris",
  target: { models: { mode: "list", modelIds: [MODEL] }, regions: { mode: "list", regions: ["us-east-1"] } },
  olderThanHours: 20,
};

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  ({ as } = await setUpUsers());
});

afterAll(async () => {
  const { watchQueue, webhooks } = appWatchDeps();
  await watchQueue.obliterate({ force: true }).catch(() => {});
  await Promise.all([watchQueue.close(), webhooks.close(), appJobDeps().queue.close()]);
  appJobDeps().redis.disconnect();
});

const schedulers = async () => (await appWatchDeps().watchQueue.getJobSchedulers(0, -1)).map((s) => s.key);

describe("schedules", () => {
  it("refuses bad input field by field, and writes nothing", async () => {
    const cases: [unknown, string][] = [
      [{ ...schedule, cron: "0 3 * *" }, "cron"],
      [{ ...schedule, cron: "0 25 * * *" }, "cron"],
      [{ ...schedule, timezone: "Mars/Olympus" }, "timezone"],
      [{ ...schedule, target: { ...schedule.target, models: { mode: "list", modelIds: ["no.such-model"] } } }, "target.models.modelIds.0"],
      [{ ...schedule, target: { ...schedule.target, regions: { mode: "list", regions: ["xx-nowhere-9"] } } }, "target.regions.regions.0"],
      [{ ...schedule, olderThanHours: 0 }, "olderThanHours"],
      // Every second: more often than SCHEDULE_MIN_INTERVAL_SECONDS (2 in tests).
      [{ ...schedule, cron: "* * * * * *" }, "cron"],
      [{ ...schedule, extra: 1 }, "extra"],
    ];
    for (const [body, field] of cases) {
      const res = await call(createSchedule, { method: "POST", headers: as("admin"), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await prisma.schedule.count()).toBe(0);
    expect(await prisma.auditEntry.count({ where: { action: { startsWith: "schedule." } } })).toBe(0);
  });

  it("a viewer reads but cannot create; an admin creates, pauses, resumes, runs and deletes, each audited", async () => {
    expect((await call(createSchedule, { method: "POST", headers: as("viewer"), body: schedule })).status).toBe(403);
    const created = await call(createSchedule, { method: "POST", headers: as("admin-token"), body: schedule });
    expect(created.status).toBe(201);
    const s = await created.json();
    expect(s.nextFireTimes).toHaveLength(3);
    // 03:00 in Paris is 01:00 or 02:00 UTC.
    expect([1, 2]).toContain(new Date(s.nextFireTimes[0]).getUTCHours());
    expect(await schedulers()).toContain(fireScheduleJob.schedulerId(s.id));

    const list = await (await call(listSchedules, { headers: as("viewer") })).json();
    expect(list.schedules.map((x: { name: string }) => x.name)).toEqual(["nightly"]);

    const dup = await call(createSchedule, { method: "POST", headers: as("admin"), body: schedule });
    expect(dup.status).toBe(400);
    expect((await dup.json()).fields).toEqual([{ field: "name", reason: 'a schedule named "nightly" exists' }]);

    const paused = await call(patchSchedule, { method: "PATCH", headers: as("admin"), params: { id: s.id }, body: { paused: true } });
    expect(await paused.json()).toMatchObject({ paused: true, nextFireTimes: [], timezone: "Europe/Paris", olderThanHours: 20 });
    expect(await schedulers()).not.toContain(fireScheduleJob.schedulerId(s.id));
    await call(patchSchedule, { method: "PATCH", headers: as("admin"), params: { id: s.id }, body: { paused: false, cron: "30 4 * * 1-5" } });
    expect((await appWatchDeps().watchQueue.getJobScheduler(fireScheduleJob.schedulerId(s.id)))?.pattern).toBe("30 4 * * 1-5");
    const badChange = await call(patchSchedule, { method: "PATCH", headers: as("admin"), params: { id: s.id }, body: { timezone: "Nowhere/Land" } });
    expect(badChange.status).toBe(400);

    const ran = await (await call(runSchedule, { method: "POST", headers: as("admin"), params: { id: s.id } })).json();
    expect(ran).toMatchObject({ created: true, pairs: 1, outcome: "started 1 pairs" });
    expect(await prisma.certificationJob.findUniqueOrThrow({ where: { id: ran.jobId } })).toMatchObject({ type: "RECERTIFY", totalModels: 1 });
    // Its job is still open (no worker here): "run now" again is a 409 and starts nothing.
    const again = await call(runSchedule, { method: "POST", headers: as("admin"), params: { id: s.id } });
    expect(again.status).toBe(409);
    expect(await prisma.certificationJob.count({ where: { idempotencyKey: { startsWith: `schedule:${s.id}:` } } })).toBe(1);
    // Another schedule over the same pair, with no age filter: the pair is queued, so nothing is.
    const twin = await (await call(createSchedule, { method: "POST", headers: as("admin"), body: { ...schedule, name: "twin", olderThanHours: null } })).json();
    const listed = await (await call(listSchedules, { headers: as("viewer") })).json();
    expect(listed.schedules.find((x: { id: string }) => x.id === twin.id).nextFiring).toEqual({ pairs: 0, busy: 1, fresh: 0, capped: 0 });
    const twinRun = await (await call(runSchedule, { method: "POST", headers: as("admin"), params: { id: twin.id } })).json();
    expect(twinRun).toMatchObject({ jobId: null, outcome: "nothing to certify: every pair is queued or running" });
    expect((await call(deleteSchedule, { method: "DELETE", headers: as("admin"), params: { id: twin.id } })).status).toBe(204);

    expect((await call(deleteSchedule, { method: "DELETE", headers: as("admin"), params: { id: s.id } })).status).toBe(204);
    expect(await schedulers()).not.toContain(fireScheduleJob.schedulerId(s.id));
    expect((await call(deleteSchedule, { method: "DELETE", headers: as("admin"), params: { id: s.id } })).status).toBe(404);
    const actions = (await prisma.auditEntry.findMany({ where: { target: s.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["schedule.create", "schedule.pause", "schedule.resume", "schedule.fire", "schedule.delete"]);
  });
});

describe("job finished", () => {
  it("a job cancelled through the API is announced as finished, once", async () => {
    const created = await call(createJob, { method: "POST", headers: as("admin"), body: { type: "SINGLE_MODEL", modelIds: [MODEL], regions: ["us-west-2"] } });
    const { id } = await created.json();
    expect(await prisma.watchEvent.count({ where: { kind: "job.finished", subjectId: id } })).toBe(0);
    expect((await call(jobAction, { method: "POST", headers: as("admin"), params: { id, action: "cancel" } })).status).toBe(200);
    const events = await prisma.watchEvent.findMany({ where: { kind: "job.finished", subjectId: id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toMatch(/^Job cancelled:/);
  });
});

describe("webhooks", () => {
  it("refuses every internal address form at creation (400 naming url), writes nothing; a viewer's audit log shows no URL", async () => {
    const before = await prisma.webhookSubscription.count();
    // (The tests open 127.0.0.0/8 for their receivers: the IPv4 loopback forms are
    // checked by lib/watch/egress.test.ts, with a policy that does not.)
    for (const url of [
      "http://0.0.0.0:4610/metrics",
      "http://[::1]:4599/_simulator/reset",
      "http://[::ffff:a00:1]/",
      "http://169.254.169.254/latest/",
      "http://10.0.0.1/",
      "http://100.64.1.1/",
      "http://metadata.google.internal/",
    ]) {
      const res = await call(createWebhook, { method: "POST", headers: as("admin"), body: { name: "x", url } });
      expect(res.status, url).toBe(400);
      expect((await res.json()).fields, url).toEqual([{ field: "url", reason: expect.any(String) }]);
    }
    expect(await prisma.webhookSubscription.count()).toBe(before);

    const receiver = await startWebhookReceiver();
    try {
      const secretUrl = `${receiver.url}/services/T000/B000/XXXXSECRETXXXX`;
      const made = await call(createWebhook, { method: "POST", headers: as("admin"), body: { name: "slack", url: secretUrl, format: "slack", secret: "a-secret-of-the-hook-1234" } });
      expect(made.status).toBe(201);
      for (const who of ["viewer", "admin"] as const) {
        const log = JSON.stringify(await (await call(auditLog, { headers: as(who) })).json());
        expect(log, who).not.toContain("XXXXSECRETXXXX");
        expect(log, who).not.toContain("a-secret-of-the-hook-1234");
      }
    } finally {
      await receiver.close();
    }
  });

  it("shows the secret once, resolves model filters, refuses bad URLs, and sends a signed test event", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const bad = await call(createWebhook, { method: "POST", headers: as("admin"), body: { name: "x", url: "ftp://example.com/hook", modelIds: ["nope"] } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).fields.map((f: { field: string }) => f.field)).toEqual(["url"]);
      expect((await call(createWebhook, { method: "POST", headers: as("viewer-token"), body: { name: "x", url: `${receiver.url}/h` } })).status).toBe(403);

      const res = await call(createWebhook, { method: "POST", headers: as("admin"), body: { name: "ops", url: `${receiver.url}/h`, modelIds: [MODEL], eventKinds: ["incident.opened"] } });
      expect(res.status).toBe(201);
      const created = await res.json();
      expect(created.secret).toMatch(/^[\w-]{32}$/);
      const model = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId: MODEL } });
      expect(created.modelIds).toEqual([model.id]);
      const listed = await (await call(listWebhooks, { headers: as("admin") })).json();
      expect(JSON.stringify(listed)).not.toContain(created.secret);
      expect(listed.webhooks.find((w: { id: string }) => w.id === created.id).secretHint).toBe(`…${created.secret.slice(-4)}`);
      expect((await call(listWebhooks, { headers: as("viewer") })).status).toBe(403);

      const test = await call(testWebhook, { method: "POST", headers: as("admin"), params: { id: created.id } });
      expect(test.status).toBe(202);
      const delivery = await test.json();
      // Delivered as the worker would (the queue job's handler function).
      expect(await deliverWebhook({ db: prisma, appUrl: ORIGIN, timeoutMs: 5_000, egress: webhookEgress() }, delivery.id, { number: 1, last: false })).toMatchObject({
        status: "DELIVERED",
        code: 200,
      });
      const hit = receiver.at("/h")[0]!;
      expect(JSON.parse(hit.body)).toMatchObject({ kind: "test" });
      expect(verifySignature(created.secret, hit.body, String(hit.headers["x-certify-signature"]))).toBe(true);
      const deliveries = await (await call(listDeliveries, { headers: as("admin"), params: { id: created.id } })).json();
      expect(deliveries.deliveries[0]).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, event: { kind: "test" } });
      // The test event is in the feed, which a viewer reads.
      const feed = await (await call(listEvents, { headers: as("viewer"), path: "/api/v1/events?kind=test" })).json();
      expect(feed.events).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

describe("settings, status page and badges", () => {
  const badge = (model: string, region?: string, headers: Record<string, string> = {}) =>
    region
      ? cellBadgeRoute(new Request(`${ORIGIN}/badge/${model}/${region}.svg`, { headers }), { params: Promise.resolve({ model, region: `${region}.svg` }) })
      : modelBadgeRoute(new Request(`${ORIGIN}/badge/${model}.svg`, { headers }), { params: Promise.resolve({ model: `${model}.svg` }) });

  it("badges are 404 until an admin makes the status page public, then SVG with a verdict, an ETag and 304", async () => {
    expect((await badge(MODEL, "us-east-1")).status).toBe(404);
    expect((await call(patchSettings, { method: "PATCH", headers: as("viewer"), body: { statusPagePublic: true } })).status).toBe(403);
    const bad = await call(patchSettings, { method: "PATCH", headers: as("admin"), body: { catalogSyncCron: "every day" } });
    expect(bad.status).toBe(400);
    expect((await call(patchSettings, { method: "PATCH", headers: as("admin"), body: { statusPagePublic: true } })).status).toBe(200);
    expect(await (await call(getSettings, { headers: as("viewer") })).json()).toMatchObject({ statusPagePublic: true });

    const model = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId: MODEL } });
    await prisma.modelCertification.upsert({
      where: { modelId_region: { modelId: model.id, region: "eu-west-2" } },
      create: { modelId: model.id, region: "eu-west-2", status: "FAILED", passed: false, availability: "IN_REGION", completedAt: new Date(Date.now() - 3 * 3600_000) },
      update: { status: "FAILED", passed: false, availability: "IN_REGION", completedAt: new Date(Date.now() - 3 * 3600_000) },
    });
    const res = await badge(MODEL, "eu-west-2");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    expect(res.headers.get("cache-control")).toContain("max-age=300");
    const svg = await res.text();
    expect(svg).toContain("bedrock eu-west-2: failed · 3h");
    expect(svg).toContain("#c62828");
    const etag = res.headers.get("etag")!;
    expect((await badge(MODEL, "eu-west-2", { "if-none-match": etag })).status).toBe(304);
    expect(await (await badge(MODEL)).text()).toContain("failing in 1/1 Regions");
    expect((await badge("no.such-model", "eu-west-2")).status).toBe(404);
    expect((await badge(MODEL, "not-a-region")).status).toBe(404);

    // With models chosen for the status page, a badge of any other model is the same 404 as an unknown one.
    const other = "amazon.titan-embed-text-v2:0";
    expect((await badge(other)).status).toBe(200);
    expect((await call(patchSettings, { method: "PATCH", headers: as("admin"), body: { statusPageModels: [MODEL] } })).status).toBe(200);
    for (const [m, r] of [
      [other, undefined],
      [other, "us-east-1"],
      ["no.such-model", undefined],
    ] as const) {
      const res = await badge(m, r);
      expect({ m, r, status: res.status }).toEqual({ m, r, status: 404 });
      expect(await res.text()).toBe("Not found");
    }
    expect((await badge(MODEL)).status).toBe(200);
    expect((await call(patchSettings, { method: "PATCH", headers: as("admin"), body: { statusPageModels: [] } })).status).toBe(200);
  });
});

describe("/metrics", () => {
  it("answers Prometheus text to this machine only (no token set)", async () => {
    const from = (address: string) => metricsRoute(new Request(`${ORIGIN}/metrics`, { headers: { "x-client-address": address } }));
    expect((await from("203.0.113.9")).status).toBe(403);
    const res = await from("127.0.0.1");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("# TYPE brc_bedrock_call_duration_seconds histogram");
    expect(text).toMatch(/brc_queue_jobs\{queue="certify-pairs",state="waiting"\} \d+/);
  });
});
