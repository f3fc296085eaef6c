"use client";
// A job's pairs, a page at a time (50 rows whatever the job's size), with
// filters by verdict, Region, error category and text.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { healing } from "./job-heal";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState, Loading } from "@/components/ui/states";
import { TableHead } from "@/components/ui/table-head";
import { api } from "@/lib/client/api";
import type { JobPairRow } from "@/lib/certification/job-queries";
import { VERDICT_LOOK } from "./job-overview";
import { queryKeys } from "@/lib/client/query-keys";

export const PAGE_SIZE = 50;
export type PairFilter = { verdict: string; region: string; category: string; q: string; page: number };
export const NO_PAIR_FILTER: PairFilter = { verdict: "", region: "", category: "", q: "", page: 0 };
type Page = { pairs: (Omit<JobPairRow, "completedAt"> & { completedAt: string | null })[]; total: number };

function pairsUrl(jobId: string, f: PairFilter) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(f.page * PAGE_SIZE) });
  if (f.verdict) params.set("verdict", f.verdict);
  if (f.region) params.set("region", f.region);
  if (f.category) params.set("category", f.category);
  if (f.q.trim()) params.set("q", f.q.trim());
  return `/api/v1/jobs/${jobId}/pairs?${params}`;
}

const VERDICT_TEXT: Record<string, string> = {
  passed: "text-emerald-800 dark:text-emerald-300",
  failed: "text-red-700 dark:text-red-300",
};

export function JobPairsTable({ jobId, regions, filter, setFilter, onShown }: { jobId: string; regions: string[]; filter: PairFilter; setFilter: (f: PairFilter) => void; onShown?: () => void }) {
  const page = useQuery({ queryKey: [...queryKeys.jobPairs(jobId), filter], queryFn: () => api<Page>(pairsUrl(jobId, filter)), placeholderData: keepPreviousData, refetchInterval: healing });
  const shown = page.data !== undefined;
  useEffect(() => {
    if (shown) onShown?.();
  }, [shown, onShown]);
  const set = (patch: Partial<PairFilter>) => setFilter({ ...filter, page: 0, ...patch });
  const total = page.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const select = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
      <div className="flex flex-wrap items-end gap-2 border-b border-slate-200 p-2 text-sm dark:border-slate-800">
        <label className="flex flex-col text-xs">
          Verdict
          <select className={select} value={filter.verdict} onChange={(e) => set({ verdict: e.target.value })} data-testid="pairs-verdict">
            <option value="">Any</option>
            {VERDICT_LOOK.map((v) => (
              <option key={v.verdict} value={v.verdict}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs">
          Region
          <select className={select} value={filter.region} onChange={(e) => set({ region: e.target.value })} data-testid="pairs-region">
            <option value="">Any</option>
            {regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs">
          Model
          <input className={select} type="search" value={filter.q} placeholder="name or id" onChange={(e) => set({ q: e.target.value })} />
        </label>
        {filter.category && (
          <button
            type="button"
            className="rounded bg-red-100 px-2 py-1 font-mono text-xs text-red-900 dark:bg-red-950 dark:text-red-200"
            onClick={() => set({ category: "" })}
            title="Remove this filter"
          >
            {filter.category} ×
          </button>
        )}
        <span className="ml-auto text-xs text-slate-600 dark:text-slate-400" data-testid="pairs-total">
          {total} pair{total === 1 ? "" : "s"}
        </span>
      </div>
      {page.isLoading ? (
        <Loading label="Loading pairs" />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : (
        <table className="w-full text-left text-sm" data-testid="job-pairs">
          <TableHead variant="compact" columns={["Model", "Region", "Verdict", { label: "Score", align: "right" }, "Category"]} />
          <tbody>
            {page.data!.pairs.map((p) => (
              <tr key={p.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="pair" data-verdict={p.verdict} data-status={p.status}>
                <td className="px-2 py-1">{p.modelName}</td>
                <td className="px-2 py-1 font-mono text-xs">{p.region}</td>
                <td className={`px-2 py-1 ${VERDICT_TEXT[p.verdict] ?? ""}`}>{VERDICT_LOOK.find((v) => v.verdict === p.verdict)?.label ?? p.verdict}</td>
                <td className="px-2 py-1 text-right tabular-nums">{p.score == null ? "–" : Math.round(p.score)}</td>
                <td className="px-2 py-1 font-mono text-xs">{p.errorCategory ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav className="flex items-center justify-center gap-2 border-t border-slate-200 p-2 text-sm dark:border-slate-800" aria-label="Pages of pairs">
          <Button size="sm" disabled={filter.page === 0} onClick={() => setFilter({ ...filter, page: filter.page - 1 })}>
            Previous
          </Button>
          <span className="tabular-nums" data-testid="pairs-page">
            Page {filter.page + 1} of {pages}
          </span>
          <Button size="sm" disabled={filter.page >= pages - 1} onClick={() => setFilter({ ...filter, page: filter.page + 1 })}>
            Next
          </Button>
        </nav>
      )}
    </div>
  );
}
