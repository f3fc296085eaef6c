import { describe, expect, it } from "vitest";
import { diffRegion, type AvailabilityRow } from "./catalog-diff";

const row = (modelId: string, availability: AvailabilityRow["availability"], more: Partial<AvailabilityRow> = {}): AvailabilityRow => ({
  modelId,
  availability,
  legacy: false,
  profileIds: [],
  ...more,
});

describe("a Region's catalog changes", () => {
  it("names pairs offered, withdrawn and changed, with before and after", () => {
    const before = [row("a", "IN_REGION"), row("b", "NOT_OFFERED"), row("c", "IN_REGION"), row("d", "PROFILE_ONLY", { profileIds: ["us.d"] })];
    const after = [
      row("a", "NOT_OFFERED"),
      row("b", "IN_REGION"),
      row("c", "PROFILE_ONLY", { legacy: true }),
      row("d", "PROFILE_ONLY", { profileIds: ["us.d", "global.d"] }),
      row("e", "PROFILE_ONLY"),
    ];
    expect(diffRegion("us-east-1", before, after)).toEqual([
      { modelId: "a", region: "us-east-1", change: "withdrawn", before: "IN_REGION", after: "NOT_OFFERED" },
      { modelId: "b", region: "us-east-1", change: "offered", before: "NOT_OFFERED", after: "IN_REGION" },
      { modelId: "c", region: "us-east-1", change: "availability", before: "IN_REGION", after: "PROFILE_ONLY" },
      { modelId: "c", region: "us-east-1", change: "legacy", before: false, after: true },
      { modelId: "d", region: "us-east-1", change: "profiles", before: ["us.d"], after: ["us.d", "global.d"] },
      { modelId: "e", region: "us-east-1", change: "offered", before: null, after: "PROFILE_ONLY" },
    ]);
  });

  it("sees nothing when nothing changed (profiles in another order included)", () => {
    const rows = [row("a", "IN_REGION", { profileIds: ["x", "y"] }), row("b", "NOT_OFFERED")];
    expect(diffRegion("eu-west-1", rows, [row("a", "IN_REGION", { profileIds: ["y", "x"] }), row("b", "NOT_OFFERED")])).toEqual([]);
  });
});
