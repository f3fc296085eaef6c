import { describe, expect, it } from "vitest";
import type { Grid } from "@/lib/certification/matrix-types";
import { cellTone, describeCell, EMPTY_FILTER, gridView, indexCells, validFilter } from "./grid-view";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

const grid: Grid = {
  regions: [
    { code: "ap-northeast-1", name: "Tokyo", geography: "Asia Pacific" },
    { code: "eu-west-1", name: "Ireland", geography: "Europe" },
    { code: "us-east-1", name: "N. Virginia", geography: "North America" },
  ],
  models: [
    { id: "a", bedrockModelId: "amazon.titan-embed-text-v2:0", name: "Titan Embed", provider: "Amazon", legacy: false, outputModalities: ["Text"], availability: "NII" },
    { id: "b", bedrockModelId: "anthropic.claude-3-5-sonnet", name: "Claude Sonnet", provider: "Anthropic", legacy: false, outputModalities: ["Text"], availability: "PII" },
    { id: "c", bedrockModelId: "anthropic.claude-3-haiku", name: "Claude Haiku", provider: "Anthropic", legacy: true, outputModalities: ["Text"], availability: "?I?" },
  ],
  cells: [
    [0, 1, "COMPLETED", true, 95, "EXCELLENT", null, daysAgo(1), "IN_REGION", null],
    [0, 2, "FAILED", false, 20, "FAILED", "ACCESS_DENIED", daysAgo(40), "IN_REGION", null],
    [1, 2, "COMPLETED", true, 80, "GOOD", null, daysAgo(3), "IN_REGION", null],
    [2, 1, "PROCESSING", null, null, null, null, null, null, null],
  ],
};
const cells = indexCells(grid);

describe("gridView", () => {
  it("without a filter: every Region by geography, every model by provider, pass rates", () => {
    const v = gridView(grid, cells, EMPTY_FILTER, NOW);
    expect(v.columns.map((c) => c.code)).toEqual(["ap-northeast-1", "eu-west-1", "us-east-1"]);
    expect(v.geographies).toEqual([
      { geography: "Asia Pacific", span: 1 },
      { geography: "Europe", span: 1 },
      { geography: "North America", span: 1 },
    ]);
    expect(v.groups.map((g) => [g.provider, g.rows.map((r) => r.id)])).toEqual([
      ["Amazon", ["a"]],
      ["Anthropic", ["b", "c"]],
    ]);
    expect(v.groups[0]!.rows[0]!.passRate).toBe(50);
    expect(v.columns.map((c) => c.passRate)).toEqual([null, 100, 50]);
    expect(v.rowCount).toBe(3);
    expect(v.cellMatches).toBe(4);
  });

  it("Regions pick columns; status, rating, passed and staleness pick cells and hide rows with none", () => {
    const failed = gridView(grid, cells, { ...EMPTY_FILTER, passed: false }, NOW);
    expect(failed.groups.flatMap((g) => g.rows.map((r) => r.id))).toEqual(["a"]);
    expect(failed.groups[0]!.rows[0]!.matches).toEqual([false, false, true]);
    expect(failed.columns.map((c) => c.passRate)).toEqual([null, null, 0]);

    const euRunning = gridView(grid, cells, { ...EMPTY_FILTER, region: ["eu-west-1"], status: ["PROCESSING"] }, NOW);
    expect(euRunning.columns.map((c) => c.code)).toEqual(["eu-west-1"]);
    expect(euRunning.groups.flatMap((g) => g.rows.map((r) => r.id))).toEqual(["c"]);

    const stale = gridView(grid, cells, { ...EMPTY_FILTER, staleDays: 30 }, NOW);
    // 40 days old, and the one that never finished.
    expect(stale.cellMatches).toBe(2);
    expect(gridView(grid, cells, { ...EMPTY_FILTER, rating: ["GOOD"] }, NOW).groups.flatMap((g) => g.rows.map((r) => r.id))).toEqual(["b"]);
  });

  it("provider and text pick rows, case-insensitively, by name or Bedrock id", () => {
    expect(gridView(grid, cells, { ...EMPTY_FILTER, provider: ["anthropic"] }, NOW).rowCount).toBe(2);
    expect(gridView(grid, cells, { ...EMPTY_FILTER, q: "HAIKU" }, NOW).groups[0]!.rows.map((r) => r.id)).toEqual(["c"]);
    expect(gridView(grid, cells, { ...EMPTY_FILTER, q: "titan-embed" }, NOW).rowCount).toBe(1);
    expect(gridView(grid, cells, { ...EMPTY_FILTER, q: "nothing like it" }, NOW).rowCount).toBe(0);
  });
});

describe("what a filtered answer leaves out", () => {
  it("counts the profile-only pairs a cell filter hides, and names them for a job through profiles", () => {
    // "What passed?": Claude Sonnet is profile only in ap-northeast-1, never certified.
    const passed = gridView(grid, cells, { ...EMPTY_FILTER, passed: true }, NOW);
    expect(passed.leftOutProfileOnly).toEqual({ count: 1, modelIds: ["anthropic.claude-3-5-sonnet"], regions: ["ap-northeast-1"] });
    // Without a cell filter nothing is left out (the cell is shown, as profile only).
    expect(gridView(grid, cells, EMPTY_FILTER, NOW).leftOutProfileOnly.count).toBe(0);
    // Only the Regions shown count.
    expect(gridView(grid, cells, { ...EMPTY_FILTER, passed: true, region: ["us-east-1"] }, NOW).leftOutProfileOnly.count).toBe(0);
  });
});

