import { describe, expect, it } from "vitest";
import { cellSpeeds } from "./cell-speeds";

describe("cellSpeeds", () => {
  it("takes the first latency test's measurements and the broken capabilities, sorted", () => {
    const results = {
      tests: [
        { name: "reachability", outcome: "passed" as const, metrics: { latencyMs: 900 } },
        { name: "latency", outcome: "passed" as const, metrics: { timeToFirstTokenMs: 410, tokensPerSecond: 88.5, p50LatencyMs: 650, maxLatencyMs: 1200 } },
        { name: "latency", outcome: "passed" as const, metrics: { p50LatencyMs: 1 } },
      ],
      capabilities: { streaming: "broken" as const, json_output: "broken" as const, tool_use: "certified" as const },
    };
    expect(cellSpeeds(results as never)).toEqual({ timeToFirstTokenMs: 410, tokensPerSecond: 88.5, latencyMs: 650, brokenCapabilities: "json_output,streaming" });
  });

  it("the slowest call when there is no median; nothing when there is no latency test or no results", () => {
    expect(cellSpeeds({ tests: [{ name: "latency", outcome: "passed", metrics: { maxLatencyMs: 300 } }] } as never)).toEqual({
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
      latencyMs: 300,
      brokenCapabilities: null,
    });
    expect(cellSpeeds({ tests: [] } as never)).toEqual({ timeToFirstTokenMs: null, tokensPerSecond: null, latencyMs: null, brokenCapabilities: null });
    expect(cellSpeeds(null)).toEqual({ timeToFirstTokenMs: null, tokensPerSecond: null, latencyMs: null, brokenCapabilities: null });
  });
});
