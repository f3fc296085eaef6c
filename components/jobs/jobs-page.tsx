"use client";
// Jobs, newest first: status, type, progress, counts, who and when, filtered
// by status and type (in the URL), live while any of them runs.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { parseAsArrayOf, parseAsString, useQueryStates } from "nuqs";
import { useState } from "react";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { enumOptions } from "@/components/ui/format";
import { MultiSelect } from "@/components/ui/multi-select";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { api } from "@/lib/client/api";
import { ACTIVE_STATUSES } from "@/lib/certification/job-transitions";
import { JobStatus } from "@/lib/generated/prisma/enums";
import { notTriedCount } from "@/lib/certification/verdict";
import { JOB_TYPE_LABEL, JobStatusBadge, percentDone, ProgressBar, type JobSummary } from "./job-bits";
import { StartJobDialog } from "./start-job-dialog";
import { StartJobLink } from "./start-job-link";
import { TableHead } from "@/components/ui/table-head";
import { queryKeys } from "@/lib/client/query-keys";

const list = parseAsArrayOf(parseAsString, ",").withDefault([]);

export function JobsPage() {
  const canEdit = useCanEdit();
  const [starting, setStarting] = useState(false);
  const [filter, setFilter] = useQueryStates({ status: list, type: list, createdBy: parseAsString.withDefault("") }, { history: "replace" });
  const params = new URLSearchParams({ limit: "50" });
  if (filter.status.length) params.set("status", filter.status.join(","));
  if (filter.type.length) params.set("type", filter.type.join(","));
  if (filter.createdBy) params.set("createdBy", filter.createdBy);
  const query = useInfiniteQuery({
    queryKey: queryKeys.jobs(params.toString()),
    queryFn: ({ pageParam }) => api<{ jobs: JobSummary[]; nextCursor: string | null }>(`/api/v1/jobs?${params}${pageParam ? `&cursor=${pageParam}` : ""}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // While a job runs, the list follows it.
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.jobs.some((j) => ACTIVE_STATUSES.includes(j.status as JobStatus))) ? 2_000 : 15_000),
  });
  const jobs = query.data?.pages.flatMap((p) => p.jobs) ?? [];

  return (
    <div>
      <PageHeader title="Jobs" description="Certification jobs, newest first." actions={canEdit && <StartJobLink onStart={() => setStarting(true)} />} />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <MultiSelect label="Status" value={filter.status} onChange={(v) => void setFilter({ status: v.length ? v : null })} options={enumOptions(JobStatus)} />
        <MultiSelect
          label="Type"
          value={filter.type}
          onChange={(v) => void setFilter({ type: v.length ? v : null })}
          options={Object.entries(JOB_TYPE_LABEL).map(([value, label]) => ({ value, label }))}
        />
        <input
          key={filter.createdBy}
          type="search"
          aria-label="Started by (email)"
          placeholder="Started by (email)"
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          defaultValue={filter.createdBy}
          onBlur={(e) => void setFilter({ createdBy: e.target.value || null })}
          onKeyDown={(e) => e.key === "Enter" && void setFilter({ createdBy: e.currentTarget.value || null })}
        />
        {(filter.status.length > 0 || filter.type.length > 0 || filter.createdBy) && (
          <button type="button" className="text-sm text-sky-800 hover:underline dark:text-sky-300" onClick={() => void setFilter({ status: null, type: null, createdBy: null })}>
            Clear all
          </button>
        )}
      </div>
      {query.isLoading ? (
        <Loading label="Loading jobs" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : jobs.length === 0 ? (
        <EmptyState title="No jobs here yet">{canEdit ? "Start a certification to see it here." : "An admin starts certifications."}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
          <table className="w-full text-left text-sm" data-testid="jobs-table">
            <TableHead
              columns={["Job", "Status", "Progress", { label: "Passed", align: "right" }, { label: "Failed", align: "right" }, { label: "Not tried", align: "right" }, "Started by", "Created"]}
            />
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid="job-row">
                  <td className="px-3 py-2">
                    <Link href={`/jobs/${j.id}`} className="font-medium text-sky-800 hover:underline dark:text-sky-300">
                      {JOB_TYPE_LABEL[j.type] ?? j.type}
                    </Link>
                    <div className="text-xs text-slate-600 dark:text-slate-400">
                      {j.totalModels} pairs · {j.regions.length} Region{j.regions.length === 1 ? "" : "s"}
                    </div>
                  </td>
                  <td className="px-3 py-2">
                    <JobStatusBadge status={j.status} failureCount={j.failureCount} />
                  </td>
                  <td className="px-3 py-2">
                    <div className="flex items-center gap-2">
                      <ProgressBar job={j} />
                      <span className="w-10 text-right text-xs tabular-nums">{percentDone(j)}%</span>
                    </div>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{j.successCount}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{j.failureCount}</td>
                  <td className="px-3 py-2 text-right tabular-nums text-slate-600 dark:text-slate-400" title="Not offered, profile only, legacy or not certifiable: not tried, not failed">
                    {notTriedCount(j)}
                  </td>
                  <td className="px-3 py-2 text-xs">{j.createdBy ?? "–"}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{new Date(j.createdAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {query.hasNextPage && (
            <div className="border-t border-slate-200 p-2 text-center dark:border-slate-800">
              <Button size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </div>
      )}
      {canEdit && <StartJobDialog open={starting} onOpenChange={setStarting} />}
    </div>
  );
}
