"use client";
// The home page: the live matrix, its filters (in the URL), the legend, the
// exports of what is shown, a cell's detail, and (for admins) starting a job.
import { parseAsString, useQueryState } from "nuqs";
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { StartJobDialog } from "@/components/jobs/start-job-dialog";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/states";
import type { Grid } from "@/lib/certification/matrix-types";
import { CellDetail } from "./cell-detail";
import { apiQuery, useGridFilter } from "./filter-state";
import { gridView, indexCells, type Column, type Row } from "./grid-view";
import { Legend } from "./legend";
import { MatrixFilters } from "./matrix-filters";
import { MatrixGrid } from "./matrix-grid";
import { useLiveGrid } from "./use-live-grid";

export function MatrixPage({ initialGrid }: { initialGrid: Grid }) {
  const canEdit = useCanEdit();
  const { grid, live } = useLiveGrid(initialGrid);
  const { filter, setState, clear, active } = useGridFilter();
  const deferredFilter = useDeferredValue(filter);
  const cells = useMemo(() => indexCells(grid), [grid]);
  // "Now" moves with the data, so ages and staleness are stable between renders.
  const now = useMemo(() => Date.now(), [grid, deferredFilter]); // eslint-disable-line react-hooks/exhaustive-deps
  const view = useMemo(() => gridView(grid, cells, deferredFilter, now), [grid, cells, deferredFilter, now]);
  const [cellParam, setCellParam] = useQueryState("cell", parseAsString.withOptions({ history: "push" }));
  const [starting, setStarting] = useState(false);
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
            {view.rowCount} of {grid.models.length} models × {view.columns.length} of {grid.regions.length} Regions · {view.cellMatches} certifications shown{" "}
            <span className={`ml-2 inline-flex items-center gap-1 ${live ? "text-emerald-800 dark:text-emerald-300" : "text-slate-600 dark:text-slate-400"}`} data-testid="live-status">
              <span aria-hidden className={`h-2 w-2 rounded-full ${live ? "bg-emerald-600" : "bg-slate-400"}`} />
              {live ? "Live" : "Connecting…"}
            </span>
          </>
        }
        actions={
          <>
            <a className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800" href={`/api/v1/export?format=csv${query ? `&${query}` : ""}`} download data-testid="export-csv">
              Export CSV
            </a>
            <a className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800" href={`/api/v1/export?format=json${query ? `&${query}` : ""}`} download data-testid="export-json">
              Export JSON
            </a>
            {canEdit && (
              <Button variant="primary" onClick={() => setStarting(true)} data-testid="start-job">
                Start certification
              </Button>
            )}
          </>
        }
      />
      <div className="mb-3 space-y-3">
        <MatrixFilters grid={grid} filter={filter} setState={setState} clear={clear} active={active} />
        <Legend />
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
        <MatrixGrid grid={grid} view={view} onOpenCell={openCell} now={now} />
      )}
      {open && <CellDetail model={open.model} region={open.region} availability={open.availability} onClose={() => void setCellParam(null)} />}
      {canEdit && <StartJobDialog open={starting} onOpenChange={setStarting} />}
    </div>
  );
}
