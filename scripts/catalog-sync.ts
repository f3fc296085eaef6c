// `npm run catalog:sync [-- --regions us-east-1,eu-west-1]`: reads every enabled
// Region's foundation models from Bedrock (or the simulator, with
// BEDROCK_ENDPOINT set) and records them; what changed since the last sync is
// recorded as catalog events and certified (CATALOG_AUTO_CERTIFY) by the
// workers. Exits 1 if any Region failed.
import { bedrockConnectionFromEnv, createBedrockClients } from "@/lib/bedrock/clients";
import { createPrismaClient } from "@/lib/db/client";
import { env } from "@/lib/env";
import { cliActor } from "@/lib/audit";
import { createPairQueue, createWebhookQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { syncCatalogAndWatch } from "@/lib/watch/catalog-watch";

const flag = process.argv.indexOf("--regions");
const regions =
  flag >= 0
    ? process.argv[flag + 1]
        ?.split(",")
        .map((r) => r.trim())
        .filter(Boolean)
    : undefined;

const db = createPrismaClient(undefined, 4);
const bedrock = createBedrockClients(bedrockConnectionFromEnv(env));
const redis = createRedisConnection();
const queue = createPairQueue(redis, env.QUEUE_PREFIX);
const webhooks = createWebhookQueue(redis, env.QUEUE_PREFIX, env.WEBHOOK_ATTEMPTS, env.WEBHOOK_BACKOFF_MS);
try {
  if (regions) {
    const known = new Set((await db.region.findMany({ select: { code: true } })).map((r) => r.code));
    const unknown = regions.filter((r) => !known.has(r));
    if (unknown.length) throw new Error(`Unknown Region(s): ${unknown.join(", ")}`);
  }
  console.log(`Syncing the catalog from ${env.BEDROCK_ENDPOINT ?? "AWS"} …`);
  const jobs = { db, queue, redis, prefix: env.QUEUE_PREFIX };
  const report = await syncCatalogAndWatch({ db, webhooks, jobs, bedrock, autoCertify: env.CATALOG_AUTO_CERTIFY }, cliActor(), { regions });
  for (const r of report.regions) {
    console.log(
      r.ok
        ? `  ${r.region.padEnd(16)} ${r.inRegion} in-Region, ${r.profileOnly} profile-only, ${r.notOffered} not offered`
        : `  ${r.region.padEnd(16)} FAILED ${r.error.category}: ${r.error.message} (${r.error.detail})`,
    );
  }
  console.log(`Models: ${report.models.seen} seen, ${report.models.created} new, ${report.models.updated} updated.`);
  console.log(`Changes since the last sync: ${report.changes.length}${report.certifyJobId ? ` (certifying them: job ${report.certifyJobId})` : ""}.`);
  process.exitCode = report.regions.every((r) => r.ok) ? 0 : 1;
} catch (err) {
  console.error(`Catalog sync failed: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  await Promise.all([queue.close(), webhooks.close()]).catch(() => {});
  redis.disconnect();
  bedrock.destroy();
  await db.$disconnect();
}
