import { describe, expect, it } from "vitest";
import { findRegressions, p95, type RunFacts } from "./regressions";

const t = { scoreDrop: 15, latencyFactor: 2 };
const run = (over: Partial<RunFacts> = {}): RunFacts => ({ passed: true, score: 90, rating: "EXCELLENT", errorCategory: null, latencyMs: 400, timeToFirstTokenMs: 200, ...over });

describe("regressions against a cell's own history", () => {
  it("finds passed → failed, and only that for a failure", () => {
    const r = findRegressions(run({ passed: false, score: 10, rating: "FAILED", errorCategory: "WRONG_ANSWER", latencyMs: 9000 }), [run(), run(), run()], t);
    expect(r.map((x) => x.kind)).toEqual(["failed"]);
    expect(r[0]!.reason).toContain("WRONG_ANSWER");
  });

  it("finds a lower rating and a score drop at the threshold, not below it", () => {
    expect(findRegressions(run({ score: 75, rating: "GOOD" }), [run()], t).map((x) => x.kind)).toEqual(["rating", "score"]);
    expect(findRegressions(run({ score: 76 }), [run()], t)).toEqual([]);
  });

  it("finds latency and time to first token slow twice in a row: above the factor and the margin of the recent p95", () => {
    const base = [run({ latencyMs: 400 }), run({ latencyMs: 500 }), run({ latencyMs: 450, timeToFirstTokenMs: 250 })];
    const history = [run({ latencyMs: 2_600, timeToFirstTokenMs: 1_400 }), ...base];
    expect(findRegressions(run({ latencyMs: 2_600 }), history, t).map((x) => x.kind)).toEqual(["latency"]);
    expect(findRegressions(run({ timeToFirstTokenMs: 1_400 }), history, t).map((x) => x.kind)).toEqual(["timeToFirstToken"]);
    // Once is not enough: the run before was fast.
    expect(findRegressions(run({ latencyMs: 5_000 }), base, t)).toEqual([]);
    // Twice the p95 but within the margin (a 630 ms call on a 307 ms p95): noise.
    const fast = [run({ latencyMs: 640 }), ...[300, 307, 290].map((ms) => run({ latencyMs: ms }))];
    expect(findRegressions(run({ latencyMs: 630 }), fast, t)).toEqual([]);
    // Three earlier runs at least behind each of the two.
    expect(findRegressions(run({ latencyMs: 5_000 }), history.slice(0, 3), t)).toEqual([]);
  });

  it("a noisy history with no fault raises no regression; a real slowdown is raised on its second run", () => {
    // A deterministic noisy model: ~300 ms with 15 % jitter and one call in ten twice as slow.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const noisy = () => run({ latencyMs: 300 * (0.85 + 0.3 * random()) * (random() < 0.1 ? 2.1 : 1), timeToFirstTokenMs: 150 * (0.8 + 0.4 * random()) * (random() < 0.1 ? 2.2 : 1) });
    const history: RunFacts[] = [];
    let alarms = 0;
    for (let i = 0; i < 2_000; i++) {
      const current = noisy();
      alarms += findRegressions(current, history.slice(0, 10), t).length;
      history.unshift(current);
    }
    expect(alarms).toBe(0);
    // Then the model slows to 3 s for good: the second slow run is the alarm.
    const slow = () => run({ latencyMs: 3_000 });
    expect(findRegressions(slow(), history.slice(0, 10), t)).toEqual([]);
    history.unshift(slow());
    expect(findRegressions(slow(), history.slice(0, 10), t).map((x) => x.kind)).toEqual(["latency"]);
  });

  it("sees nothing in a first run, a run that tried nothing, or a failure after a failure", () => {
    expect(findRegressions(run(), [], t)).toEqual([]);
    expect(findRegressions(run({ passed: null }), [run()], t)).toEqual([]);
    expect(findRegressions(run({ passed: false }), [run({ passed: false })], t)).toEqual([]);
  });

  it("p95 is the value at the 95th percentile", () => {
    expect(p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])).toBe(19);
    expect(p95([])).toBeNull();
  });
});
