"use client";
// The grid, kept live: every finished pair arrives on the matrix event stream
// (Server-Sent Events; EventSource reconnects with Last-Event-ID by itself)
// and is painted at once; a debounced refetch then brings the rest (cells a
// new job queued, models enabled elsewhere).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useEventSource } from "@/components/ui/use-event-source";
import { api } from "@/lib/client/api";
import type { ProgressEvent } from "@/lib/certification/events";
import type { Grid, MatrixCell } from "@/lib/certification/matrix-types";
import { queryKeys } from "@/lib/client/query-keys";

// The stream's own event type (a type import: nothing server-side reaches the browser).
type PairEvent = Extract<ProgressEvent, { type: "pair" }>;

export function patchGrid(grid: Grid, e: PairEvent): Grid {
  const mi = grid.models.findIndex((m) => m.id === e.modelId);
  const ri = grid.regions.findIndex((r) => r.code === e.region);
  if (mi < 0 || ri < 0) return grid;
  // (What it found broken comes with the refetch that follows.)
  const tuple: MatrixCell = [mi, ri, e.status, e.passed, e.score, e.rating, e.errorCategory, e.at, e.availability ?? null, null];
  const at = grid.cells.findIndex((c) => c[0] === mi && c[1] === ri);
  const cells = at >= 0 ? grid.cells.map((c, i) => (i === at ? tuple : c)) : [...grid.cells, tuple];
  return { ...grid, cells };
}

export function useLiveGrid(initial: Grid) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.grid, queryFn: () => api<Grid>("/api/v1/matrix/grid"), initialData: initial, staleTime: 5_000, refetchOnWindowFocus: true });
  const refetch = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(refetch.current), []);
  const refetchSoon = () => {
    clearTimeout(refetch.current);
    refetch.current = setTimeout(() => void client.invalidateQueries({ queryKey: queryKeys.grid }), 1_500);
  };
  const live = useEventSource("/api/v1/matrix/events", {
    pair: (event) => {
      client.setQueryData<Grid>(queryKeys.grid, (grid) => (grid ? patchGrid(grid, event as PairEvent) : grid));
      refetchSoon();
    },
    // A job started or ended: its queued cells, and the pairs it settled by
    // availability (which send no pair event), come with the refetch.
    job: refetchSoon,
  });
  return { grid: query.data, live, refetch: query.refetch, isFetching: query.isFetching };
}
