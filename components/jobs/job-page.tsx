"use client";
// One job, live, at any size: progress and counters (offered pairs passed and
// failed apart from those not tried because of their availability), a strip
// per Region, failures grouped by error category, and the pairs a page at a
// time. Bounded: the page draws the same few hundred nodes for 4 pairs or
// 4,000. The job's event stream (SSE) moves the counters at once and brings
// the overview and the current page up to date within a second.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { useBurstRefresh } from "@/components/ui/burst-refresh";
import { useEventSource } from "@/components/ui/use-event-source";
import type { JobFailureGroup, JobRegionProgress } from "@/lib/certification/job-queries";
import type { JobCounters } from "@/lib/certification/events";
import { allowedActions, CANCELLABLE, type JobAction } from "@/lib/certification/job-transitions";
import { jobAction } from "@/app/actions";
import { api, describeError, fromAction } from "@/lib/client/api";
import { notTriedCount } from "@/lib/certification/verdict";
import { JOB_TYPE_LABEL, JobStatusBadge, percentDone, ProgressBar, type JobSummary } from "./job-bits";
import { FailureGroups, RegionStrips } from "./job-overview";
import { JobPairsTable, NO_PAIR_FILTER, type PairFilter } from "./job-pairs-table";
import { queryKeys } from "@/lib/client/query-keys";
import { healing } from "./job-heal";

// What the job's events carry (the services' own type).
type Counters = JobCounters;
type Overview = { regions: JobRegionProgress[]; failures: JobFailureGroup[] };

const ACTION_LABEL: Record<JobAction, string> = { pause: "Pause", resume: "Resume", cancel: "Cancel job", "retry-failed": "Retry failed pairs" };
// Live while something can still change: running, or paused.
const ACTIVE = new Set<string>(CANCELLABLE);

