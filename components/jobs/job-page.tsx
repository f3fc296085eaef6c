"use client";
// One job, live: its progress bar and counters, a grid of its pairs, its
// failures with their categories, and the controls its state allows. The job's
// event stream (SSE) paints each finished pair as it lands.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { useEventSource } from "@/components/ui/use-event-source";
import { adviceNotInMessage } from "@/lib/bedrock/error-categories";
import { allowedActions, type JobAction } from "@/lib/certification/job-transitions";
import { api, describeError } from "@/lib/client/api";
import { JOB_TYPE_LABEL, JobStatusBadge, percentDone, ProgressBar, type JobSummary } from "./job-bits";

type Pair = { id: string; modelId: string; bedrockModelId: string | null; modelName: string; region: string; status: string; round: number; passed: boolean | null; score: number | null; errorCategory: string | null; errorMessage: string | null };
type Counters = Pick<JobSummary, "status" | "totalModels" | "processedModels" | "successCount" | "failureCount" | "cancelledCount">;
type PairEvent = { pairId: string; status: string; passed: boolean | null; score: number | null; errorCategory: string | null; job: Counters };

// Colours with enough contrast for the text on them (no fading animation:
// half-transparent text would not be readable).
const PAIR_CLASS: Record<string, string> = {
  COMPLETED: "bg-emerald-700 text-white",
  FAILED: "bg-red-700 text-white",
  CANCELLED: "bg-slate-400 text-slate-950",
  PROCESSING: "bg-sky-700 text-white",
  QUEUED: "bg-sky-100 text-sky-950 dark:bg-sky-900 dark:text-sky-100",
  PENDING: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
};

const ACTION_LABEL: Record<JobAction, string> = { pause: "Pause", resume: "Resume", cancel: "Cancel job", "retry-failed": "Retry failed pairs" };

