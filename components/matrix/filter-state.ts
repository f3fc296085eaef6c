"use client";
// The matrix filter lives in the URL (nuqs), so a filtered view can be shared
// and survives a reload. The keys are the API's filter keys, so the same query
// string drives the exports.
import { parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useMemo } from "react";
import { EMPTY_FILTER, type GridFilter } from "./grid-view";

const list = parseAsArrayOf(parseAsString, ",").withDefault([]);

export const filterParsers = {
  region: list,
  status: list,
  provider: list,
  rating: list,
  passed: parseAsStringLiteral(["true", "false"] as const),
  stale: parseAsInteger,
  q: parseAsString.withDefault(""),
};

export function useGridFilter() {
  const [state, setState] = useQueryStates(filterParsers, { history: "replace" });
  const filter: GridFilter = useMemo(
    () => ({
      region: state.region,
      status: state.status,
      provider: state.provider,
      rating: state.rating,
      passed: state.passed === null ? null : state.passed === "true",
      staleDays: state.stale,
      q: state.q,
    }),
    [state],
  );
  const clear = () => setState({ region: null, status: null, provider: null, rating: null, passed: null, stale: null, q: null });
  const active = JSON.stringify(filter) !== JSON.stringify(EMPTY_FILTER);
  return { filter, setState, clear, active };
}

// The filter as the API's query string (exports).
export function apiQuery(f: GridFilter, now = Date.now()): string {
  const p = new URLSearchParams();
  if (f.region.length) p.set("region", f.region.join(","));
  if (f.status.length) p.set("status", f.status.join(","));
  if (f.provider.length) p.set("provider", f.provider.join(","));
  if (f.rating.length) p.set("rating", f.rating.join(","));
  if (f.passed !== null) p.set("passed", String(f.passed));
  if (f.staleDays !== null) p.set("staleSince", new Date(now - f.staleDays * 86_400_000).toISOString());
  if (f.q.trim()) p.set("q", f.q.trim());
  return p.toString();
}