describe("cells", () => {
  it("tone by status and rating, or by availability when never certified", () => {
    expect(cellTone(cells[0]![1]!, "I")).toBe("excellent");
    expect(cellTone(cells[0]![2]!, "I")).toBe("failed");
    expect(cellTone(cells[2]![1]!, "I")).toBe("running");
    // Waiting in the queue is its own look, not "running".
    expect(cellTone({ ...cells[2]![1]!, status: "QUEUED" }, "I")).toBe("waiting");
    expect([cellTone(null, "I"), cellTone(null, "P"), cellTone(null, "N"), cellTone(null, "?")]).toEqual(["uncertified", "profile", "unavailable", "unknown"]);
  });
  it("say what they show, for tooltips and screen readers", () => {
    expect(describeCell({ name: "Titan Embed" }, { code: "us-east-1" }, cells[0]![2]!, "I", NOW)).toBe("Titan Embed in us-east-1: Failed, score 20, certified 40 days ago, error ACCESS_DENIED");
    expect(describeCell({ name: "Titan Embed" }, { code: "ap-northeast-1" }, null, "N", NOW)).toBe("Titan Embed in ap-northeast-1: Not offered in the Region");
    // A pair settled by its availability was never certified, and says so.
    const settled = { ...cells[0]![1]!, status: "COMPLETED", passed: null, score: null, rating: null, availability: "PROFILE_ONLY", errorCategory: "INFERENCE_PROFILE_REQUIRED" };
    const text = describeCell({ name: "Titan Embed" }, { code: "eu-west-1" }, settled, "P", NOW);
    expect(text).toMatch(/^Titan Embed in eu-west-1: Inference profile only, not tried, checked /);
    expect(text).not.toMatch(/certified|error/);
  });
});

describe("availability verdicts", () => {
  // One model in four Regions: passed, failed, and two pairs never tried.
  const g: Grid = {
    regions: ["r-a", "r-b", "r-c", "r-d"].map((code) => ({ code, name: code, geography: "X" })),
    models: [{ id: "m", bedrockModelId: "vendor.model-v1:0", name: "Model", provider: "Vendor", legacy: false, outputModalities: ["Text"], availability: "IINL" }],
    cells: [
      [0, 0, "COMPLETED", true, 100, "EXCELLENT", null, daysAgo(1), "IN_REGION", null],
      [0, 1, "FAILED", false, 40, "POOR", "WRONG_ANSWER", daysAgo(1), "IN_REGION", null],
      [0, 2, "COMPLETED", null, null, null, "NOT_OFFERED_IN_REGION", daysAgo(1), "NOT_OFFERED", null],
      [0, 3, "COMPLETED", null, null, null, "MODEL_END_OF_LIFE", daysAgo(1), "LEGACY", null],
    ],
  };
  const c = indexCells(g);

  it("not-offered and legacy pairs are neutral, never red, and left out of pass rates", () => {
    expect(c[0]!.map((cell, i) => cellTone(cell, g.models[0]!.availability[i]!))).toEqual(["excellent", "failed", "unavailable", "legacy"]);
    const v = gridView(g, c, EMPTY_FILTER, NOW);
    expect(v.groups[0]!.rows[0]!.passRate).toBe(50);
    expect(v.columns.map((col) => col.passRate)).toEqual([100, 0, null, null]);
    expect(v.totals).toMatchObject({ passed: 1, failed: 1, "not-offered": 1, legacy: 1 });
  });

  it("a model kind with no battery shows as not certifiable where it is offered", () => {
    const speech: Grid = { ...g, models: [{ ...g.models[0]!, bedrockModelId: "amazon.nova-sonic-v1:0", outputModalities: ["Speech", "Text"], availability: "IPN?" }], cells: [] };
    const row = gridView(speech, indexCells(speech), EMPTY_FILTER, NOW).groups[0]!.rows[0]!;
    expect(row.availability).toBe("UUN?");
    expect([...row.availability].map((l) => cellTone(null, l))).toEqual(["unsupported", "unsupported", "unavailable", "unknown"]);
  });
});

describe("filters from a link", () => {
  it("keep the values the grid knows and name the others", () => {
    const { filter, rejected } = validFilter(
      { ...EMPTY_FILTER, region: ["eu-west-1", "mars-north-1"], provider: ["ANTHROPIC", "<script>"], status: ["FAILED", "BROKEN"], rating: ["GOOD"], staleDays: -3 },
      grid,
    );
    expect(filter).toMatchObject({ region: ["eu-west-1"], provider: ["ANTHROPIC"], status: ["FAILED"], rating: ["GOOD"], staleDays: null });
    expect(rejected).toEqual([
      { key: "region", value: "mars-north-1" },
      { key: "provider", value: "<script>" },
      { key: "status", value: "BROKEN" },
      { key: "stale", value: "-3" },
    ]);
  });
});