export function JobPage({ jobId }: { jobId: string }) {
  const canEdit = useCanEdit();
  const client = useQueryClient();
  const jobKey = ["job", jobId];
  const pairsKey = ["job-pairs", jobId];
  const job = useQuery({ queryKey: jobKey, queryFn: () => api<JobSummary>(`/api/v1/jobs/${jobId}`) });
  const pairs = useQuery({ queryKey: pairsKey, queryFn: () => api<{ pairs: Pair[] }>(`/api/v1/jobs/${jobId}/pairs`).then((r) => r.pairs) });
  const [confirmCancel, setConfirmCancel] = useState(false);

  // Events from different processes can arrive out of order (a status read
  // just before a pair ended, published just after it): paint each at once,
  // then re-read the job and its pairs a moment after the last one.
  const settle = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(settle.current), []);
  const settleSoon = () => {
    clearTimeout(settle.current);
    settle.current = setTimeout(() => {
      void client.invalidateQueries({ queryKey: jobKey });
      void client.invalidateQueries({ queryKey: pairsKey });
    }, 1_000);
  };
  const counters = (c: Counters) => client.setQueryData<JobSummary>(jobKey, (j) => (j ? { ...j, ...c } : j));
  const live = useEventSource(`/api/v1/jobs/${jobId}/events`, {
    snapshot: (data) => counters(data as Counters),
    job: (data) => {
      counters((data as { job: Counters }).job);
      settleSoon();
    },
    pair: (data) => {
      const e = data as PairEvent;
      counters(e.job);
      client.setQueryData<Pair[]>(pairsKey, (list) => list?.map((p) => (p.id === e.pairId ? { ...p, status: e.status, passed: e.passed, score: e.score, errorCategory: e.errorCategory } : p)));
      settleSoon();
    },
  });

  const act = useMutation({
    mutationFn: (action: JobAction) => api<{ status: string; retried?: number }>(`/api/v1/jobs/${jobId}/${action}`, { method: "POST" }),
    onSuccess: (result, action) => {
      toast.success(action === "retry-failed" ? `Retrying ${result.retried} failed pair${result.retried === 1 ? "" : "s"}` : `Job ${result.status.toLowerCase()}`);
      setConfirmCancel(false);
      void client.invalidateQueries({ queryKey: jobKey });
      void client.invalidateQueries({ queryKey: pairsKey });
    },
    onError: (err) => toast.error("The job did not accept that", { description: describeError(err) }),
  });

  const grid = useMemo(() => {
    const list = pairs.data ?? [];
    const regions = [...new Set(list.map((p) => p.region))].sort();
    const models = [...new Map(list.map((p) => [p.modelId, p.modelName])).entries()];
    const at = new Map(list.map((p) => [`${p.modelId}|${p.region}`, p]));
    return { regions, models, at };
  }, [pairs.data]);
  const failures = (pairs.data ?? []).filter((p) => p.status === "FAILED");

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
          <JobStatusBadge status={j.status} />
          <span className="text-2xl font-semibold tabular-nums" data-testid="job-percent">
            {percentDone(j)}%
          </span>
          <span className={`inline-flex items-center gap-1 text-xs ${live ? "text-emerald-800 dark:text-emerald-300" : "text-slate-600 dark:text-slate-400"}`}>
            <span aria-hidden className={`h-2 w-2 rounded-full ${live ? "bg-emerald-600" : "bg-slate-400"}`} />
            {live ? "Live" : "Reconnecting…"}
          </span>
          {j.duration != null && <span className="text-sm text-slate-600 dark:text-slate-400">took {(j.duration / 1000).toFixed(1)} s</span>}
        </div>
        <ProgressBar job={j} large />
        <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-5" data-testid="job-counters">
          {(
            [
              ["Pairs", j.totalModels],
              ["Done", j.processedModels],
              ["Passed", j.successCount],
              ["Failed", j.failureCount],
              ["Cancelled", j.cancelledCount],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${label.toLowerCase()}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="pairs-heading">
        <h2 id="pairs-heading" className="mb-2 text-lg font-semibold">
          Pairs
        </h2>
        {pairs.isLoading ? (
          <Loading label="Loading pairs" />
        ) : pairs.isError ? (
          <ErrorState error={pairs.error} onRetry={() => void pairs.refetch()} />
        ) : grid.models.length === 0 ? (
          <EmptyState title="This job has no pairs" />
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-950">
            <table className="text-xs" data-testid="job-pairs">
              <thead>
                <tr>
                  <th className="px-2 text-left font-medium">Model</th>
                  {grid.regions.map((r) => (
                    <th key={r} className="px-1 font-mono font-medium">
                      {r}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.models.map(([modelId, name]) => (
                  <tr key={modelId}>
                    <th scope="row" className="px-2 py-0.5 text-left font-normal whitespace-nowrap">
                      {name}
                    </th>
                    {grid.regions.map((r) => {
                      const p = grid.at.get(`${modelId}|${r}`);
                      return (
                        <td key={r} className="p-0.5">
                          {p && (
                            <span className={`flex h-6 items-center justify-center rounded px-1 font-semibold tabular-nums ${PAIR_CLASS[p.status] ?? ""}`} title={`${name} in ${r}: ${p.status}${p.errorCategory ? `, ${p.errorCategory}` : ""}`} data-testid="pair" data-status={p.status}>
                              {p.score != null && p.status !== "PROCESSING" ? Math.round(p.score) : p.status === "CANCELLED" ? "×" : p.status === "FAILED" ? "!" : "…"}
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {failures.length > 0 && (
        <section aria-labelledby="failures-heading">
          <h2 id="failures-heading" className="mb-2 text-lg font-semibold">
            Failures ({failures.length})
          </h2>
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-950" data-testid="job-failures">
            {failures.map((p) => {
              const advice = adviceNotInMessage(p.errorCategory, { modelId: p.bedrockModelId, region: p.region }, p.errorMessage);
              return (
                <li key={p.id} className="p-3 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <strong>{p.modelName}</strong> <span className="font-mono text-xs">{p.region}</span>
                    {p.errorCategory && <span className="rounded bg-red-100 px-1.5 py-0.5 font-mono text-xs text-red-900 dark:bg-red-950 dark:text-red-200">{p.errorCategory}</span>}
                  </div>
                  {p.errorMessage && <p className="mt-1 text-slate-700 dark:text-slate-300">{p.errorMessage}</p>}
                  {advice && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">What to do: {advice}</p>}
                </li>
              );
            })}
          </ul>
        </section>
      )}

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
