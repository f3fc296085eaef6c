// Which control actions a job's state allows: used by the services (as their
// guards) and by the UI (to show only the buttons that will work).
import type { JobStatus } from "@/lib/generated/prisma/enums";

export const ACTIVE_STATUSES: JobStatus[] = ["PENDING", "QUEUED", "PROCESSING"];
export const PAUSABLE: JobStatus[] = ACTIVE_STATUSES;
export const RESUMABLE: JobStatus[] = ["PAUSED"];
export const CANCELLABLE: JobStatus[] = [...ACTIVE_STATUSES, "PAUSED"];
export const FINISHED: JobStatus[] = ["COMPLETED", "FAILED"];
// A job in one of these will change no more (retry-failed aside).
export const ENDED: JobStatus[] = [...FINISHED, "CANCELLED"];

export type JobAction = "pause" | "resume" | "cancel" | "retry-failed";

export function allowedActions(job: { status: string; failureCount: number }): Record<JobAction, boolean> {
  const status = job.status as JobStatus;
  return {
    pause: PAUSABLE.includes(status),
    resume: RESUMABLE.includes(status),
    cancel: CANCELLABLE.includes(status),
    "retry-failed": FINISHED.includes(status) && job.failureCount > 0,
  };
}
