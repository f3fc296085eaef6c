import { useEffect, useMemo, useRef } from "react";

// A refresh driven by a stream of events: once more after the last event of a
// burst (trailingMs later), and, during a burst that does not stop — a big
// job's results arriving dozens a second — at least every maxWaitMs, so that
// what only a refresh brings (a new job's queued cells, what a pair found
// broken) is never held back until the stream pauses. A trailing debounce
// alone was reset by every event and waited for a lull.
export type BurstRefresh = { poke(): void; flush(): void; dispose(): void };

export function burstRefresh(refresh: () => void, options: { trailingMs: number; maxWaitMs: number }, now: () => number = Date.now): BurstRefresh {
  let trailing: ReturnType<typeof setTimeout> | undefined;
  let last = now();
  const run = () => {
    last = now();
    refresh();
  };
  return {
    poke() {
      // (The trailing one also follows a refresh made now: a read started
      // during a burst can land before events that were already on their way.)
      clearTimeout(trailing);
      trailing = setTimeout(run, options.trailingMs);
      if (now() - last >= options.maxWaitMs) run();
    },
    // An event that should show at once (a job started or ended): refresh
    // now, and once more after the burst it may start.
    flush() {
      clearTimeout(trailing);
      trailing = setTimeout(run, options.trailingMs);
      run();
    },
    dispose: () => clearTimeout(trailing),
  };
}

// One for as long as the component is mounted: `refresh` may change between
// renders (the latest is called); the timers are cleared on unmount.
export function useBurstRefresh(refresh: () => void, options: { trailingMs: number; maxWaitMs: number }): Pick<BurstRefresh, "poke" | "flush"> {
  const latest = useRef(refresh);
  const bursts = useRef<BurstRefresh | null>(null);
  useEffect(() => {
    latest.current = refresh;
  });
  const { trailingMs, maxWaitMs } = options;
  useEffect(() => {
    const created = burstRefresh(() => latest.current(), { trailingMs, maxWaitMs });
    bursts.current = created;
    return () => created.dispose();
  }, [trailingMs, maxWaitMs]);
  return useMemo(() => ({ poke: () => bursts.current?.poke(), flush: () => bursts.current?.flush() }), []);
}
