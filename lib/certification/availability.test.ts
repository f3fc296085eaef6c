import { describe, expect, it } from "vitest";
import { availabilityOfCategory, countPlan, emptyCounts, planPair, type AvailabilityRecord } from "./availability";

const text = { bedrockModelId: "anthropic.claude-sonnet-4-20250514-v1:0", outputModalities: ["Text"], lifecycle: "ACTIVE" as const };
const speech = { bedrockModelId: "amazon.nova-sonic-v1:0", outputModalities: ["Speech", "Text"], lifecycle: "ACTIVE" as const };
const off = { useInferenceProfiles: false, confirmAvailability: false };
const profiles = { useInferenceProfiles: true, confirmAvailability: false };
const rec = (availability: "IN_REGION" | "PROFILE_ONLY" | "NOT_OFFERED", legacy = false, profileIds: string[] = []): AvailabilityRecord => ({ availability, legacy, profileIds });

describe("planPair", () => {
  it("tries in-Region pairs with the plain id, and unknown ones (never synced) too", () => {
    expect(planPair(text, rec("IN_REGION"), off)).toMatchObject({ kind: "try", availability: "IN_REGION", invokedId: text.bedrockModelId, via: "in-region" });
    expect(planPair(text, null, off)).toMatchObject({ kind: "try", availability: null });
  });

  it("settles not-offered pairs with no call, unless the job confirms them with AWS", () => {
    expect(planPair(text, rec("NOT_OFFERED"), off)).toMatchObject({ kind: "settle", availability: "NOT_OFFERED", category: "NOT_OFFERED_IN_REGION" });
    expect(planPair(text, rec("NOT_OFFERED"), { ...off, confirmAvailability: true })).toMatchObject({ kind: "try", confirmNotOffered: true });
  });

  it("profile-only: settled as such without profiles; through the geo profile with them", () => {
    const r = rec("PROFILE_ONLY", false, [`global.${text.bedrockModelId}`, `us.${text.bedrockModelId}`]);
    expect(planPair(text, r, off)).toMatchObject({ kind: "settle", availability: "PROFILE_ONLY", category: "INFERENCE_PROFILE_REQUIRED" });
    expect(planPair(text, r, profiles)).toMatchObject({ kind: "try", availability: "PROFILE_ONLY", invokedId: `us.${text.bedrockModelId}`, via: "inference-profile" });
  });

  it("legacy: settled with no call; a legacy geo profile beside a global one goes through the global one", () => {
    expect(planPair(text, rec("IN_REGION", true), profiles)).toMatchObject({ kind: "settle", availability: "LEGACY", category: "MODEL_END_OF_LIFE" });
    const geoLegacy = rec("PROFILE_ONLY", true, [`us.${text.bedrockModelId}`, `global.${text.bedrockModelId}`]);
    expect(planPair(text, geoLegacy, profiles)).toMatchObject({ kind: "try", invokedId: `global.${text.bedrockModelId}` });
    // Without profiles it is what it is: profile only (a live one exists), not legacy.
    expect(planPair(text, geoLegacy, off)).toMatchObject({ kind: "settle", availability: "PROFILE_ONLY" });
    expect(planPair(text, rec("PROFILE_ONLY", true, [`us.${text.bedrockModelId}`]), profiles)).toMatchObject({ kind: "settle", availability: "LEGACY" });
    expect(planPair({ ...text, lifecycle: "LEGACY" }, null, off)).toMatchObject({ kind: "settle", availability: "LEGACY" });
    // A legacy model of a kind with no battery is legacy first.
    expect(planPair(speech, rec("IN_REGION", true), off)).toMatchObject({ kind: "settle", availability: "LEGACY" });
  });

  it("a kind with no battery is 'not certifiable yet', never a failure; not offered wins over it", () => {
    expect(planPair(speech, rec("IN_REGION"), off)).toMatchObject({ kind: "settle", availability: "UNSUPPORTED", category: null });
    expect(planPair(speech, rec("NOT_OFFERED"), off)).toMatchObject({ kind: "settle", availability: "NOT_OFFERED" });
  });

  it("counts plans the way the start dialog and the job show them", () => {
    const counts = emptyCounts();
    for (const plan of [
      planPair(text, rec("IN_REGION"), off),
      planPair(text, rec("NOT_OFFERED"), off),
      planPair(text, rec("PROFILE_ONLY", false, ["us.x"]), off),
      planPair(speech, rec("IN_REGION"), off),
      planPair(text, null, off),
    ])
      countPlan(counts, plan);
    expect(counts).toEqual({ total: 5, toCertify: 2, inRegion: 1, throughProfile: 0, unknown: 1, confirm: 0, notOffered: 1, profileOnly: 1, legacy: 0, unsupported: 1 });
  });

  it("a model call's availability errors are availability, not failures", () => {
    expect([
      availabilityOfCategory("NOT_OFFERED_IN_REGION"),
      availabilityOfCategory("INFERENCE_PROFILE_REQUIRED"),
      availabilityOfCategory("MODEL_END_OF_LIFE"),
      availabilityOfCategory("WRONG_ANSWER"),
    ]).toEqual(["NOT_OFFERED", "PROFILE_ONLY", "LEGACY", null]);
  });
});
