"use client";
// The grid, kept live: every finished pair arrives on the matrix event stream
// (Server-Sent Events; EventSource reconnects with Last-Event-ID by itself)
// and is painted within PAINT_EVERY_MS, with the others that arrived meanwhile
// (./patch-grid.ts); a refetch then brings the rest (cells a new job queued,
// what a pair found broken, models enabled elsewhere).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useBurstRefresh } from "@/components/ui/burst-refresh";
import { useEventSource } from "@/components/ui/use-event-source";
import { api } from "@/lib/client/api";
import type { Grid } from "@/lib/certification/matrix-types";
import { queryKeys } from "@/lib/client/query-keys";
import { patchGrid, type PairEvent } from "./patch-grid";

const PAINT_EVERY_MS = 250;

// `readAt`: the event stream's position when `initial` was read (null: unknown).
export function useLiveGrid(initial: Grid, readAt: string | null) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.grid, queryFn: () => api<Grid>("/api/v1/matrix/grid"), initialData: initial, staleTime: 5_000, refetchOnWindowFocus: true });
  // The refetch: 1.5 s after a burst of events, and every 5 s while one lasts.
  const refetch = useBurstRefresh(() => void client.invalidateQueries({ queryKey: queryKeys.grid }), { trailingMs: 1_500, maxWaitMs: 5_000 });
  const refetchSoon = () => refetch.poke();
  const pending = useRef<PairEvent[]>([]);
  const paint = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(
    () => () => {
      clearTimeout(paint.current);
      paint.current = undefined;
    },
    [],
  );
  const paintSoon = () => {
    if (paint.current !== undefined) return;
    paint.current = setTimeout(() => {
      paint.current = undefined;
      const events = pending.current;
      pending.current = [];
      client.setQueryData<Grid>(queryKeys.grid, (grid) => (grid ? patchGrid(grid, events) : grid));
    }, PAINT_EVERY_MS);
  };
  const live = useEventSource("/api/v1/matrix/events", {
    pair: (event) => {
      pending.current.push(event as PairEvent);
      paintSoon();
      refetchSoon();
    },
    // A job started or ended: its queued cells, and the pairs it settled by
    // availability (which send no pair event), come with the refetch, at once.
    job: () => refetch.flush(),
    // The stream is live from here on. When it starts later than where it
    // stood as the grid was read, the grid can be older than the stream (cells
    // that finished while the page loaded send no event now): read it again.
    ready: (data) => {
      if (readAt === null || (data as { from?: string }).from !== readAt) refetchSoon();
    },
  });
  return { grid: query.data, live, refetch: query.refetch, isFetching: query.isFetching };
}
