import "server-only";
// A job that paused itself because AWS refused the workers' credentials: the
// job keeps the reason (its page shows it) and the feed says it once, so an
// admin learns it from one line instead of a column of failed pairs.
import { ERROR_CATEGORIES } from "@/lib/bedrock/error-categories";
import { pauseJobItself, type JobDeps } from "@/lib/certification/jobs";
import { recordEvent, type WatchDeps } from "./events";

export async function pauseJobForCredentials(deps: { jobs: JobDeps; watch: WatchDeps }, pair: { jobId: string; pairId: string; round: number }, detail: string): Promise<void> {
  const reason = `AWS refused the workers' credentials (${detail}). ${ERROR_CATEGORIES.CREDENTIALS.advice({ modelId: "", region: "" })}`;
  const { paused } = await pauseJobItself(deps.jobs, pair.jobId, pair, reason);
  if (paused) await recordEvent(deps.watch, { kind: "job.paused", subjectId: pair.jobId, summary: `Job paused itself: ${reason}`, details: { jobId: pair.jobId, reason } });
}
