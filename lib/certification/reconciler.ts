import "server-only";
// PostgreSQL is the truth, the queue its projection. The reconciler compares
// the two for every open job and repairs the queue: pairs it no longer holds (a
// Redis restart, FLUSHALL, a lost add) are enqueued again; jobs whose pairs are
// all final are ended; open pairs of cancelled jobs are closed. Every worker runs
// it at start and periodically; a Redis lock lets one run at a time.
import { randomUUID } from "node:crypto";
import { certifyPairJob } from "@/lib/queue/certify-pair-job";
import { unfinishedIds } from "@/lib/queue/queues";
import { enqueueOpenPairs, finalizeIfDone, requeueLostPairs, type JobDeps } from "./jobs";
import { cancelOpenPair } from "./pair-store";

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type ReconcileReport = { jobs: number; requeued: number; finalized: number; cancelled: number };

export async function reconcile(deps: JobDeps, options: { lockTtlMs?: number } = {}): Promise<ReconcileReport | null> {
  const lockKey = `${deps.prefix}:reconciler:lock`;
  const token = randomUUID();
  if ((await deps.redis.set(lockKey, token, "PX", options.lockTtlMs ?? 60_000, "NX")) !== "OK") return null;
  const report: ReconcileReport = { jobs: 0, requeued: 0, finalized: 0, cancelled: 0 };
  try {
    const jobs = await deps.db.certificationJob.findMany({ where: { status: { in: ["PENDING", "QUEUED", "PROCESSING", "CANCELLED"] } }, select: { id: true, status: true } });
    for (const job of jobs) {
      const open = await deps.db.certificationJobPair.findMany({
        where: { jobId: job.id, status: { in: ["PENDING", "QUEUED", "PROCESSING"] } },
        select: { id: true, modelId: true, region: true, round: true, status: true },
      });
      if (job.status === "CANCELLED" && open.length === 0) continue;
      report.jobs++;
      if (open.length === 0) {
        if (await finalizeIfDone(deps, job.id)) report.finalized++;
        continue;
      }
      const started = open.filter((p) => p.status !== "PENDING");
      const unfinished = started.length ? await unfinishedIds(deps.queue) : new Set<string>();
      const lost = started.filter((p) => !unfinished.has(certifyPairJob.jobId({ pairId: p.id, round: p.round })));
      if (job.status === "CANCELLED") {
        for (const p of [...lost, ...open.filter((p) => p.status === "PENDING")]) {
          if (await deps.db.$transaction((tx) => cancelOpenPair(tx, { jobId: job.id, pairId: p.id, round: p.round }))) report.cancelled++;
        }
        continue;
      }
      await requeueLostPairs(deps, job.id, lost);
      report.requeued += lost.length;
      report.requeued += await enqueueOpenPairs(deps, job.id, { replaceFinished: true });
    }
    return report;
  } finally {
    await deps.redis.eval(RELEASE, 1, lockKey, token);
  }
}
