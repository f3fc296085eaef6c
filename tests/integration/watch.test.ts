// Continuous certification with real workers: a fault injected for one model
// in 3 of its 4 Regions makes regressions (each cell passed before) and one
// model incident, notified once to each matching subscription by a signed
// webhook; the fault removed, re-certifying resolves it and clears the
// markers. A receiver answering 500 is retried until it takes the delivery.
// The catalog changes in the simulator: the scheduled sync records it and
// certifies the new pair, with no admin action.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startCertificationJob } from "@/lib/certification/jobs";
import { createWebhookQueue } from "@/lib/queue/queues";
import { verifySignature } from "@/lib/watch/signature";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { SimulatorCatalog } from "@/simulator/catalog";
import { QA } from "../helpers/actor";
import { truncateAll } from "../helpers/db";
import { engineFixture, loadCatalog, modelId, waitFor, waitForJob } from "../helpers/engine";
import { startSimulator, type TestSimulator } from "../helpers/simulator";
import { startWebhookReceiver } from "../helpers/webhook-receiver";
import { startWorker, uniquePrefix, type WorkerProcess } from "../helpers/worker";
import { recordEvent } from "@/lib/watch/events";

const REGIONS = ["us-east-1", "us-west-2", "eu-west-2", "ap-south-1"];
const FAULTY = "meta.llama3-8b-instruct-v1:0";
const STEADY = "mistral.mistral-7b-instruct-v0:2";
const config = { tests: ["reachability", "exact_instruction"] };

const fx = engineFixture("watch");
const { db } = fx;
let sim: TestSimulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let workers: WorkerProcess[] = [];
const webhooks = createWebhookQueue(fx.redis, fx.prefix, 6, 200);

const workerEnv = (more: Record<string, string> = {}) => ({
  DATABASE_URL: process.env.DATABASE_URL!,
  BEDROCK_ENDPOINT: sim.url,
  QUEUE_PREFIX: fx.prefix,
  WORKER_CONCURRENCY: "6",
  WEBHOOK_BACKOFF_MS: "200",
  APP_URL: "http://console.test",
  ...more,
});

async function certify(models: string[], regions = REGIONS) {
  const { id } = await startCertificationJob(fx.deps, QA, { type: "MULTIPLE_MODELS", modelIds: models, regions, config });
  return waitForJob(db, id);
}

// Every finished job announced: a test's receiver then hears only its own job.
async function quiet() {
  await waitFor("every finished job announced", async () => {
    const ended = await db.certificationJob.count({ where: { status: { in: ["COMPLETED", "FAILED", "CANCELLED"] } } });
    return (await db.watchEvent.count({ where: { kind: "job.finished" } })) >= ended;
  });
}

const subscribe = (name: string, path: string, filters: { eventKinds?: string[]; modelIds?: string[] } = {}) =>
  db.webhookSubscription.create({
    data: { name, url: `${receiver.url}${path}`, secret: `secret-of-${name}`, eventKinds: filters.eventKinds ?? [], modelIds: filters.modelIds ?? [], providers: [], regions: [] },
  });

beforeAll(async () => {
  await truncateAll(db);
  sim = await startSimulator();
  await loadCatalog(db, sim, REGIONS);
  receiver = await startWebhookReceiver();
  workers = await Promise.all([startWorker(workerEnv()), startWorker(workerEnv())]);
}, 120_000);

afterAll(async () => {
  await webhooks.close();
  await receiver?.close();
  await fx.close(workers, sim);
});

