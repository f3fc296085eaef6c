// `npm run certify -- [options]`: start a certification job from the command
// line and follow it live, or control one. The same services as the API and UI
// (lib/certification/jobs.ts); the job's author is `cli:<user>` (or --as).
//   --models a,b  --regions x,y           MULTIPLE_MODELS (SINGLE_MODEL for one model)
//   --all --regions x,y                   ALL_MODELS
//   --recertify failed|stale:<hours> [--regions x,y]   RECERTIFY
//   --config '{"tests":["reachability"]}'  the job's config (docs/certification.md)
//   --no-follow                            print the job id and return
//   --job <id> --pause|--resume|--cancel|--retry-failed
import { cancelJob, pauseJob, resumeJob, retryFailed, startCertificationJob, type JobDeps } from "@/lib/certification/jobs";
import { parseProgress, type ProgressEvent } from "@/lib/certification/events";
import { followJob } from "@/lib/certification/follow-job";
import { createPrismaClient } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ServiceError } from "@/lib/errors";
import { channels } from "@/lib/queue/constants";
import { createPairQueue } from "@/lib/queue/queues";
import { createRedisConnection } from "@/lib/redis";
import { cliActor } from "@/lib/audit";

const args = process.argv.slice(2);
const has = (f: string) => args.includes(f);
const value = (f: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
const list = (f: string) =>
  value(f)
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const db = createPrismaClient(undefined, 2);
const redis = createRedisConnection();
const subscriber = createRedisConnection();
const queue = createPairQueue(redis, env.QUEUE_PREFIX);
const deps: JobDeps = { db, queue, redis, prefix: env.QUEUE_PREFIX };
const actor = cliActor(value("--as"));

function input(): unknown {
  const config = value("--config") ? JSON.parse(value("--config")!) : undefined;
  const regions = list("--regions");
  const recertify = value("--recertify");
  if (recertify) {
    const [mode, hours] = recertify.split(":");
    return { type: "RECERTIFY", recertify: mode === "stale" ? { mode, olderThanHours: Number(hours) } : { mode }, regions, config };
  }
  if (has("--all")) return { type: "ALL_MODELS", regions, config };
  const models = list("--models") ?? [];
  return { type: models.length === 1 ? "SINGLE_MODEL" : "MULTIPLE_MODELS", modelIds: models, regions, config };
}

// Listens from before the job starts, so no event of a fast job is missed;
// the events wait here until the follower takes them, one at a time, in order.
async function listen() {
  const seen: ProgressEvent[] = [];
  let wake: (() => void) | null = null;
  subscriber.on("message", (_c, message) => {
    const event = parseProgress(message);
    if (!event) return;
    seen.push(event);
    wake?.();
  });
  await subscriber.subscribe(channels(env.QUEUE_PREFIX).events);
  return async (jobId: string) => {
    const follower = await followJob(db, jobId, (line) => console.log(line));
    for (;;) {
      const event = seen.shift();
      if (event) {
        if (await follower.take(event)) return;
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

try {
  const jobId = value("--job");
  if (jobId) {
    if (has("--pause")) await pauseJob(deps, actor, jobId);
    else if (has("--resume")) await resumeJob(deps, actor, jobId);
    else if (has("--cancel")) await cancelJob(deps, actor, jobId);
    else if (has("--retry-failed")) console.log(`${(await retryFailed(deps, actor, jobId)).retried} failed pair(s) queued again.`);
    else throw new Error("with --job, say --pause, --resume, --cancel or --retry-failed");
    console.log(`Job ${jobId}: ${(await db.certificationJob.findUniqueOrThrow({ where: { id: jobId } })).status}`);
  } else {
    const follow = has("--no-follow") ? null : await listen();
    const job = await startCertificationJob(deps, actor, input());
    const row = await db.certificationJob.findUniqueOrThrow({ where: { id: job.id } });
    console.log(`Job ${job.id}: ${row.type}, ${row.totalModels} pair(s). A worker must be running (npm run worker). Watch it at ${new URL(`/jobs/${job.id}`, env.APP_URL)}`);
    if (follow) await follow(job.id);
  }
} catch (err) {
  if (err instanceof ServiceError) {
    console.error(`Refused (${err.code}): ${err.message}`);
    for (const f of err.fields) console.error(`  ${f.field}: ${f.reason}`);
  } else console.error(`Failed: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  subscriber.disconnect();
  await queue.close();
  redis.disconnect();
  await db.$disconnect();
}
