// `npm run bench:detection`: how long from a fault appearing in Bedrock to the
// incident's signed webhook arriving, with a schedule firing every minute.
// Two models × four Regions on a schedule "* * * * *" (every pair, every
// time), two workers, a webhook receiver on loopback subscribed to incidents.
// Once a first scheduled job has passed everywhere, the simulator starts
// failing one model in 3 of its 4 Regions — just after a firing, so the next
// slot is nearly a minute away (close to the worst case). The clock stops when
// the receiver holds an "incident.opened" whose signature verifies.
// The last line is JSON: detectionSeconds (goal < 90), and its parts.
import { cliActor } from "@/lib/audit";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { syncCatalog } from "@/lib/catalog/sync";
import { createPrismaClient } from "@/lib/db/client";
import { createWatchQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { createSchedule } from "@/lib/watch/schedules";
import { verifySignature } from "@/lib/watch/signature";
import { createSubscription } from "@/lib/watch/subscriptions";
import { waitFor } from "../tests/helpers/engine";
import { startSimulator } from "../tests/helpers/simulator";
import { startWebhookReceiver } from "../tests/helpers/webhook-receiver";
import { startWorker, uniquePrefix, type WorkerProcess } from "../tests/helpers/worker";
import { createMigratedDatabase, dropDatabase } from "../tests/setup/test-database";

const BENCH = cliActor("bench");
const REGIONS = ["us-east-1", "us-west-2", "eu-west-2", "ap-south-1"];
const FAULTY = "meta.llama3-8b-instruct-v1:0";
const MODELS = [FAULTY, "mistral.mistral-7b-instruct-v0:2"];

const database = await createMigratedDatabase("detection");
const db = createPrismaClient(database.url, 4);
const sim = await startSimulator();
const receiver = await startWebhookReceiver();
const redis = createRedisConnection();
const prefix = uniquePrefix("detection");
const watchQueue = createWatchQueue(redis, prefix);
const workers: WorkerProcess[] = [];
const seconds = (ms: number) => Math.round(ms / 100) / 10;

try {
  await seedCatalog(db, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  await syncCatalog({ db, bedrock: sim.bedrock, actor: BENCH }, { regions: REGIONS });
  const subscription = await createSubscription(db, BENCH, { name: "on-call", url: `${receiver.url}/hook`, eventKinds: ["incident.opened"] });
  const env = { DATABASE_URL: database.url, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: "8", RECONCILE_INTERVAL_MS: "30000", WEBHOOK_ALLOWED_NETWORKS: "127.0.0.0/8" };
  workers.push(await startWorker(env), await startWorker(env));
  const schedule = await createSchedule({ db, watchQueue }, BENCH, {
    name: "every minute",
    cron: "* * * * *",
    target: { models: { mode: "list", modelIds: MODELS }, regions: { mode: "list", regions: REGIONS } },
  });
  console.log(`Schedule "every minute": ${MODELS.length} models × ${REGIONS.length} Regions; waiting for its first job to pass …`);
  const firstJob = await waitFor(
    "a first scheduled job, finished",
    async () => {
      const s = await db.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
      const job = s.lastJobId ? await db.certificationJob.findUnique({ where: { id: s.lastJobId } }) : null;
      return job && ["COMPLETED", "FAILED"].includes(job.status) && job;
    },
    150_000,
  );
  if (firstJob.failureCount > 0) throw new Error(`the baseline job failed ${firstJob.failureCount} pairs`);

  const faultOn = Date.now();
  sim.simulator.setFaults({ rules: [{ models: [FAULTY], regions: REGIONS.slice(0, 3), modelErrorRate: 1 }] });
  console.log(`Fault on: ${FAULTY} fails in ${REGIONS.slice(0, 3).join(", ")} …`);
  const hit = await waitFor("the incident's webhook", async () => receiver.at("/hook").find((r) => r.headers["x-certify-event"] === "incident.opened"), 180_000);
  const arrived = Date.now();
  if (!verifySignature(subscription.secret, hit.body, String(hit.headers["x-certify-signature"]))) throw new Error("the webhook's signature does not verify");
  const incident = await db.incident.findFirstOrThrow({ where: { scope: "model" } });
  const detectingJob = await db.certificationJob.findFirstOrThrow({ where: { createdAt: { gt: new Date(faultOn) } }, orderBy: { createdAt: "asc" } });
  const result = {
    detectionSeconds: seconds(arrived - faultOn),
    // Until the next slot fired and its job was created.
    waitForSlotSeconds: seconds(detectingJob.createdAt.getTime() - faultOn),
    // From that job's creation to the incident (its failing pairs certified).
    certifySeconds: seconds(incident.openedAt.getTime() - detectingJob.createdAt.getTime()),
    // From the incident to the signed webhook at the receiver.
    deliverySeconds: seconds(arrived - incident.openedAt.getTime()),
    pairsPerFiring: MODELS.length * REGIONS.length,
    workers: workers.length,
  };
  console.log(`Incident opened ${result.certifySeconds} s after the job started; webhook ${result.deliverySeconds} s later; ${result.detectionSeconds} s in all (goal < 90 s).`);
  console.log(JSON.stringify(result));
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await watchQueue.obliterate({ force: true }).catch(() => {});
  await watchQueue.close();
  redis.disconnect();
  await receiver.close();
  await sim.close();
  await db.$disconnect();
  await dropDatabase(database.name);
}
