import { describe, expect, it } from "vitest";
import { longestFirst } from "./pair-order";

describe("longestFirst", () => {
  it("puts the longest batteries first, keeping the order within a kind, each pair with its weight", () => {
    const models = new Map([
      ["embed", { bedrockModelId: "amazon.titan-embed-text-v2:0", outputModalities: ["EMBEDDING"] }],
      ["text", { bedrockModelId: "anthropic.claude-3-haiku-20240307-v1:0", outputModalities: ["TEXT"] }],
      ["video", { bedrockModelId: "amazon.nova-reel-v1:0", outputModalities: ["VIDEO"] }],
    ]);
    const pairs = [
      { modelId: "embed", region: "us-east-1" },
      { modelId: "text", region: "us-east-1" },
      { modelId: "unknown", region: "us-east-1" },
      { modelId: "text", region: "eu-west-1" },
      { modelId: "video", region: "us-east-1" },
    ];
    const ordered = longestFirst(pairs, models);
    expect(ordered.map((p) => `${p.modelId}/${p.region}`)).toEqual(["video/us-east-1", "text/us-east-1", "text/eu-west-1", "embed/us-east-1", "unknown/us-east-1"]);
    expect(ordered.map((p) => p.weight)).toEqual([20, 12, 12, 3, 1]);
  });
});
