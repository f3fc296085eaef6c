import "server-only";
// Catalog sync: asks Bedrock, Region by Region, which foundation models it
// offers there and how (ListFoundationModels, ListInferenceProfiles), then
// upserts the models and records each model's availability per Region:
// in-Region (on-demand), profile-only, or not offered. Works the same against
// AWS and the simulator: both are reached through lib/bedrock.
import { ListFoundationModelsCommand, ListInferenceProfilesCommand, type FoundationModelSummary } from "@aws-sdk/client-bedrock";
import { audit, type Actor } from "@/lib/audit";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { RegionAvailability } from "@/lib/generated/prisma/enums";
import { withDeadline, type BedrockClients } from "@/lib/bedrock/clients";
import { classifyBedrockError, type ClassifiedError } from "@/lib/bedrock/classify-error";
import { setTimeout as sleep } from "node:timers/promises";
import { env } from "@/lib/env";
import { diffRegion, type CatalogChange } from "./catalog-diff";

export type RegionSyncResult =
  | { region: string; ok: true; inRegion: number; profileOnly: number; notOffered: number; confirmed?: string }
  | { region: string; ok: false; error: Pick<ClassifiedError, "category" | "message" | "detail">; held?: string };

// A Region's listing that drops more than this share of the models it offered
// (or comes back empty) is not believed at once: one bad answer would blank a
// column (issue 27). It is read again after a while; only a second listing
// that agrees withdraws anything.
export const SUSPECT_DROP_SHARE = 0.2;

export type CatalogSyncReport = {
  regions: RegionSyncResult[];
  models: { seen: number; created: number; updated: number };
  // Models first seen by this sync, and what changed in the Regions synced
  // before (lib/catalog/catalog-diff.ts): the catalog watch's input.
  createdModelIds: string[];
  changes: CatalogChange[];
};

type RegionListing = {
  region: string;
  models: FoundationModelSummary[];
  profilesByModel: Map<string, string[]>;
  // A suspect listing that a second one confirmed: what it withdrew, and why it was believed.
  confirmed?: string;
  // Provisioned Throughput variants by base model id (":200k" of "…-v1:0").
  variantsByModel: Map<string, string[]>;
};

// ListFoundationModels also lists Provisioned Throughput variants of a model
// ("…-v1:0:200k", inferenceTypesSupported ["PROVISIONED"] only): capacity one
// buys, not a model one invokes on demand. They stay with their base model
// (which the listing names too) instead of becoming models "reachable only
// through a profile" that no profile serves.
export function onDemandModels(listed: FoundationModelSummary[]): FoundationModelSummary[] {
  return listed.filter((m) => {
    const types = m.inferenceTypesSupported ?? [];
    return !(types.length > 0 && types.every((t) => t === "PROVISIONED"));
  });
}

// The Provisioned Throughput variants of each listed base model: "…-v1:0:200k"
// is the base "…-v1:0" sold with a 200k context as bought throughput.
export function provisionedVariants(listed: FoundationModelSummary[]): Map<string, string[]> {
  const ids = new Set(listed.map((m) => m.modelId));
  const out = new Map<string, string[]>();
  for (const m of listed) {
    const types = m.inferenceTypesSupported ?? [];
    if (!m.modelId || types.length === 0 || !types.every((t) => t === "PROVISIONED")) continue;
    const at = m.modelId.lastIndexOf(":");
    const base = m.modelId.slice(0, at);
    if (at > 0 && ids.has(base)) out.set(base, [...(out.get(base) ?? []), m.modelId.slice(at + 1)]);
  }
  return out;
}

// Bedrock spells modalities in capitals (TEXT); the catalog in words (Text).
const modality = (m: string) => m.charAt(0).toUpperCase() + m.slice(1).toLowerCase();
const modelIdOfArn = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

