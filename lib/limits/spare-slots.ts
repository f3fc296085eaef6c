import "server-only";
// The Region slots a running pair borrows for its own tests. A pair holds one
// slot while it certifies and makes one Bedrock call at a time on it; when the
// Region has slots that no pair is waiting for (the last round of a job, a
// quiet Region), the pair runs more of its tests at once, one more per idle
// slot it gets. Each borrowed slot is a lease like any other (renewed while
// held, freed by its expiry if the worker dies) and is given back as soon as
// its test ends, so a pair that starts waiting for the Region gets the next
// one. The Region's limit counts every slot: calls in flight never exceed it.
import type { RegionLimiter } from "./region-limiter";

export type SpareSlots = {
  // An idle slot of the pair's Region, or null (none idle, or the pair already
  // holds as many as it may): the function gives it back.
  borrow(): Promise<(() => Promise<void>) | null>;
  // Calls `listener` whenever a slot of the Region is given back and no pair
  // of this process waits for it; returns the way to stop.
  onChance(listener: () => void): () => void;
};

export type SpareSlotPool = SpareSlots & {
  // Gives back every slot still borrowed; no more are lent after.
  close(): Promise<void>;
  // Slot-milliseconds borrowed so far (the pair's own slot not counted).
  readonly borrowedMs: number;
};

// `most`: slots the pair may hold beside its own at once (PAIR_PARALLEL_TESTS − 1).
export function spareSlots(limiter: RegionLimiter, region: string, holder: string, leaseMs: number, most: number, onChange: (delta: 1 | -1) => void = () => {}): SpareSlotPool {
  const held = new Map<string, number>(); // id → when it was borrowed
  let asking = 0;
  let lent = 0;
  let borrowedMs = 0;
  let closed = false;
  let renew: NodeJS.Timeout | null = null;

  const giveBack = async (id: string) => {
    const since = held.get(id);
    if (since === undefined) return;
    held.delete(id);
    borrowedMs += performance.now() - since;
    onChange(-1);
    if (held.size === 0 && renew) {
      clearInterval(renew);
      renew = null;
    }
    await limiter.releaseSlot(region, id).catch(() => {});
  };

  return {
    async borrow() {
      if (closed || held.size + asking >= most) return null;
      const id = `${holder}+${++lent}`;
      asking++;
      const got = await limiter.tryIdleSlot(region, id).finally(() => asking--);
      if (!got) return null;
      if (closed) {
        await limiter.releaseSlot(region, id).catch(() => {});
        return null;
      }
      held.set(id, performance.now());
      onChange(1);
      renew ??= setInterval(() => {
        for (const h of held.keys()) void limiter.renewSlot(region, h).catch(() => {});
      }, leaseMs / 3);
      return () => giveBack(id);
    },
    onChance(listener) {
      return closed ? () => {} : limiter.onIdleSlot(region, listener);
    },
    async close() {
      closed = true;
      await Promise.all([...held.keys()].map(giveBack));
    },
    get borrowedMs() {
      return Math.round(borrowedMs);
    },
  };
}
