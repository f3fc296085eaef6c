"use client";
// A job at a glance whatever its size: one strip per Region (pairs by
// verdict) and the failures grouped by error category, each with its advice
// and first examples. Bounded: at most one row per Region and five examples
// per category, so a 4,000-pair job draws as few nodes as a 4-pair one.
import { ERROR_CATEGORIES } from "@/lib/bedrock/error-categories";
import type { JobFailureGroup, JobRegionProgress } from "@/lib/certification/job-queries";
import type { CellVerdict } from "@/lib/certification/verdict";
import type { ErrorCategory } from "@/lib/generated/prisma/enums";

// Verdicts in the order the strips draw them, with their colours and names.
export const VERDICT_LOOK: { verdict: CellVerdict; label: string; className: string }[] = [
  { verdict: "passed", label: "Passed", className: "bg-emerald-600" },
  { verdict: "failed", label: "Failed", className: "bg-red-600" },
  { verdict: "running", label: "Running", className: "bg-sky-600" },
  { verdict: "waiting", label: "Waiting", className: "bg-sky-200 dark:bg-sky-900" },
  { verdict: "pending", label: "Not queued (paused)", className: "bg-slate-300 dark:bg-slate-600" },
  { verdict: "profile-only", label: "Profile only", className: "bg-violet-300 dark:bg-violet-800" },
  { verdict: "legacy", label: "Legacy", className: "bg-stone-400 dark:bg-stone-600" },
  { verdict: "unsupported", label: "Not certifiable yet", className: "bg-slate-400 dark:bg-slate-500" },
  { verdict: "not-offered", label: "Not offered", className: "bg-slate-200 dark:bg-slate-700" },
  { verdict: "cancelled", label: "Cancelled", className: "bg-slate-500" },
];

export function RegionStrips({ regions, onPick }: { regions: JobRegionProgress[]; onPick: (region: string) => void }) {
  return (
    <div>
      <ul className="mb-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700 dark:text-slate-300" aria-label="Legend">
        {VERDICT_LOOK.map((v) => (
          <li key={v.verdict} className="flex items-center gap-1">
            <span aria-hidden className={`inline-block h-2.5 w-4 rounded-sm ${v.className}`} />
            {v.label}
          </li>
        ))}
      </ul>
      <table className="w-full text-xs" data-testid="region-strips">
        <thead className="sr-only">
          <tr>
            <th scope="col">Region</th>
            <th scope="col">Pairs by verdict</th>
            <th scope="col">Passed of tried</th>
          </tr>
        </thead>
        <tbody>
          {regions.map((r) => {
            const total = VERDICT_LOOK.reduce((n, v) => n + r[v.verdict], 0);
            const tried = r.passed + r.failed;
            const summary = VERDICT_LOOK.filter((v) => r[v.verdict] > 0)
              .map((v) => `${r[v.verdict]} ${v.label.toLowerCase()}`)
              .join(", ");
            return (
              <tr key={r.region} data-testid={`region-strip-${r.region}`}>
                <th scope="row" className="w-32 py-0.5 pr-2 text-left font-mono font-normal">
                  <button type="button" className="hover:underline" onClick={() => onPick(r.region)} title={`List the pairs in ${r.region}`}>
                    {r.region}
                  </button>
                </th>
                <td className="py-0.5">
                  <div className="flex h-3 w-full overflow-hidden rounded-sm bg-slate-100 dark:bg-slate-800" role="img" aria-label={`${r.region}: ${summary}`} title={summary}>
                    {VERDICT_LOOK.map((v) => (r[v.verdict] > 0 ? <div key={v.verdict} className={v.className} style={{ width: `${(r[v.verdict] / total) * 100}%` }} /> : null))}
                  </div>
                </td>
                <td className="w-28 py-0.5 pl-2 text-right tabular-nums text-slate-700 dark:text-slate-300" data-testid="region-pass">
                  {tried ? `${r.passed}/${tried} passed` : "none tried"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function FailureGroups({ groups, onShowAll }: { groups: JobFailureGroup[]; onShowAll: (category: string) => void }) {
  return (
    <ul className="space-y-2" data-testid="failure-groups">
      {groups.map((g) => {
        const info = ERROR_CATEGORIES[g.category as ErrorCategory];
        return (
          <li key={g.category} className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950" data-testid={`failure-group-${g.category}`}>
            <details open={groups.length <= 3}>
              <summary className="flex cursor-pointer flex-wrap items-center gap-2 p-3 text-sm">
                <strong>{info?.label ?? g.category}</strong>
                <span className="rounded bg-red-100 px-1.5 py-0.5 font-mono text-xs text-red-900 dark:bg-red-950 dark:text-red-200">{g.category}</span>
                <span className="tabular-nums text-slate-700 dark:text-slate-300" data-testid="failure-count">
                  {g.count} pair{g.count === 1 ? "" : "s"}
                </span>
              </summary>
              <div className="border-t border-slate-100 px-3 pb-3 text-sm dark:border-slate-800">
                <ul className="mt-2 space-y-1">
                  {g.examples.map((e) => (
                    <li key={`${e.bedrockModelId}|${e.region}`}>
                      <strong>{e.modelName}</strong> <span className="font-mono text-xs">{e.region}</span>
                      {e.errorMessage && <p className="text-xs text-slate-700 dark:text-slate-300">{e.errorMessage}</p>}
                    </li>
                  ))}
                </ul>
                {g.count > g.examples.length && (
                  <button type="button" className="mt-2 text-xs text-sky-800 underline dark:text-sky-300" onClick={() => onShowAll(g.category)}>
                    List all {g.count} in the pairs below
                  </button>
                )}
              </div>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
