"use client";
// The home page: the live matrix, its filters (in the URL), the legend, the
// exports of what is shown, a cell's detail, and (for admins) starting a job.
import { parseAsString, parseAsStringLiteral, useQueryState } from "nuqs";
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { StartJobDialog } from "@/components/jobs/start-job-dialog";
import { StartJobLink } from "@/components/jobs/start-job-link";
import { useCanEdit } from "@/components/layout/session-context";
import { EmptyState, PageHeader } from "@/components/ui/states";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { Grid } from "@/lib/certification/matrix-types";
import { CellDetail } from "./cell-detail";
import { apiQuery, useGridFilter } from "./filter-state";
import { gridView, indexCells, validFilter, type Column, type GridTotals, type Row } from "./grid-view";
import { Legend, SpeedLegend } from "./legend";
import { METRIC_KEYS, METRIC_LABEL, speedScales } from "./metric";
import { MatrixFilters } from "./matrix-filters";
import { MatrixGrid } from "./matrix-grid";
import { useLiveGrid } from "./use-live-grid";

// What the shown cells come to: offered pairs (passed, failed, pass rate) apart
// from the pairs not tried because of their availability.
function Totals({ totals: t }: { totals: GridTotals }) {
  const tried = t.passed + t.failed;
  const n = (x: number) => x.toLocaleString("en-US");
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="matrix-totals">
      <strong>Offered pairs tried:</strong> {n(t.passed)} passed, {n(t.failed)} failed{tried > 0 && ` (${Math.round((t.passed / tried) * 100)}%)`}
      {t.running > 0 && `, ${n(t.running)} running`}
      {t.waiting > 0 && `, ${n(t.waiting)} waiting`}
      <span className="mx-2 text-slate-400" aria-hidden>
        ·
      </span>
      <strong>Not tried:</strong> {n(t["not-offered"])} not offered, {n(t["profile-only"])} profile only, {n(t.legacy)} legacy, {n(t.unsupported)} not certifiable yet
      {t.uncertified > 0 && (
        <>
          <span className="mx-2 text-slate-400" aria-hidden>
            ·
          </span>
          {n(t.uncertified)} never certified
        </>
      )}
    </p>
  );
}

