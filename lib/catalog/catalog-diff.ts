// What a catalog sync changed in one Region: pairs newly offered or withdrawn,
// a change of how a pair is offered (in-Region ↔ through a profile), legacy
// status and inference profiles, each with its before and after. A Region's
// first sync reports nothing pair by pair (everything would be "new").
import type { RegionAvailability } from "@/lib/generated/prisma/enums";

export type AvailabilityRow = { modelId: string; availability: RegionAvailability; legacy: boolean; profileIds: string[] };

export type CatalogChange = {
  modelId: string;
  region: string;
  change: "offered" | "withdrawn" | "availability" | "legacy" | "profiles";
  before: string | boolean | string[] | null;
  after: string | boolean | string[] | null;
};

const offered = (a: RegionAvailability | undefined) => a === "IN_REGION" || a === "PROFILE_ONLY";
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export function diffRegion(region: string, before: AvailabilityRow[], after: AvailabilityRow[]): CatalogChange[] {
  const old = new Map(before.map((r) => [r.modelId, r]));
  const changes: CatalogChange[] = [];
  for (const now of after) {
    const was = old.get(now.modelId);
    const base = { modelId: now.modelId, region };
    if (!offered(was?.availability) && offered(now.availability)) {
      changes.push({ ...base, change: "offered", before: was?.availability ?? null, after: now.availability });
      continue;
    }
    if (offered(was?.availability) && !offered(now.availability)) {
      changes.push({ ...base, change: "withdrawn", before: was!.availability, after: now.availability });
      continue;
    }
    if (!was || !offered(now.availability)) continue;
    if (was.availability !== now.availability) changes.push({ ...base, change: "availability", before: was.availability, after: now.availability });
    if (was.legacy !== now.legacy) changes.push({ ...base, change: "legacy", before: was.legacy, after: now.legacy });
    if (!sameSet(was.profileIds, now.profileIds)) changes.push({ ...base, change: "profiles", before: was.profileIds, after: now.profileIds });
  }
  return changes;
}
