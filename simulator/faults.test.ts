import { describe, expect, it } from "vitest";
import { effectiveFaults, parseFaultsConfig } from "./faults";
import { SeededStreams } from "./random";

describe("effectiveFaults", () => {
  const config = parseFaultsConfig({
    rules: [
      { latency: { firstTokenMs: 100, tokensPerSecond: 50 } },
      { models: ["anthropic.*"], throttleRate: 0.3 },
      { models: ["anthropic.claude-3-haiku*"], regions: ["eu-west-1"], throttleRate: 0, accessDenied: true, latency: { firstTokenMs: 5 } },
      { operations: ["ConverseStream"], streamStallRate: 1 },
    ],
  });
  if (!config.ok) throw new Error("fixture invalid");

  it("merges every matching rule in order, later fields winning", () => {
    expect(effectiveFaults(config.config, { operation: "Converse", modelId: "anthropic.claude-3-haiku-20240307-v1:0", region: "eu-west-1" })).toEqual({
      latency: { firstTokenMs: 5, jitterMs: 0, tokensPerSecond: 50 },
      throttleRate: 0,
      accessDenied: true,
    });
  });

  it("matches by model glob, Region and operation", () => {
    expect(effectiveFaults(config.config, { operation: "Converse", modelId: "anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1" })).toMatchObject({ throttleRate: 0.3 });
    expect(effectiveFaults(config.config, { operation: "Converse", modelId: "amazon.nova-lite-v1:0", region: "us-east-1" }).throttleRate).toBeUndefined();
    expect(effectiveFaults(config.config, { operation: "ConverseStream", modelId: "amazon.nova-lite-v1:0", region: "us-east-1" }).streamStallRate).toBe(1);
    expect(effectiveFaults(config.config, { operation: "ListFoundationModels", region: "us-east-1" })).toEqual({ latency: { firstTokenMs: 100, jitterMs: 0, tokensPerSecond: 50 } });
  });

  it("has no latency and no faults with no rules", () => {
    expect(effectiveFaults({ rules: [] }, { operation: "Converse", modelId: "x", region: "y" })).toEqual({ latency: { firstTokenMs: 0, jitterMs: 0, tokensPerSecond: Infinity } });
  });
});

describe("parseFaultsConfig", () => {
  it("names each bad field", () => {
    const result = parseFaultsConfig({ rules: [{ throttleRate: 1.5 }, { operations: ["Fly"] }, { surprise: 1 }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(expect.arrayContaining(["rules.0.throttleRate", "rules.1.operations.0", "rules.2"]));
  });
});

describe("SeededStreams", () => {
  it("is reproducible per stream, whatever the interleaving", () => {
    const a = new SeededStreams(42);
    const b = new SeededStreams(42);
    const fromA = [a.next("x"), a.next("y"), a.next("x"), a.next("x")];
    const bx = [b.next("x"), b.next("x"), b.next("x")];
    expect([fromA[0], fromA[2], fromA[3]]).toEqual(bx);
    expect(new SeededStreams(43).next("x")).not.toBe(fromA[0]);
  });

  it("draws close to the requested rate", () => {
    const s = new SeededStreams(7);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (s.chance("throttle", 0.3)) hits++;
    expect(hits / 10_000).toBeGreaterThan(0.27);
    expect(hits / 10_000).toBeLessThan(0.33);
  });
});