describe("regressions, incidents and their webhooks", () => {
  it("a fault in 3 of 4 Regions: three regressions, one model incident, one signed webhook per matching subscription; removed, it resolves", async () => {
    const faulty = await modelId(db, FAULTY);
    const steady = await modelId(db, STEADY);
    const all = await subscribe("all", "/all");
    const mine = await subscribe("incidents-of-llama", "/mine", { eventKinds: ["incident.opened", "incident.resolved"], modelIds: [faulty] });
    await subscribe("other-model", "/other", { modelIds: [steady] });

    const first = await certify([FAULTY, STEADY]);
    expect(first).toMatchObject({ status: "COMPLETED", successCount: 8, failureCount: 0 });
    expect(await db.incident.count()).toBe(0);

    sim.simulator.setFaults({ rules: [{ models: [FAULTY], regions: REGIONS.slice(0, 3), modelErrorRate: 1 }] });
    const second = await certify([FAULTY, STEADY]);
    expect(second).toMatchObject({ successCount: 5, failureCount: 3 });

    // Regressions: the three cells that passed and now fail, and only those.
    const regressions = await waitFor("three regressions", async () => {
      const rows = await db.watchEvent.findMany({ where: { kind: "regression" } });
      return rows.length >= 3 && rows;
    });
    expect(regressions.map((r) => r.region).sort()).toEqual(REGIONS.slice(0, 3).sort());
    expect(regressions.every((r) => r.modelId === faulty && r.summary.includes("passed → failed"))).toBe(true);
    const marked = await db.modelCertification.findMany({ where: { regressedAt: { not: null } }, select: { modelId: true, region: true } });
    expect(marked.map((c) => c.region).sort()).toEqual(REGIONS.slice(0, 3).sort());

    // One model incident (not a Region one: one model failing per Region is
    // under K = 3), evaluated after each pair's regression.
    await waitFor("the model incident", () => db.incident.findFirst({ where: { subject: faulty } }));
    await waitFor("every failed pair evaluated", async () => (await db.incident.findFirstOrThrow({ where: { subject: faulty } })).failing === 3);
    const incidents = await db.incident.findMany();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ scope: "model", subject: faulty, status: "OPEN", failing: 3, offered: 4 });

    const opened = await waitFor("the incident's webhooks", async () => {
      const got = receiver.received.filter((r) => r.headers["x-certify-event"] === "incident.opened");
      return got.length >= 2 && got;
    });
    expect(opened.map((r) => r.path).sort()).toEqual(["/all", "/mine"]);
    for (const hit of opened) {
      const secret = hit.path === "/all" ? all.secret : mine.secret;
      expect(verifySignature(secret, hit.body, String(hit.headers["x-certify-signature"]))).toBe(true);
      expect(verifySignature("another secret", hit.body, String(hit.headers["x-certify-signature"]))).toBe(false);
      const body = JSON.parse(hit.body);
      expect(body).toMatchObject({ kind: "incident.opened", bedrockModelId: FAULTY, modelId: faulty });
      expect(hit.headers["x-certify-event-id"]).toBe(body.id);
    }
    expect(receiver.at("/other").filter((r) => r.headers["x-certify-event"]?.toString().startsWith("incident"))).toEqual([]);

    // The fault removed: re-certifying the failed cells clears the condition
    // for two evaluations in a row and resolves the incident.
    sim.simulator.setFaults({ rules: [] });
    const { id } = await startCertificationJob(fx.deps, QA, { type: "RECERTIFY", recertify: { mode: "failed" }, config });
    expect(await waitForJob(db, id)).toMatchObject({ successCount: 3, failureCount: 0 });
    const resolved = await waitFor("the incident resolved", async () => {
      const i = await db.incident.findUniqueOrThrow({ where: { id: incidents[0]!.id } });
      return i.status === "RESOLVED" && i;
    });
    expect(resolved.openKey).toBeNull();
    const timeline = resolved.timeline as { region: string; passed: boolean; note: string }[];
    expect(timeline[0]!.note).toMatch(/^opened/);
    expect(timeline.at(-1)!.note).toMatch(/^cleared/);
    expect(await db.modelCertification.count({ where: { regressedAt: { not: null } } })).toBe(0);
    const resolvedHooks = await waitFor("the resolution's webhooks", async () => {
      const got = receiver.received.filter((r) => r.headers["x-certify-event"] === "incident.resolved");
      return got.length >= 2 && got;
    });
    expect(resolvedHooks.map((r) => r.path).sort()).toEqual(["/all", "/mine"]);

    // Each (subscription, event) delivered once: no event id twice at one path.
    for (const path of ["/all", "/mine", "/other"]) {
      const ids = receiver.at(path).map((r) => r.headers["x-certify-event-id"]);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // "job finished" went to the unfiltered subscription, once per job.
    await waitFor("three jobs' webhooks", async () => receiver.at("/all").filter((r) => r.headers["x-certify-event"] === "job.finished").length >= 3);
    expect(receiver.at("/all").filter((r) => r.headers["x-certify-event"] === "job.finished")).toHaveLength(3);
  });

  it("a receiver answering 500 is retried with backoff until it takes the delivery", async () => {
    await quiet();
    const flaky = await subscribe("flaky", "/flaky", { eventKinds: ["job.finished"] });
    receiver.answer("/flaky", [500, 500]);
    const job = await certify([STEADY], ["us-east-1"]);
    const delivery = await waitFor("the delivery delivered", async () => {
      const d = await db.webhookDelivery.findFirst({ where: { subscriptionId: flaky.id, event: { subjectId: job.id } } });
      return d?.status === "DELIVERED" && d;
    });
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    const hits = receiver.at("/flaky").filter((h) => JSON.parse(h.body).subjectId === job.id);
    expect(hits.map((h) => h.status)).toEqual([500, 500, 200]);
    // The same event each time, signed afresh each time.
    expect(new Set(hits.map((h) => h.headers["x-certify-event-id"])).size).toBe(1);
    for (const h of hits) expect(verifySignature(flaky.secret, h.body, String(h.headers["x-certify-signature"]))).toBe(true);
  });

  it("a receiver that never answers well ends FAILED after the last attempt", async () => {
    await quiet();
    const down = await subscribe("down", "/down", { eventKinds: ["job.finished"] });
    receiver.answer("/down", [503, 503, 503, 503, 503, 503]);
    const job = await certify([STEADY], ["us-west-2"]);
    const delivery = await waitFor("the delivery failed", async () => {
      const d = await db.webhookDelivery.findFirst({ where: { subscriptionId: down.id, event: { subjectId: job.id } } });
      return d?.status === "FAILED" && d;
    });
    expect(delivery).toMatchObject({ attempts: 6, lastStatusCode: 503, lastError: "HTTP 503" });
  });
});

