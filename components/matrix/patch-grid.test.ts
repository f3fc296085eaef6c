import { describe, expect, it } from "vitest";
import type { Grid } from "@/lib/certification/matrix-types";
import { counters } from "../../tests/helpers/events";
import { patchGrid, type PairEvent } from "./patch-grid";

const grid: Grid = {
  regions: [
    { code: "eu-west-1", name: "Ireland", geography: "Europe" },
    { code: "us-east-1", name: "N. Virginia", geography: "North America" },
  ],
  models: [
    { id: "a", bedrockModelId: "amazon.titan-embed-text-v2:0", name: "Titan Embed", provider: "Amazon", legacy: false, outputModalities: ["Text"], availability: "II" },
    { id: "b", bedrockModelId: "anthropic.claude-3-5-sonnet", name: "Claude Sonnet", provider: "Anthropic", legacy: false, outputModalities: ["Text"], availability: "PI" },
  ],
  cells: [
    [0, 0, "COMPLETED", true, 95, "EXCELLENT", null, "2026-11-01T00:00:00Z", "IN_REGION", "streaming"],
    [0, 1, "PROCESSING", null, null, null, null, null, "IN_REGION", null],
    [1, 1, "COMPLETED", true, 80, "GOOD", null, "2026-11-02T00:00:00Z", "IN_REGION", null],
  ],
};

const event = (modelId: string, region: string, status: string, passed: boolean | null, at: string): PairEvent => ({
  type: "pair",
  jobId: "j",
  pairId: `${modelId}|${region}|${at}`,
  modelId,
  region,
  status,
  passed,
  score: passed ? 90 : passed === false ? 10 : null,
  rating: passed ? "GOOD" : passed === false ? "FAILED" : null,
  errorCategory: passed === false ? "WRONG_ANSWER" : null,
  availability: "IN_REGION",
  job: counters({ totalModels: 4, processedModels: 1, successCount: 1 }),
  at,
});

describe("patchGrid", () => {
  it("applies a batch in one pass: a cell replaced, a new one added, the last event for a cell wins, the rest untouched", () => {
    const patched = patchGrid(grid, [
      event("a", "us-east-1", "FAILED", false, "2026-12-01T00:00:01Z"),
      event("b", "eu-west-1", "COMPLETED", true, "2026-12-01T00:00:02Z"),
      event("a", "us-east-1", "COMPLETED", true, "2026-12-01T00:00:03Z"),
    ]);
    expect(patched.cells).toHaveLength(4);
    expect(patched.cells[0]).toBe(grid.cells[0]);
    expect(patched.cells[2]).toBe(grid.cells[2]);
    expect(patched.cells[1]).toEqual([0, 1, "COMPLETED", true, 90, "GOOD", null, "2026-12-01T00:00:03Z", "IN_REGION", null]);
    expect(patched.cells[3]).toEqual([1, 0, "COMPLETED", true, 90, "GOOD", null, "2026-12-01T00:00:02Z", "IN_REGION", null]);
    expect(grid.cells).toHaveLength(3); // the cached grid itself is not changed
  });

  it("skips models and Regions the grid does not show; nothing to apply keeps the grid as it is", () => {
    const events = [event("z", "us-east-1", "FAILED", false, "2026-12-01T00:00:01Z"), event("a", "ap-south-1", "FAILED", false, "2026-12-01T00:00:01Z")];
    expect(patchGrid(grid, events)).toBe(grid);
    expect(patchGrid(grid, [])).toBe(grid);
  });
});