export function JobPage({ jobId }: { jobId: string }) {
  const canEdit = useCanEdit();
  const client = useQueryClient();
  const jobKey = queryKeys.job(jobId);
  const overviewKey = queryKeys.jobOverview(jobId);
  // A read that failed (a 503 while the database was busy, a network blip) is
  // read again every two seconds until it succeeds: no part of the page may
  // stay behind another (issue 29: strips "Running" under "Completed").
  const job = useQuery({ queryKey: jobKey, queryFn: () => api<JobSummary>(`/api/v1/jobs/${jobId}`), refetchInterval: healing });
  const overview = useQuery({ queryKey: overviewKey, queryFn: () => api<Overview>(`/api/v1/jobs/${jobId}/overview`), refetchInterval: healing });
  const [pairFilter, setPairFilter] = useState<PairFilter>(NO_PAIR_FILTER);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const pairsSection = useRef<HTMLElement>(null);

  // Each event moves the counters at once; the overview and the page of pairs
  // follow within a second: at most a second apart during a burst of events,
  // and always once more after the last one. (Events from different processes
  // can arrive out of order, and a read started during a burst can land after
  // its last event: that last re-read is what the page ends on.)
  const refresh = useBurstRefresh(
    () => {
      void client.invalidateQueries({ queryKey: jobKey });
      void client.invalidateQueries({ queryKey: overviewKey });
      void client.invalidateQueries({ queryKey: queryKeys.jobPairs(jobId) });
    },
    { trailingMs: 750, maxWaitMs: 1_000 },
  );
  const refreshSoon = () => refresh.poke();
  const counters = (c: Counters) => client.setQueryData<JobSummary>(jobKey, (j) => (j ? { ...j, ...c } : j));
  const live = useEventSource(`/api/v1/jobs/${jobId}/events`, {
    snapshot: (data) => counters(data as Counters),
    // The stream is live from here on. What the page read before it began can
    // be older than the stream's start (a pair finished, even the job ended, in
    // between, and sends this page no event): read it all once more.
    ready: refreshSoon,
    job: (data) => {
      counters((data as { job: Counters }).job);
      refreshSoon();
    },
    pair: (data) => {
      counters((data as { job: Counters }).job);
      refreshSoon();
    },
  });

  // The job's end re-reads everything once more: its last pairs' events may
  // have come before some of the page's reads.
  const status = job.data?.status;
  const endedBefore = useRef<boolean | null>(null);
  useEffect(() => {
    if (!status) return;
    const ended = !ACTIVE.has(status);
    if (endedBefore.current === false && ended) refreshSoon();
    endedBefore.current = ended;
  });

  const act = useMutation({
    mutationFn: (action: JobAction) => fromAction(jobAction(jobId, action)),
    onSuccess: (result, action) => {
      toast.success(action === "retry-failed" ? `Retrying ${result.retried} failed pair${result.retried === 1 ? "" : "s"}` : `Job ${result.status.toLowerCase()}`);
      setConfirmCancel(false);
      refreshSoon();
    },
    onError: (err) => toast.error("The job did not accept that", { description: describeError(err) }),
  });

  // The moment the page shows the job, its overview and a page of pairs:
  // what bench:ui measures (jobPageInteractiveMs).
  const [pairsShown, setPairsShown] = useState(false);
  const onPairsShown = useCallback(() => setPairsShown(true), []);
  const ready = job.isSuccess && overview.isSuccess && pairsShown;
  useEffect(() => {
    if (ready && performance.getEntriesByName("job-interactive").length === 0) performance.mark("job-interactive");
  }, [ready]);

  const showPairs = (patch: Partial<PairFilter>) => {
    setPairFilter({ ...NO_PAIR_FILTER, ...patch });
    pairsSection.current?.scrollIntoView({ block: "start" });
  };

  if (job.isLoading) return <Loading label="Loading the job" />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const j = job.data!;
  const allowed = allowedActions(j);

  return (
    <div className="space-y-6">
      <PageHeader
        title={`${JOB_TYPE_LABEL[j.type] ?? j.type} job`}
        description={
          <>
            <Link href="/jobs" className="hover:underline">
              Jobs
            </Link>{" "}
            / <code className="text-xs">{j.id}</code> · started by {j.createdBy ?? "unknown"} on {new Date(j.createdAt).toLocaleString()}
          </>
        }
        actions={
          canEdit && (
            <>
              {(["pause", "resume", "retry-failed"] as const).map(
                (a) =>
                  allowed[a] && (
                    <Button key={a} onClick={() => act.mutate(a)} disabled={act.isPending} data-testid={`job-${a}`}>
                      {ACTION_LABEL[a]}
                    </Button>
                  ),
              )}
              {allowed.cancel && (
                <Button variant="danger" onClick={() => setConfirmCancel(true)} disabled={act.isPending} data-testid="job-cancel">
                  {ACTION_LABEL.cancel}
                </Button>
              )}
            </>
          )
        }
      />

      <section aria-label="Progress" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <JobStatusBadge status={j.status} failureCount={j.failureCount} />
          <span className="text-2xl font-semibold tabular-nums" data-testid="job-percent">
            {percentDone(j)}%
          </span>
          {ACTIVE.has(j.status) && (
            <span className={`inline-flex items-center gap-1 text-xs ${live ? "text-emerald-800 dark:text-emerald-300" : "text-slate-600 dark:text-slate-400"}`}>
              <span aria-hidden className={`h-2 w-2 rounded-full ${live ? "bg-emerald-600" : "bg-slate-400"}`} />
              {live ? "Live" : "Reconnecting…"}
            </span>
          )}
          {j.duration != null && <span className="text-sm text-slate-600 dark:text-slate-400">took {(j.duration / 1000).toFixed(1)} s</span>}
        </div>
        {j.status === "PAUSED" && j.pauseReason && (
          <p
            role="alert"
            className="mb-3 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
            data-testid="job-pause-reason"
          >
            Paused itself: {j.pauseReason}
          </p>
        )}
        <ProgressBar job={j} large />
        <dl className="mt-3 grid grid-cols-3 gap-3 text-sm sm:grid-cols-5 lg:grid-cols-9" data-testid="job-counters">
          {(
            [
              ["Pairs", "pairs", j.totalModels, ""],
              ["Done", "done", j.processedModels, ""],
              ["Passed", "passed", j.successCount, "Offered pairs that passed"],
              ["Failed", "failed", j.failureCount, "Offered pairs that were tried and did not pass"],
              ["Not offered", "not-offered", j.notOfferedCount, "Not tried: the model is not offered in the Region"],
              ["Profile only", "profile-only", j.profileOnlyCount, "Not tried: reachable only through an inference profile, and the job does not certify through profiles"],
              ["Legacy", "legacy", j.legacyCount, "Not tried: legacy or end of life in the Region"],
              ["Not certifiable", "unsupported", j.unsupportedCount, "Not tried: no battery for this kind of model yet"],
              ["Cancelled", "cancelled", j.cancelledCount, ""],
            ] as const
          ).map(([label, key, value, title]) => (
            <div key={key} title={title || undefined}>
              <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${key}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300" data-testid="job-offered-summary">
          {j.successCount + j.failureCount} offered pair{j.successCount + j.failureCount === 1 ? "" : "s"} tried
          {j.successCount + j.failureCount > 0 && `: ${Math.round((j.successCount / (j.successCount + j.failureCount)) * 100)}% passed`} · {notTriedCount(j)} not tried because of where (or what) the
          model is, never counted as failures
        </p>
      </section>

      {overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : !overview.data ? (
        <Loading label="Loading the overview" />
      ) : (
        <>
          <section aria-labelledby="regions-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
            <h2 id="regions-heading" className="mb-2 text-lg font-semibold">
              By Region
            </h2>
            <RegionStrips regions={overview.data.regions} onPick={(region) => showPairs({ region })} />
          </section>
          {overview.data.failures.length > 0 && (
            <section aria-labelledby="failures-heading">
              <h2 id="failures-heading" className="mb-2 text-lg font-semibold">
                Failures by category ({j.failureCount})
              </h2>
              <FailureGroups groups={overview.data.failures} onShowAll={(category) => showPairs({ verdict: "failed", category })} />
            </section>
          )}
        </>
      )}

      <section aria-labelledby="pairs-heading" ref={pairsSection}>
        <h2 id="pairs-heading" className="mb-2 text-lg font-semibold">
          Pairs
        </h2>
        <JobPairsTable jobId={jobId} regions={j.regions} filter={pairFilter} setFilter={setPairFilter} onShown={onPairsShown} />
      </section>

      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title="Cancel this job?"
        description="Pairs not finished yet are cancelled; running ones are stopped. Finished results are kept. This cannot be undone."
        confirmLabel="Cancel the job"
        pending={act.isPending}
        onConfirm={() => act.mutate("cancel")}
      />
    </div>
  );
}
