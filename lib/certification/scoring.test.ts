import { describe, expect, it } from "vitest";
import type { TestResult } from "./results";
import { scoreTests } from "./scoring";

const t = (name: string, outcome: TestResult["outcome"], extra: Partial<TestResult> = {}): TestResult => ({ name, outcome, latencyMs: 10, detail: "", ...extra });

describe("scoreTests", () => {
  it("scores 100 and EXCELLENT when every test passes", () => {
    expect(scoreTests([t("reachability", "passed"), t("exact_instruction", "passed"), t("json_output", "passed")], 70)).toEqual({ score: 100, passed: true, rating: "EXCELLENT", errorCategory: null });
  });

  it("does not count skipped tests either way", () => {
    const v = scoreTests([t("reachability", "passed"), t("tool_use", "skipped"), t("streaming", "skipped")], 70);
    expect(v).toMatchObject({ score: 100, passed: true });
  });

  it("weighs failed tests: 10+15 of 10+15+15 = 62.5, below the pass score", () => {
    const v = scoreTests([t("reachability", "passed"), t("exact_instruction", "passed"), t("json_output", "failed")], 70);
    expect(v).toEqual({ score: 62.5, passed: false, rating: "POOR", errorCategory: "WRONG_ANSWER" });
  });

  it("rates by score band when passed", () => {
    const tests = [t("reachability", "passed"), t("exact_instruction", "passed"), t("system_prompt", "passed"), t("two_turn", "passed"), t("json_output", "passed"), t("tool_use", "passed"), t("max_tokens", "failed")];
    expect(scoreTests(tests, 70)).toMatchObject({ score: 93.8, rating: "GOOD", passed: true });
    expect(scoreTests(tests, 95)).toMatchObject({ passed: false, rating: "POOR" });
  });

  it("an unreachable model scores 0, FAILED, with the reachability error", () => {
    const v = scoreTests([t("reachability", "error", { errorCategory: "ACCESS_DENIED" }), t("json_output", "skipped")], 70);
    expect(v).toEqual({ score: 0, passed: false, rating: "FAILED", errorCategory: "ACCESS_DENIED" });
  });

  it("an error in a later test names its category", () => {
    const v = scoreTests([t("reachability", "passed"), t("exact_instruction", "error", { errorCategory: "THROTTLED" }), t("json_output", "error", { errorCategory: "THROTTLED" })], 70);
    expect(v).toMatchObject({ passed: false, errorCategory: "THROTTLED" });
  });
});
