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
    const tests = [
      t("reachability", "passed"),
      t("exact_instruction", "passed"),
      t("system_prompt", "passed"),
      t("two_turn", "passed"),
      t("json_output", "passed"),
      t("tool_use", "passed"),
      t("latency", "failed"),
    ];
    expect(scoreTests(tests, 70)).toMatchObject({ score: 93.8, rating: "GOOD", passed: true });
    const slower = [...tests.slice(0, -1), t("usage", "failed"), t("latency", "failed")];
    expect(scoreTests(slower, 70)).toMatchObject({ score: 88.2, rating: "GOOD", passed: true });
    expect(scoreTests(tests, 96)).toMatchObject({ passed: false, rating: "POOR" });
  });

  it("a broken capability caps a passed pair at FAIR, however high its score", () => {
    const all = ["exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "usage", "latency"].map((n) => t(n, "passed"));
    for (const broken of ["streaming", "json_output", "tool_use", "two_turn", "system_prompt"]) {
      const tests = [t("reachability", "passed"), ...all.filter((x) => x.name !== broken), t(broken, "failed"), ...(broken === "streaming" ? [] : [t("streaming", "passed")])];
      const v = scoreTests(tests, 70);
      expect(v.passed, broken).toBe(true);
      expect(v.score, broken).toBeGreaterThanOrEqual(85);
      expect(v.rating, broken).toBe("FAIR");
    }
    // An error of the model (a stream that fails mid-way) breaks it too; throttling does not.
    expect(
      scoreTests(
        [t("reachability", "passed"), t("exact_instruction", "passed"), ...Array.from({ length: 6 }, () => t("json_output", "passed")), t("streaming", "error", { errorCategory: "MODEL_ERROR" })],
        70,
      ).rating,
    ).toBe("FAIR");
  });

  it("a pair whose primary capability is broken has not passed, whatever its score", () => {
    const rest = ["system_prompt", "two_turn", "json_output", "tool_use", "streaming", "usage", "latency"].map((n) => t(n, "passed"));
    // Text: the exact instruction failed (text broken), everything else right.
    const text = scoreTests([t("reachability", "passed"), t("exact_instruction", "failed"), t("max_tokens", "passed"), ...rest], 70);
    expect(text).toMatchObject({ passed: false, rating: "POOR", errorCategory: "WRONG_ANSWER" });
    expect(text.score).toBeGreaterThan(80);
    // Embeddings: a vector that is not finite.
    const embedding = scoreTests([t("reachability", "passed"), t("dimension", "passed"), t("vector_sanity", "failed"), t("determinism", "passed"), t("latency", "passed")], 60);
    expect(embedding.passed).toBe(false);
  });

  it("a capability whose every try met a service or network error is broken; throttling past the budget is not tried", () => {
    const right = ["exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "usage", "latency"].map((n) => t(n, "passed"));
    for (const category of ["SERVICE_UNAVAILABLE", "NETWORK", "TIMEOUT", "MALFORMED_RESPONSE"] as const) {
      const v = scoreTests([t("reachability", "passed"), ...right, t("streaming", "error", { errorCategory: category })], 70);
      expect({ category, rating: v.rating }).toEqual({ category, rating: "FAIR" });
    }
    const throttled = scoreTests([t("reachability", "passed"), ...right, t("streaming", "error", { errorCategory: "THROTTLED" })], 70);
    expect(throttled.rating).toBe("GOOD");
  });

  it("slow caps at FAIR; unverified keeps it below EXCELLENT", () => {
    const all = ["reachability", "exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "streaming", "usage", "latency"].map((n) => t(n, "passed"));
    expect(scoreTests(all, 70, undefined, { slow: true })).toMatchObject({ passed: true, rating: "FAIR", score: 100 });
    expect(scoreTests(all, 70, undefined, { unverified: true })).toMatchObject({ passed: true, rating: "GOOD" });
    expect(scoreTests(all, 70).rating).toBe("EXCELLENT");
  });

  it("EXCELLENT only when every check came out right: a failed latency or usage test keeps a 96 at GOOD", () => {
    const right = ["exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "streaming", "usage"].map((n) => t(n, "passed"));
    expect(scoreTests([t("reachability", "passed"), ...right, t("latency", "passed")], 70).rating).toBe("EXCELLENT");
    const slow = scoreTests([t("reachability", "passed"), ...right, t("latency", "failed")], 70);
    expect(slow.score).toBeGreaterThanOrEqual(95);
    expect(slow.rating).toBe("GOOD");
  });

  it("a wrong answer to the reachability nonce: reached, not passed", () => {
    const v = scoreTests([t("reachability", "failed"), t("exact_instruction", "passed"), t("json_output", "passed")], 10);
    expect(v).toMatchObject({ passed: false, rating: "POOR", errorCategory: "WRONG_ANSWER" });
    expect(v.score).toBeGreaterThan(0);
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
