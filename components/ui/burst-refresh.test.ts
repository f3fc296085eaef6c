import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { burstRefresh } from "./burst-refresh";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("burstRefresh", () => {
  it("refreshes once after a burst ends", () => {
    const refresh = vi.fn();
    const r = burstRefresh(refresh, { trailingMs: 1_500, maxWaitMs: 5_000 });
    for (let i = 0; i < 5; i++) {
      r.poke();
      vi.advanceTimersByTime(100);
    }
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_500);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("during a burst that does not stop, refreshes at least every maxWaitMs, and once more after it", () => {
    const refresh = vi.fn();
    const r = burstRefresh(refresh, { trailingMs: 1_500, maxWaitMs: 5_000 });
    // 60 events a second for 12 s: a trailing debounce alone would never fire.
    for (let t = 0; t < 12_000; t += 17) {
      r.poke();
      vi.advanceTimersByTime(17);
    }
    expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(3);
    const during = refresh.mock.calls.length;
    vi.advanceTimersByTime(1_500);
    expect(refresh).toHaveBeenCalledTimes(during + 1);
  });

  it("flush refreshes at once, and once more after the burst", () => {
    const refresh = vi.fn();
    const r = burstRefresh(refresh, { trailingMs: 1_500, maxWaitMs: 5_000 });
    r.flush();
    expect(refresh).toHaveBeenCalledTimes(1);
    r.poke();
    vi.advanceTimersByTime(1_500);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("dispose cancels a pending refresh", () => {
    const refresh = vi.fn();
    const r = burstRefresh(refresh, { trailingMs: 1_500, maxWaitMs: 5_000 });
    r.poke();
    r.dispose();
    vi.advanceTimersByTime(10_000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
