// Small pieces every job view shares: its status, its progress.
import { titleCase } from "@/components/ui/format";
import { notTriedCount } from "@/lib/certification/verdict";

export type JobSummary = {
  id: string;
  type: string;
  status: string;
  regions: string[];
  modelIds: string[];
  totalModels: number;
  processedModels: number;
  successCount: number;
  failureCount: number;
  cancelledCount: number;
  // Pairs not tried because of their availability.
  notOfferedCount: number;
  profileOnlyCount: number;
  legacyCount: number;
  unsupportedCount: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  duration: number | null;
  createdBy: string | null;
  config?: unknown;
  // Why the job paused itself (AWS refused the credentials); null when an admin paused it.
  pauseReason?: string | null;
};

const STATUS_CLASS: Record<string, string> = {
  PENDING: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  QUEUED: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  PROCESSING: "bg-sky-700 text-white",
  PAUSED: "bg-amber-200 text-amber-950",
  COMPLETED: "bg-emerald-700 text-white",
  FAILED: "bg-red-700 text-white",
  CANCELLED: "bg-slate-500 text-white",
};

// "Completed with failures": the job ended and some offered pairs failed.
export function jobStatusLabel(job: { status: string; failureCount?: number }): string {
  if (job.status === "COMPLETED" && (job.failureCount ?? 0) > 0) return "Completed with failures";
  return titleCase(job.status);
}

export function JobStatusBadge({ status, failureCount }: { status: string; failureCount?: number }) {
  const withFailures = status === "COMPLETED" && (failureCount ?? 0) > 0;
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${withFailures ? "bg-amber-200 text-amber-950" : (STATUS_CLASS[status] ?? STATUS_CLASS.PENDING)}`}
      data-testid="job-status"
    >
      {jobStatusLabel({ status, failureCount })}
    </span>
  );
}

export const percentDone = (j: Pick<JobSummary, "totalModels" | "processedModels" | "cancelledCount">) =>
  j.totalModels ? Math.round(((j.processedModels + j.cancelledCount) / j.totalModels) * 100) : 0;

type ProgressCounters = Pick<
  JobSummary,
  "totalModels" | "processedModels" | "successCount" | "failureCount" | "cancelledCount" | "notOfferedCount" | "profileOnlyCount" | "legacyCount" | "unsupportedCount"
>;

export function ProgressBar({ job, large = false }: { job: ProgressCounters; large?: boolean }) {
  const pct = (n: number) => (job.totalModels ? (n / job.totalModels) * 100 : 0);
  const done = percentDone(job);
  const notTried = notTriedCount(job);
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={done}
      aria-label={`${done}% done: ${job.successCount} passed, ${job.failureCount} failed, ${notTried} not tried (not offered, profile only, legacy or not certifiable), ${job.cancelledCount} cancelled of ${job.totalModels}`}
      data-testid="job-progress"
      className={`flex w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800 ${large ? "h-3" : "h-2"}`}
    >
      <div className="bg-emerald-600 transition-[width]" style={{ width: `${pct(job.successCount)}%` }} />
      <div className="bg-red-600 transition-[width]" style={{ width: `${pct(job.failureCount)}%` }} />
      <div className="bg-slate-400 transition-[width] dark:bg-slate-500" style={{ width: `${pct(notTried)}%` }} />
      <div className="bg-slate-400 transition-[width]" style={{ width: `${pct(job.cancelledCount)}%` }} />
    </div>
  );
}

export const JOB_TYPE_LABEL: Record<string, string> = { SINGLE_MODEL: "One model", MULTIPLE_MODELS: "Several models", ALL_MODELS: "All models", RECERTIFY: "Re-certify" };
