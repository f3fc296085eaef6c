import { describe, expect, it } from "vitest";
import { subscriptionWants } from "./events";

const sub = (filters: Partial<{ eventKinds: string[]; modelIds: string[]; providers: string[]; regions: string[] }> = {}) => ({
  id: "s",
  eventKinds: [],
  modelIds: [],
  providers: [],
  regions: [],
  ...filters,
});
const event = (e: Partial<{ kind: string; modelId: string | null; provider: string | null; region: string | null }> = {}) => ({
  kind: "regression",
  modelId: "m1",
  provider: "Meta",
  region: "us-east-1",
  ...e,
});

describe("which subscription wants an event", () => {
  it("empty filters take every kind, model, provider and Region", () => {
    expect(subscriptionWants(sub(), event())).toBe(true);
  });

  it("each filter narrows on its own dimension", () => {
    expect(subscriptionWants(sub({ eventKinds: ["incident.opened"] }), event())).toBe(false);
    expect(subscriptionWants(sub({ modelIds: ["m2"] }), event())).toBe(false);
    expect(subscriptionWants(sub({ providers: ["anthropic"] }), event())).toBe(false);
    expect(subscriptionWants(sub({ providers: ["meta"] }), event())).toBe(true);
    expect(subscriptionWants(sub({ regions: ["eu-west-1"] }), event())).toBe(false);
  });

  it("an event without a model or a Region is not excluded by that filter", () => {
    expect(subscriptionWants(sub({ modelIds: ["m2"] }), event({ kind: "incident.opened", modelId: null, provider: null, region: "us-east-1" }))).toBe(true);
    expect(subscriptionWants(sub({ regions: ["eu-west-1"] }), event({ kind: "incident.opened", region: null }))).toBe(true);
  });

  it("a test event goes only where it was sent, never by filters", () => {
    expect(subscriptionWants(sub(), event({ kind: "test" }))).toBe(false);
  });
});
