import "server-only";
// Following a job from its progress events, as `npm run certify` prints it:
// a line per pair a worker finishes, every other pair at the end (those
// settled by their availability too), then the job's end.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { JobStatus } from "@/lib/generated/prisma/enums";
import type { JobCounters, ProgressEvent } from "./events";
import { ENDED } from "./job-transitions";
import { notTriedCount } from "./verdict";

type PairLine = { pairId: string; modelId: string; region: string; status: string; score: number | null; errorCategory: string | null; notTried?: string | null };

// How a pair settled by its availability reads: not tried, and why.
const NOT_TRIED: Record<string, string> = { NOT_OFFERED: "not offered", PROFILE_ONLY: "profile only", LEGACY: "legacy", UNSUPPORTED: "not certifiable yet" };

export type JobFollower = {
  // Takes the job's events one at a time, in the order they came; true once
  // the job has ended and everything about it is printed.
  take(event: ProgressEvent): Promise<boolean>;
};

export async function followJob(db: PrismaClient, jobId: string, print: (line: string) => void): Promise<JobFollower> {
  const job = await db.certificationJob.findUniqueOrThrow({ where: { id: jobId }, select: { modelIds: true } });
  const models = await db.aIModel.findMany({ where: { id: { in: job.modelIds } }, select: { id: true, bedrockModelId: true } });
  const names = new Map(models.map((m) => [m.id, m.bedrockModelId ?? m.id]));
  const shown = new Set<string>();
  let ended = false;

  const printPair = (p: PairLine, progress: string) => {
    shown.add(p.pairId);
    const verdict = p.notTried ? `not tried: ${p.notTried}` : `${p.status}${p.score !== null ? ` ${p.score}` : ""}${p.errorCategory ? ` ${p.errorCategory}` : ""}`;
    print(`  ${p.region.padEnd(15)} ${names.get(p.modelId) ?? p.modelId}  ${verdict}   ${progress}`);
  };

  return {
    async take(event) {
      if (event.jobId !== jobId || ended) return ended;
      const j = event.job;
      if (event.type === "pair") printPair(event, `[${j.processedModels + j.cancelledCount}/${j.totalModels}]`);
      if (!ENDED.includes(j.status as JobStatus)) return false;
      ended = true;
      // Two pairs that finish together publish in either order: the one that
      // ended the job can arrive before the other. PostgreSQL has every pair,
      // so those not shown yet are shown now: a worker's last ones, and those
      // settled by their availability when the job was created (no event).
      for (const p of await finishedNotShown(db, jobId, shown)) printPair(p, p.notTried ? "(settled at the start)" : "(finished with the last)");
      print(summary(jobId, j));
      return true;
    },
  };
}

function summary(jobId: string, j: JobCounters): string {
  // Pairs not tried because of their availability are no failures: said apart.
  return `Job ${jobId} ${j.status}: ${j.successCount} passed, ${j.failureCount} failed, ${notTriedCount(j)} not tried (${j.notOfferedCount} not offered, ${j.profileOnlyCount} profile only, ${j.legacyCount} legacy, ${j.unsupportedCount} not certifiable yet), ${j.cancelledCount} cancelled of ${j.totalModels}.`;
}

// The finished pairs (completed, failed or cancelled) of the job not shown:
// those a worker ran, then those settled without a call.
async function finishedNotShown(db: PrismaClient, jobId: string, shown: Set<string>): Promise<PairLine[]> {
  const done = await db.certificationJobPair.findMany({
    where: { jobId, status: { in: ["COMPLETED", "FAILED", "CANCELLED"] } },
    select: { id: true, modelId: true, region: true, status: true, runId: true, workerId: true, passed: true, availability: true },
    orderBy: [{ completedAt: "asc" }, { id: "asc" }],
  });
  const missed = done.filter((p) => !shown.has(p.id)).sort((a, b) => Number(a.workerId === null) - Number(b.workerId === null));
  if (!missed.length) return [];
  const runIds = missed.flatMap((p) => (p.runId ? [p.runId] : []));
  const runs = new Map((await db.certificationRun.findMany({ where: { id: { in: runIds } }, select: { id: true, score: true, errorCategory: true } })).map((r) => [r.id, r]));
  return missed.map((p) => {
    const run = p.runId ? runs.get(p.runId) : undefined;
    const notTried = p.status === "COMPLETED" && p.passed === null && p.availability ? (NOT_TRIED[p.availability] ?? null) : null;
    return { pairId: p.id, modelId: p.modelId, region: p.region, status: p.status, score: run?.score ?? null, errorCategory: run?.errorCategory ?? null, notTried };
  });
}
