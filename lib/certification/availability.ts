// How a job treats a (model, Region) pair by its availability: the one rule,
// used when a job is created (to plan and count its pairs, and to settle at
// once the pairs that will not be tried) and by the worker (with the catalog
// record as it is when the pair runs). docs/certification.md, "Availability".
//
// Only pairs that are offered and tried can fail. A pair that is not offered,
// legacy, reachable only through a profile the job does not use, or of a kind
// with no battery ends with no model call and a neutral verdict.
import { modelKind, type ModelKind } from "@/lib/catalog/model-kind";
import type { ErrorCategory, PairAvailability, RegionAvailability } from "@/lib/generated/prisma/enums";

export type { PairAvailability } from "@/lib/generated/prisma/enums";

// The catalog sync's record of the pair (model_region_availability), or null
// when the Region was never synced.
export type AvailabilityRecord = { availability: RegionAvailability; legacy: boolean; profileIds: string[] } | null;
export type PlannedModel = { bedrockModelId: string; outputModalities: string[]; lifecycle?: "ACTIVE" | "LEGACY" | null };
export type AvailabilityConfig = { useInferenceProfiles: boolean; confirmAvailability: boolean };

// Kinds the product has a battery for; the battery of a kind is named after it.
export const CERTIFIABLE_KINDS = ["text", "embedding", "image", "rerank", "video"] as const satisfies readonly ModelKind[];
export type BatteryName = (typeof CERTIFIABLE_KINDS)[number] | "none";
export const batteryFor = (kind: ModelKind): BatteryName => ((CERTIFIABLE_KINDS as readonly ModelKind[]).includes(kind) ? (kind as BatteryName) : "none");

export type PairPlan =
  | {
      kind: "try";
      // Null: the Region's catalog was never synced; the worker finds out.
      availability: "IN_REGION" | "PROFILE_ONLY" | null;
      invokedId: string;
      via: "in-region" | "inference-profile";
      // The catalog says "not offered" and the job asked to confirm it with
      // GetFoundationModelAvailability: tried only if AWS says it is available.
      confirmNotOffered: boolean;
    }
  | { kind: "settle"; availability: Exclude<PairAvailability, "IN_REGION">; category: ErrorCategory | null; detail: string };

const settle = (availability: Exclude<PairAvailability, "IN_REGION">, category: ErrorCategory | null, detail: string): PairPlan => ({ kind: "settle", availability, category, detail });

// The Region's geographic profile keeps data in the geography: preferred to
// the global one, unless the catalog lists the pair as legacy (a legacy geo
// profile beside a live global one: the global profile is what still answers).
function pickProfile(profileIds: string[], legacy: boolean): string | undefined {
  const global = profileIds.find((p) => p.startsWith("global."));
  const geo = profileIds.find((p) => !p.startsWith("global."));
  return legacy ? global : (geo ?? global);
}

export function planPair(model: PlannedModel, record: AvailabilityRecord, config: AvailabilityConfig): PairPlan {
  const kind = modelKind(model);
  if (record?.availability === "NOT_OFFERED") {
    if (config.confirmAvailability) return { kind: "try", availability: null, invokedId: model.bedrockModelId, via: "in-region", confirmNotOffered: true };
    return settle("NOT_OFFERED", "NOT_OFFERED_IN_REGION", "The catalog sync found the model not offered in this Region");
  }
  const profileOnly = record?.availability === "PROFILE_ONLY";
  const profile = profileOnly ? pickProfile(record.profileIds, record.legacy) : undefined;
  // Legacy here, unless a live (global) profile still reaches it.
  const legacyHere = record ? record.legacy && !(profileOnly && profile) : model.lifecycle === "LEGACY";
  if (legacyHere) return settle("LEGACY", "MODEL_END_OF_LIFE", record ? "The catalog lists the model as legacy in this Region" : "The catalog lists the model as legacy");
  if (batteryFor(kind) === "none") return settle("UNSUPPORTED", null, unsupportedReason(kind));
  if (profileOnly) {
    if (!config.useInferenceProfiles || !profile) {
      return settle(
        "PROFILE_ONLY",
        "INFERENCE_PROFILE_REQUIRED",
        record.profileIds.length
          ? `Reachable only through ${record.profileIds.join(", ")}; the job does not certify through profiles`
          : "Reachable only through an inference profile; none is listed in this Region",
      );
    }
    return { kind: "try", availability: "PROFILE_ONLY", invokedId: profile, via: "inference-profile", confirmNotOffered: false };
  }
  return { kind: "try", availability: record ? "IN_REGION" : null, invokedId: model.bedrockModelId, via: "in-region", confirmNotOffered: false };
}

export function unsupportedReason(kind: ModelKind): string {
  if (kind === "speech")
    return "Not certifiable yet: speech models answer only through InvokeModelWithBidirectionalStream, which the AWS SDK sends over HTTP/2; the bundled simulator serves HTTP/1.1, so no battery could be tested here";
  return `Not certifiable yet: ${kind} models have no battery in this product yet`;
}

// The error category a failed call gives, as availability: the model call
// itself said the pair is not offered here, needs a profile, or is legacy
// (catalog drift). Such a pair is not a failure either.
export function availabilityOfCategory(category: ErrorCategory | null | undefined): Exclude<PairAvailability, "IN_REGION" | "UNSUPPORTED"> | null {
  if (category === "NOT_OFFERED_IN_REGION") return "NOT_OFFERED";
  if (category === "INFERENCE_PROFILE_REQUIRED") return "PROFILE_ONLY";
  if (category === "MODEL_END_OF_LIFE") return "LEGACY";
  return null;
}

// What a job's pairs come to, by availability: what the start dialog shows
// before a job starts and what the job's counters end with.
export type AvailabilityCounts = {
  total: number;
  // Tried: offered in the Region, or through a profile when the job uses them
  // (and unknown ones, and not-offered ones the job confirms with AWS).
  toCertify: number;
  inRegion: number;
  throughProfile: number;
  unknown: number;
  confirm: number;
  // Settled without a test.
  notOffered: number;
  profileOnly: number;
  legacy: number;
  unsupported: number;
};

export const emptyCounts = (): AvailabilityCounts => ({ total: 0, toCertify: 0, inRegion: 0, throughProfile: 0, unknown: 0, confirm: 0, notOffered: 0, profileOnly: 0, legacy: 0, unsupported: 0 });

export function countPlan(counts: AvailabilityCounts, plan: PairPlan): void {
  counts.total++;
  if (plan.kind === "try") {
    counts.toCertify++;
    if (plan.confirmNotOffered) counts.confirm++;
    else if (plan.availability === "IN_REGION") counts.inRegion++;
    else if (plan.availability === "PROFILE_ONLY") counts.throughProfile++;
    else counts.unknown++;
    return;
  }
  const key = ({ NOT_OFFERED: "notOffered", PROFILE_ONLY: "profileOnly", LEGACY: "legacy", UNSUPPORTED: "unsupported" } as const)[plan.availability];
  counts[key]++;
}
