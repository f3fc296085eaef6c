// Finished pairs painted into the grid as they arrive from the event stream.
// A big job sends dozens a second: they are applied in batches, one pass over
// the grid's cells per batch (a 24,000-cell grid patched and re-rendered once
// per event kept the main thread in long tasks a fifth of the time at 60
// events a second: bench:ui).
import type { ProgressEvent } from "@/lib/certification/events";
import type { Grid, MatrixCell } from "@/lib/certification/matrix-types";

// The stream's own event type (a type import: nothing server-side reaches the browser).
export type PairEvent = Extract<ProgressEvent, { type: "pair" }>;

// The grid with each event's cell replaced (or added); of several events for
// one cell, the last wins. Events for models or Regions the grid does not show
// are skipped. What a pair found broken comes with the refetch that follows.
export function patchGrid(grid: Grid, events: PairEvent[]): Grid {
  const modelAt = new Map(grid.models.map((m, i) => [m.id, i]));
  const regionAt = new Map(grid.regions.map((r, i) => [r.code, i]));
  const width = grid.regions.length;
  const updates = new Map<number, MatrixCell>();
  for (const e of events) {
    const mi = modelAt.get(e.modelId);
    const ri = regionAt.get(e.region);
    if (mi === undefined || ri === undefined) continue;
    updates.set(mi * width + ri, [mi, ri, e.status, e.passed, e.score, e.rating, e.errorCategory, e.at, e.availability ?? null, null]);
  }
  if (updates.size === 0) return grid;
  const cells = grid.cells.map((c) => {
    const key = c[0] * width + c[1];
    const update = updates.get(key);
    if (!update) return c;
    updates.delete(key);
    return update;
  });
  cells.push(...updates.values());
  return { ...grid, cells };
}