describe("deliveries Redis lost", () => {
  it("a PENDING delivery whose queue job is gone is queued again by the reconciler and delivered once", async () => {
    const lost = await subscribe("lost", "/lost", { eventKinds: ["catalog.change"] });
    // Enqueued where no worker looks: as if Redis had lost the job after the row was written.
    const elsewhere = createWebhookQueue(fx.redis, uniquePrefix("elsewhere"), 6, 200);
    try {
      const event = await recordEvent({ db, webhooks: elsewhere }, { kind: "catalog.change", summary: "a change nobody queued where the workers look" });
      const hit = await waitFor("the delivery, sent by the reconciler", async () => receiver.at("/lost")[0], 30_000);
      expect(hit.headers["x-certify-event-id"]).toBe(event.id);
      const delivery = await waitFor("the delivery recorded", async () => {
        const d = await db.webhookDelivery.findFirst({ where: { subscriptionId: lost.id } });
        return d?.status === "DELIVERED" && d;
      });
      expect(delivery.attempts).toBe(1);
      expect(receiver.at("/lost")).toHaveLength(1);
    } finally {
      await elsewhere.obliterate({ force: true });
      await elsewhere.close();
    }
  });
});

describe("the catalog watch", () => {
  it("a model added, a Region withdrawn and one turned legacy in the simulator: events, the new pairs certified, the withdrawn and the legacy cells closed neutral — by the scheduled sync alone", async () => {
    const steady = await modelId(db, STEADY);
    // Cells for the pair about to be withdrawn and the one about to turn legacy.
    await certify([STEADY], ["ap-south-1", "eu-west-2"]);
    expect(await db.modelCertification.findUnique({ where: { modelId_region: { modelId: steady, region: "ap-south-1" } } })).toMatchObject({ passed: true });
    const models = parseModelsCsv().map((m) =>
      m.bedrockModelId === STEADY ? { ...m, inRegion: m.inRegion.filter((r) => r.region !== "ap-south-1").map((r) => (r.region === "eu-west-2" ? { ...r, legacy: true } : r)) } : m,
    );
    models.push({
      ...models.find((m) => m.bedrockModelId === STEADY)!,
      name: "Mistral 7B Instruct Next",
      bedrockModelId: "mistral.mistral-7b-instruct-v9:0",
      inRegion: [{ region: "us-east-1", legacy: false }],
    });
    sim.simulator.setCatalog(new SimulatorCatalog(parseRegionsCsv(), models));

    // The catalog synced every two seconds (an admin's setting, which every
    // worker reads), over the test's Regions.
    await db.region.updateMany({ where: { code: { notIn: REGIONS } }, data: { enabled: false } });
    await db.appSetting.create({ data: { key: "catalogSyncCron", value: "*/2 * * * * *" } });
    onTestFailed(() => console.log(workers.map((w) => w.output()).join("\n")));

    const added = await waitFor("the new model's event", () => db.watchEvent.findFirst({ where: { kind: "catalog.change", summary: { contains: "mistral-7b-instruct-v9" } } }), 60_000);
    expect(added.summary).toContain("new model");
    expect(added.details).toMatchObject({ added: true, changes: [{ region: "us-east-1", change: "offered", before: null, after: "IN_REGION" }] });
    const changed = await db.watchEvent.findFirstOrThrow({ where: { kind: "catalog.change", modelId: steady } });
    expect(changed.details).toMatchObject({ removed: false });
    expect((changed.details as { changes: unknown[] }).changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ region: "ap-south-1", change: "withdrawn", before: "IN_REGION", after: "NOT_OFFERED" }),
        expect.objectContaining({ region: "eu-west-2", change: "legacy", before: false, after: true }),
      ]),
    );

    const newModel = await modelId(db, "mistral.mistral-7b-instruct-v9:0");
    const cell = await waitFor(
      "the new pair certified",
      async () => {
        const c = await db.modelCertification.findUnique({ where: { modelId_region: { modelId: newModel, region: "us-east-1" } } });
        return c?.status === "COMPLETED" && c;
      },
      60_000,
    );
    expect(cell).toMatchObject({ passed: true, availability: "IN_REGION" });
    const closed = await waitFor("the withdrawn cell closed", async () => {
      const c = await db.modelCertification.findUniqueOrThrow({ where: { modelId_region: { modelId: steady, region: "ap-south-1" } } });
      return c.availability === "NOT_OFFERED" && c;
    });
    expect(closed).toMatchObject({ status: "COMPLETED", passed: null, errorCategory: "NOT_OFFERED_IN_REGION" });
    // The cell that turned legacy is re-evaluated too: neutral, not a stale green.
    const legacy = await waitFor("the legacy cell re-evaluated", async () => {
      const c = await db.modelCertification.findUniqueOrThrow({ where: { modelId_region: { modelId: steady, region: "eu-west-2" } } });
      return c.availability === "LEGACY" && c;
    });
    expect(legacy).toMatchObject({ status: "COMPLETED", passed: null, rating: null });
    // The job was started by the catalog watch, and only once: later syncs see no change.
    const jobs = await db.certificationJob.findMany({ where: { createdBy: "catalog-watch" } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: "RECERTIFY", totalModels: 3, failureCount: 0 });
    expect(await db.incident.count({ where: { status: "OPEN", subject: { in: [steady, newModel] } } })).toBe(0);
  }, 90_000);
});