export function MatrixPage({ initialGrid, streamPosition, renderedAt }: { initialGrid: Grid; streamPosition: string | null; renderedAt: number }) {
  const canEdit = useCanEdit();
  const { grid, live } = useLiveGrid(initialGrid, streamPosition);
  const { filter: urlFilter, setState, clear, active } = useGridFilter();
  // Values the grid does not know (a mistyped or stale link) are left out and
  // said so, not shown as chips that match nothing.
  const { filter, rejected } = useMemo(() => validFilter(urlFilter, grid), [urlFilter, grid]);
  const deferredFilter = useDeferredValue(filter);
  const cells = useMemo(() => indexCells(grid), [grid]);
  // "Now" is the server's render time until hydrated (same text on both
  // sides), then moves with the data and the filter, in the same render (a
  // state set after each change would render every cell twice).
  const hydrated = useHydrated();
  // Recomputed when the data or the filter change, on purpose (not a dependency it reads).
  // eslint-disable-next-line react-hooks/exhaustive-deps, react-hooks/purity
  const now = useMemo(() => (hydrated ? Date.now() : renderedAt), [hydrated, renderedAt, grid, deferredFilter]);
  const view = useMemo(() => gridView(grid, cells, deferredFilter, now), [grid, cells, deferredFilter, now]);
  const [cellParam, setCellParam] = useQueryState("cell", parseAsString.withOptions({ history: "push" }));
  const [density, setDensity] = useQueryState("density", parseAsStringLiteral(["compact", "comfortable"] as const).withDefault("compact"));
  const [metric, setMetric] = useQueryState("metric", parseAsStringLiteral(METRIC_KEYS).withDefault("verdict"));
  const scales = useMemo(
    () =>
      metric === "verdict"
        ? null
        : speedScales(
            metric,
            view.groups.flatMap((g) => g.rows.map((r) => ({ ...r, cells: r.cells.filter((_, i) => r.matches[i]) }))),
          ),
    [metric, view],
  );
  const [starting, setStarting] = useState(false);
  // The dialog, filled in with the profile-only pairs a filtered answer left out.
  const [profilePreset, setProfilePreset] = useState<{ modelIds: string[]; regions: string[]; useInferenceProfiles: boolean } | null>(null);
  const openCell = useCallback((row: Row, column: Column) => void setCellParam(`${row.id}~${column.code}`), [setCellParam]);
  const open = useMemo(() => {
    if (!cellParam) return null;
    const [modelId, region] = cellParam.split("~");
    const mi = grid.models.findIndex((m) => m.id === modelId);
    const ri = grid.regions.findIndex((r) => r.code === region);
    return mi >= 0 && ri >= 0 ? { model: grid.models[mi]!, region: region!, availability: grid.models[mi]!.availability[ri] ?? "?" } : null;
  }, [cellParam, grid]);
  const query = apiQuery(filter);
  // The moment the grid answers clicks (hydrated): what bench:ui measures.
  useEffect(() => void performance.mark("matrix-interactive"), []);

  return (
    <div>
      <PageHeader
        title="Certification matrix"
        description={
          <>
            {view.rowCount} of {grid.models.length} models × {view.columns.length} of {grid.regions.length} Regions{" "}
            <span
              className={`ml-2 inline-flex items-center gap-1 ${live && view.totals.running + view.totals.waiting ? "text-emerald-800 dark:text-emerald-300" : "text-slate-600 dark:text-slate-400"}`}
              data-testid="live-status"
            >
              <span aria-hidden className={`h-2 w-2 rounded-full ${live ? (view.totals.running + view.totals.waiting ? "bg-emerald-600" : "bg-slate-400") : "bg-amber-500"}`} />
              {!live ? "Connecting…" : view.totals.running + view.totals.waiting ? `Live: ${view.totals.running} running, ${view.totals.waiting} waiting` : "Up to date"}
            </span>
          </>
        }
        actions={
          <>
            <a
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
              href={`/api/v1/export?format=csv${query ? `&${query}` : ""}`}
              download
              data-testid="export-csv"
            >
              Export CSV
            </a>
            <a
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
              href={`/api/v1/export?format=json${query ? `&${query}` : ""}`}
              download
              data-testid="export-json"
            >
              Export JSON
            </a>
            {canEdit && <StartJobLink onStart={() => setStarting(true)} />}
          </>
        }
      />
      <div className="mb-2 space-y-1.5">
        <MatrixFilters grid={grid} filter={filter} setState={setState} clear={clear} active={active} />
        {rejected.length > 0 && (
          <p
            role="alert"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            data-testid="filter-rejected"
          >
            Ignored in the link: {rejected.map((r) => `${r.key} “${r.value}”`).join(", ")} (not a known value).
          </p>
        )}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <div role="radiogroup" aria-label="Colour cells by" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-xs dark:border-slate-700" data-testid="metric-switch">
            {METRIC_KEYS.map((k) => (
              <button
                key={k}
                type="button"
                role="radio"
                aria-checked={metric === k}
                onClick={() => void setMetric(k === "verdict" ? null : k)}
                className={`px-2 py-0.5 ${metric === k ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : ""}`}
              >
                {METRIC_LABEL[k]}
              </button>
            ))}
          </div>
          <Totals totals={view.totals} />
          {view.leftOutProfileOnly.count > 0 && (
            <p className="basis-full text-xs text-violet-900 dark:text-violet-200" data-testid="left-out-profile-only">
              This answer leaves out {view.leftOutProfileOnly.count.toLocaleString("en-US")} pair{view.leftOutProfileOnly.count === 1 ? "" : "s"} reachable only through an inference profile (not
              certified unless through one).{" "}
              {canEdit && (
                <button
                  type="button"
                  className="underline"
                  onClick={() => setProfilePreset({ modelIds: view.leftOutProfileOnly.modelIds, regions: view.leftOutProfileOnly.regions, useInferenceProfiles: true })}
                  data-testid="certify-through-profiles"
                >
                  Certify them through profiles
                </button>
              )}
            </p>
          )}
          <button
            type="button"
            className="ml-auto text-xs text-sky-800 underline dark:text-sky-300"
            onClick={() => void setDensity(density === "compact" ? "comfortable" : null)}
            data-testid="density"
          >
            {density === "compact" ? "Larger cells" : "Compact cells"}
          </button>
        </div>
        {metric === "verdict" ? <Legend /> : <SpeedLegend scales={scales} metric={metric} />}
      </div>
      {grid.models.length === 0 || grid.regions.length === 0 ? (
        <EmptyState title="No models or Regions yet">
          Run <code>npm run db:seed</code> and <code>npm run catalog:sync</code>, or enable some on the Models and Regions pages.
        </EmptyState>
      ) : view.rowCount === 0 ? (
        <EmptyState title="Nothing matches these filters">
          <button type="button" className="text-sky-800 underline dark:text-sky-300" onClick={clear}>
            Clear all filters
          </button>
        </EmptyState>
      ) : (
        <MatrixGrid view={view} onOpenCell={openCell} now={now} density={density} scales={scales} />
      )}
      {open && <CellDetail model={open.model} region={open.region} availability={open.availability} onClose={() => void setCellParam(null)} />}
      {canEdit && <StartJobDialog open={starting} onOpenChange={setStarting} />}
      {canEdit && profilePreset && <StartJobDialog open onOpenChange={(open) => !open && setProfilePreset(null)} preset={profilePreset} />}
    </div>
  );
}
