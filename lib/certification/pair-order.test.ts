import { describe, expect, it } from "vitest";
import { expectedBatteryMs, longestFirst, MAX_WEIGHT_MS } from "./pair-order";

const models = new Map([
  ["embed", { bedrockModelId: "amazon.titan-embed-text-v2:0", outputModalities: ["EMBEDDING"] }],
  ["text", { bedrockModelId: "anthropic.claude-3-haiku-20240307-v1:0", outputModalities: ["TEXT"] }],
  ["fast-text", { bedrockModelId: "amazon.nova-micro-v1:0", outputModalities: ["TEXT"] }],
  ["video", { bedrockModelId: "amazon.nova-reel-v1:0", outputModalities: ["VIDEO"] }],
]);

describe("longestFirst", () => {
  it("never tried: guessed by kind, longest first, keeping the order within a kind, each pair with its weight", () => {
    const pairs = [
      { modelId: "embed", region: "us-east-1" },
      { modelId: "text", region: "us-east-1" },
      { modelId: "unknown", region: "us-east-1" },
      { modelId: "text", region: "eu-west-1" },
      { modelId: "video", region: "us-east-1" },
    ];
    const ordered = longestFirst(pairs, models);
    expect(ordered.map((p) => `${p.modelId}/${p.region}`)).toEqual(["video/us-east-1", "text/us-east-1", "text/eu-west-1", "embed/us-east-1", "unknown/us-east-1"]);
    expect(ordered.map((p) => p.weight)).toEqual([20_000, 12_000, 12_000, 3_000, 1_000]);
  });

  it("a pair's last tried run decides: a slow model before a fast one of the same kind, a quick known pair after a guessed one", () => {
    const pairs = [
      { modelId: "fast-text", region: "us-east-1", lastTriedMs: 4_200 },
      { modelId: "text", region: "us-east-1", lastTriedMs: 16_800 },
      { modelId: "fast-text", region: "eu-west-1", lastTriedMs: null },
      { modelId: "embed", region: "us-east-1", lastTriedMs: 0 },
    ];
    const ordered = longestFirst(pairs, models);
    expect(ordered.map((p) => `${p.modelId}/${p.region}:${p.weight}`)).toEqual(["text/us-east-1:16800", "fast-text/eu-west-1:12000", "fast-text/us-east-1:4200", "embed/us-east-1:3000"]);
  });

  it("weights stay within the queue payload's bound", () => {
    expect(expectedBatteryMs(models.get("text"), 10 * MAX_WEIGHT_MS)).toBe(MAX_WEIGHT_MS);
    expect(expectedBatteryMs(undefined, 1234.6)).toBe(1235);
  });
});