async function readRegion(bedrock: BedrockClients, region: string, timeoutMs: number, signal?: AbortSignal): Promise<RegionListing> {
  const client = bedrock.control(region);
  const listed = await withDeadline((s) => client.send(new ListFoundationModelsCommand({}), { abortSignal: s }), { timeoutMs, signal });
  const profilesByModel = new Map<string, string[]>();
  let nextToken: string | undefined;
  do {
    const page = await withDeadline((s) => client.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 1000, nextToken }), { abortSignal: s }), { timeoutMs, signal });
    for (const profile of page.inferenceProfileSummaries ?? []) {
      for (const m of profile.models ?? []) {
        if (!m.modelArn || !profile.inferenceProfileId) continue;
        // A profile lists its model once per member Region: one id per profile.
        const id = modelIdOfArn(m.modelArn);
        const ids = profilesByModel.get(id) ?? [];
        if (!ids.includes(profile.inferenceProfileId)) profilesByModel.set(id, [...ids, profile.inferenceProfileId]);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const all = listed.modelSummaries ?? [];
  return { region, models: onDemandModels(all), profilesByModel, variantsByModel: provisionedVariants(all) };
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

// `actor` is who asked: the sync's audit entry (its summary) is written with its last change.
// How many of the models a Region offered before a listing leaves out.
function droppedBy(before: { modelId: string; availability: RegionAvailability }[], listed: Set<string>, idOf: Map<string, string>) {
  const listedIds = new Set([...listed].map((b) => idOf.get(b)).filter(Boolean));
  const offered = before.filter((a) => a.availability !== "NOT_OFFERED");
  return { offered: offered.length, dropped: offered.filter((a) => !listedIds.has(a.modelId)).length };
}

export async function syncCatalog(
  deps: { db: PrismaClient; bedrock: BedrockClients; actor: Actor },
  options: { regions?: string[]; concurrency?: number; signal?: AbortSignal; confirmDelayMs?: number } = {},
): Promise<CatalogSyncReport> {
  const { db, bedrock } = deps;
  const regions = options.regions ?? (await db.region.findMany({ where: { enabled: true }, select: { code: true }, orderBy: { code: "asc" } })).map((r) => r.code);
  const timeoutMs = bedrock.connection.callTimeoutMs;

  const listings: (RegionListing | { region: string; error: Pick<ClassifiedError, "category" | "message" | "detail">; held?: string })[] = await mapWithConcurrency(
    regions,
    options.concurrency ?? 4,
    async (region) => {
      try {
        return await readRegion(bedrock, region, timeoutMs, options.signal);
      } catch (err) {
        const c = classifyBedrockError(err, { modelId: "(catalog)", region });
        return { region, error: { category: c.category, message: c.message, detail: c.detail } };
      }
    },
  );
  // A listing that drops too much of what its Region offered is read again
  // after a while; the second answer decides. Two that agree are the truth (a
  // real withdrawal); a second that does not leaves the Region as it was.
  // The catalog's models and every listed Region's availability, read once.
  const existing = new Map((await db.aIModel.findMany({ where: { bedrockModelId: { not: null } }, select: { id: true, bedrockModelId: true } })).map((m) => [m.bedrockModelId!, m.id]));
  const listedRegions = listings.filter((l): l is RegionListing => "models" in l).map((l) => l.region);
  const recorded = await db.modelRegionAvailability.findMany({ where: { region: { in: listedRegions } }, select: { modelId: true, region: true, availability: true } });
  const suspects = new Map<string, string>();
  for (const listing of listings) {
    if (!("models" in listing)) continue;
    const before = recorded.filter((a) => a.region === listing.region);
    const { offered, dropped } = droppedBy(before, new Set(listing.models.map((m) => m.modelId!)), existing);
    if (offered > 0 && (listing.models.length === 0 || dropped / offered > SUSPECT_DROP_SHARE)) suspects.set(listing.region, `the listing left out ${dropped} of the ${offered} models it offered`);
  }
  if (suspects.size > 0) {
    await sleep(options.confirmDelayMs ?? env.CATALOG_CONFIRM_DELAY_MS, undefined, { signal: options.signal });
    await mapWithConcurrency([...suspects.keys()], options.concurrency ?? 4, async (region) => {
      const at = listings.findIndex((l) => l.region === region);
      const first = listings[at] as RegionListing;
      const why = suspects.get(region)!;
      let second: RegionListing | null = null;
      try {
        second = await readRegion(bedrock, region, timeoutMs, options.signal);
      } catch {
        // no second answer: nothing is confirmed
      }
      const ids = (l: RegionListing) =>
        l.models
          .map((m) => m.modelId!)
          .sort()
          .join();
      if (second && ids(second) === ids(first)) {
        listings[at] = { ...second, confirmed: `${why}; a second listing ${Math.round((options.confirmDelayMs ?? env.CATALOG_CONFIRM_DELAY_MS) / 1000)} s later agreed` };
      } else {
        listings[at] = {
          region,
          error: { category: "MALFORMED_RESPONSE", message: "The Region's availability was kept: a listing that withdraws this much is confirmed by a second one first.", detail: why },
          held: `${why}; a second listing did not agree, so nothing was withdrawn`,
        };
      }
    });
  }
  const ok = listings.filter((l): l is RegionListing => "models" in l);

  // The models seen anywhere, with their facts.
  const facts = new Map<string, FoundationModelSummary>();
  for (const l of ok) for (const m of l.models) if (m.modelId && !facts.has(m.modelId)) facts.set(m.modelId, m);
  let created = 0;
  let updated = 0;
  const createdModelIds: string[] = [];
  for (const [bedrockModelId, m] of facts) {
    const data = {
      provider: m.providerName ?? bedrockModelId.split(".")[0]!,
      name: m.modelName ?? bedrockModelId,
      inputModalities: (m.inputModalities ?? []).map(modality),
      outputModalities: (m.outputModalities ?? []).map(modality),
      streaming: m.responseStreamingSupported ?? null,
    };
    const id = existing.get(bedrockModelId);
    if (id) {
      await db.aIModel.update({ where: { id }, data });
      updated++;
    } else {
      const row = await db.aIModel.create({ data: { ...data, bedrockModelId } });
      existing.set(bedrockModelId, row.id);
      createdModelIds.push(row.id);
      created++;
    }
  }

  // Each synced Region's availability is replaced as a whole, in one transaction.
  const results: RegionSyncResult[] = [];
  const changes: CatalogChange[] = [];
  for (const listing of listings) {
    if (!("models" in listing)) {
      results.push({ region: listing.region, ok: false, error: listing.error, ...(listing.held ? { held: listing.held } : {}) });
      continue;
    }
    const byId = new Map(listing.models.map((m) => [m.modelId!, m]));
    const syncedAt = new Date();
    const rows = [...existing].map(([bedrockModelId, modelId]) => {
      const m = byId.get(bedrockModelId);
      const onDemand = m?.inferenceTypesSupported?.includes("ON_DEMAND");
      const availability: RegionAvailability = !m ? "NOT_OFFERED" : onDemand ? "IN_REGION" : "PROFILE_ONLY";
      return {
        modelId,
        region: listing.region,
        availability,
        legacy: m?.modelLifecycle?.status === "LEGACY",
        profileIds: m ? (listing.profilesByModel.get(bedrockModelId) ?? []) : [],
        provisionedVariants: m ? (listing.variantsByModel.get(bedrockModelId) ?? []) : [],
        syncedAt,
      };
    });
    const before = await db.region.findUnique({
      where: { code: listing.region },
      select: { catalogSyncedAt: true, availability: { select: { modelId: true, availability: true, legacy: true, profileIds: true } } },
    });
    if (before?.catalogSyncedAt) changes.push(...diffRegion(listing.region, before.availability, rows));
    await db.$transaction([
      db.modelRegionAvailability.deleteMany({ where: { region: listing.region } }),
      db.modelRegionAvailability.createMany({ data: rows }),
      db.region.update({ where: { code: listing.region }, data: { catalogSyncedAt: syncedAt } }),
    ]);
    const countOf = (a: RegionAvailability) => rows.filter((r) => r.availability === a).length;
    results.push({
      region: listing.region,
      ok: true,
      inRegion: countOf("IN_REGION"),
      profileOnly: countOf("PROFILE_ONLY"),
      notOffered: countOf("NOT_OFFERED"),
      ...(listing.confirmed ? { confirmed: listing.confirmed } : {}),
    });
  }

  const report: CatalogSyncReport = { regions: results, models: { seen: facts.size, created, updated }, createdModelIds, changes };
  const failed = results.filter((r) => !r.ok).map((r) => r.region);
  await db.$transaction([
    // A model is legacy when every Region that offers it lists it as legacy.
    db.$executeRaw`
      UPDATE ai_models m SET lifecycle = CASE WHEN a.all_legacy THEN 'LEGACY'::"ModelLifecycle" ELSE 'ACTIVE'::"ModelLifecycle" END
        FROM (SELECT model_id, bool_and(legacy) AS all_legacy FROM model_region_availability
               WHERE availability <> 'NOT_OFFERED' GROUP BY model_id) a
       WHERE a.model_id = m.id`,
    audit(db, deps.actor, "catalog.sync", null, { regions: results.length, failedRegions: failed, models: report.models, changes: changes.length }),
  ]);
  return report;
}

export type AvailabilityTable = Map<string, { inRegion: { region: string; legacy: boolean }[]; profileOnly: { region: string; scopes: ("geo" | "global")[]; legacy: boolean }[] }>;

// The recorded availability, per Bedrock model id, in the shape of the catalog
// file (lib/catalog/aws-tables.ts ModelRow), Regions in code order.
export async function readAvailabilityTable(db: PrismaClient): Promise<AvailabilityTable> {
  const rows = await db.modelRegionAvailability.findMany({
    where: { availability: { not: "NOT_OFFERED" }, model: { bedrockModelId: { not: null } } },
    select: { region: true, availability: true, legacy: true, profileIds: true, model: { select: { bedrockModelId: true } } },
    orderBy: [{ region: "asc" }],
  });
  const table: AvailabilityTable = new Map();
  for (const r of rows) {
    const id = r.model.bedrockModelId!;
    const entry = table.get(id) ?? { inRegion: [], profileOnly: [] };
    if (r.availability === "IN_REGION") entry.inRegion.push({ region: r.region, legacy: r.legacy });
    else {
      const scopes = [...new Set(r.profileIds.map((p) => (p.startsWith("global.") ? "global" : "geo")))].sort() as ("geo" | "global")[];
      entry.profileOnly.push({ region: r.region, scopes, legacy: r.legacy });
    }
    table.set(id, entry);
  }
  return table;
}
