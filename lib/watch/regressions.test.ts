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

  it("finds latency and time to first token above the factor of the recent p95, with three earlier runs", () => {
    const history = [run({ latencyMs: 400 }), run({ latencyMs: 500 }), run({ latencyMs: 450, timeToFirstTokenMs: 250 })];
    expect(findRegressions(run({ latencyMs: 1001 }), history, t).map((x) => x.kind)).toEqual(["latency"]);
    expect(findRegressions(run({ latencyMs: 999 }), history, t)).toEqual([]);
    expect(findRegressions(run({ timeToFirstTokenMs: 600 }), history, t).map((x) => x.kind)).toEqual(["timeToFirstToken"]);
    // Two earlier runs are not enough to call anything slow.
    expect(findRegressions(run({ latencyMs: 5000 }), history.slice(0, 2), t)).toEqual([]);
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
