"use client";

import { useEffect, useState } from "react";
import type { Grid } from "@/lib/certification/matrix-types";
import { enumOptions } from "@/components/ui/format";
import { MultiSelect } from "@/components/ui/multi-select";
import { CertificationRating, CertificationStatus } from "@/lib/generated/prisma/enums";
import type { GridFilter } from "./grid-view";
import type { useGridFilter } from "./filter-state";

const select = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function MatrixFilters({ grid, filter, setState, clear, active }: { grid: Grid; filter: GridFilter } & Pick<ReturnType<typeof useGridFilter>, "setState" | "clear" | "active">) {
  // Typing updates the URL a moment after the last key.
  const [q, setQ] = useState(filter.q);
  // The URL changed under it (back button, "clear"): take its text.
  const [urlQ, setUrlQ] = useState(filter.q);
  if (filter.q !== urlQ) {
    setUrlQ(filter.q);
    setQ(filter.q);
  }
  useEffect(() => {
    if (q === filter.q) return;
    const t = setTimeout(() => void setState({ q: q || null }), 150);
    return () => clearTimeout(t);
  }, [q, filter.q, setState]);
  const providers = [...new Set(grid.models.map((m) => m.provider))].sort();
  return (
    <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Filter the matrix">
      <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search models…" aria-label="Search models by name or id" className={`${select} w-52`} data-testid="filter-q" />
      <MultiSelect
        label="Region"
        testId="filter-region"
        searchable
        value={filter.region}
        onChange={(v) => void setState({ region: v.length ? v : null })}
        options={grid.regions.map((r) => ({ value: r.code, label: r.code, group: r.geography, hint: r.name }))}
      />
      <MultiSelect label="Status" testId="filter-status" value={filter.status} onChange={(v) => void setState({ status: v.length ? v : null })} options={enumOptions(CertificationStatus)} />
      <MultiSelect
        label="Provider"
        testId="filter-provider"
        searchable
        value={filter.provider}
        onChange={(v) => void setState({ provider: v.length ? v : null })}
        options={providers.map((p) => ({ value: p, label: p }))}
      />
      <MultiSelect label="Rating" testId="filter-rating" value={filter.rating} onChange={(v) => void setState({ rating: v.length ? v : null })} options={enumOptions(CertificationRating)} />
      <label className="text-sm">
        <span className="sr-only">Passed or failed</span>
        <select
          className={select}
          value={filter.passed === null ? "" : String(filter.passed)}
          onChange={(e) => void setState({ passed: (e.target.value || null) as "true" | "false" | null })}
          data-testid="filter-passed"
        >
          <option value="">Passed or failed</option>
          <option value="true">Passed</option>
          <option value="false">Failed</option>
        </select>
      </label>
      <label className="text-sm">
        <span className="sr-only">Staleness</span>
        <select className={select} value={filter.staleDays ?? ""} onChange={(e) => void setState({ stale: e.target.value ? Number(e.target.value) : null })} data-testid="filter-stale">
          <option value="">Any age</option>
          <option value="1">Older than a day</option>
          <option value="7">Older than a week</option>
          <option value="30">Older than 30 days</option>
          <option value="90">Older than 90 days</option>
        </select>
      </label>
      {active && (
        <button type="button" onClick={clear} className="rounded-md px-2 py-1.5 text-sm text-sky-800 hover:underline dark:text-sky-300" data-testid="filter-clear">
          Clear all
        </button>
      )}
    </div>
  );
}
