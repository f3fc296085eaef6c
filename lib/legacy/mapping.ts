// How one legacy (Region-less) certification maps to a regional one, field by
// field (docs/legacy-migration.md). Pure: the migration, its dry run and its
// verification all use it, so "what the source says" is computed one way.
import { classifyBedrockError } from "@/lib/bedrock/classify-error";
import { modelKind } from "@/lib/catalog/model-kind";
import type { CertificationRating, CertificationStatus, ErrorCategory } from "@/lib/generated/prisma/enums";
import type { TestResults } from "@/lib/certification/results";
import { z } from "zod";

export type LegacyRow = {
  id: number;
  modelId: string;
  status: string;
  passed: boolean;
  score: number | null;
  rating: string | null;
  testResults: string | null;
  errorMessage: string | null;
  certifiedAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
};

export type MappingContext = {
  modelsByBedrockId: Map<string, { id: string; outputModalities: string[] }>;
  regions: Set<string>;
  regionFor: (bedrockModelId: string) => string;
};

export type RegionalFields = {
  modelId: string;
  region: string;
  status: CertificationStatus;
  passed: boolean;
  score: number | null;
  rating: CertificationRating | null;
  testResults: TestResults;
  errorMessage: string | null;
  errorCategory: ErrorCategory | null;
  startedAt: Date | null;
  completedAt: Date;
  createdAt: Date;
  createdBy: string | null;
  legacyId: number;
};

export type Mapped = { ok: true; fields: RegionalFields } | { ok: false; reason: string };

const RATINGS: Record<string, CertificationRating> = { excellent: "EXCELLENT", good: "GOOD", fair: "FAIR", poor: "POOR", failed: "FAILED" };

const legacyResultsSchema = z.object({
  version: z.number().optional(),
  tests: z.array(z.object({ name: z.string().min(1), passed: z.boolean(), latencyMs: z.number().nonnegative().nullable().optional() })),
});

// When the legacy certification happened.
export const legacyTimeOf = (row: Pick<LegacyRow, "certifiedAt" | "createdAt">) => row.certifiedAt ?? row.createdAt;

export function mapLegacyRow(row: LegacyRow, ctx: MappingContext): Mapped {
  const model = ctx.modelsByBedrockId.get(row.modelId);
  if (!model) return { ok: false, reason: `unknown model "${row.modelId}": not in the catalog` };
  const region = ctx.regionFor(row.modelId);
  if (!ctx.regions.has(region)) return { ok: false, reason: `unknown Region "${region}" in the Region mapping` };

  if (row.status !== "COMPLETED" && row.status !== "FAILED") return { ok: false, reason: `status "${row.status}" is not a finished certification` };
  if (row.score !== null && !(Number.isFinite(row.score) && row.score >= 0 && row.score <= 100)) return { ok: false, reason: `impossible score ${row.score} (must be 0-100)` };
  if (row.status === "COMPLETED" && !row.passed && row.errorMessage === null && row.score === null) return { ok: false, reason: "COMPLETED but neither passed, scored nor explained" };
  let rating: CertificationRating | null = null;
  if (row.rating !== null) {
    rating = RATINGS[row.rating.trim().toLowerCase()] ?? null;
    if (!rating) return { ok: false, reason: `unknown rating "${row.rating}"` };
  }

  let tests: TestResults["tests"] = [];
  if (row.testResults !== null) {
    let raw: unknown;
    try {
      raw = JSON.parse(row.testResults);
    } catch (err) {
      return { ok: false, reason: `malformed test results: ${(err as Error).message}` };
    }
    const parsed = legacyResultsSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: `test results do not have the first release's shape: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
    tests = parsed.data.tests.map((t) => ({
      name: t.name,
      outcome: t.passed ? "passed" : "failed",
      latencyMs: t.latencyMs ?? null,
      detail: `Migrated from legacy certification ${row.id} (the first release kept no detail)`,
    }));
  }

  const kind = modelKind({ bedrockModelId: row.modelId, outputModalities: model.outputModalities });
  // The category of a failure, from the error the first release recorded
  // ("AccessDeniedException: …"), else a wrong answer when tests failed.
  let errorCategory: ErrorCategory | null = null;
  if (!row.passed) {
    const name = /^(\w+Exception)\b/.exec(row.errorMessage ?? "")?.[1];
    errorCategory = name
      ? classifyBedrockError(Object.assign(new Error(row.errorMessage ?? ""), { name }), { modelId: row.modelId, region }).category
      : tests.some((t) => t.outcome === "failed") || row.score !== null
        ? "WRONG_ANSWER"
        : "UNKNOWN";
  }
  return {
    ok: true,
    fields: {
      modelId: model.id,
      region,
      // As for every regional certification: COMPLETED means it passed.
      status: row.passed ? "COMPLETED" : "FAILED",
      passed: row.passed,
      score: row.score,
      rating,
      testResults: { version: 1, battery: kind === "text" || kind === "embedding" || kind === "image" ? kind : "none", invokedId: row.modelId, via: "in-region", throttles: 0, tests },
      errorMessage: row.errorMessage,
      errorCategory,
      startedAt: row.certifiedAt,
      completedAt: legacyTimeOf(row),
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      legacyId: row.id,
    },
  };
}

// Region mapping: a JSON file {"default": "us-east-1", "models": {"<model id>": "<Region>"}}
// or a plain {"<model id>": "<Region>"}; the default home Region otherwise.
export const regionMappingSchema = z.union([z.object({ default: z.string().optional(), models: z.record(z.string(), z.string()) }).strict(), z.record(z.string(), z.string())]);

export function regionResolver(homeRegion: string, mapping?: z.infer<typeof regionMappingSchema>): (bedrockModelId: string) => string {
  if (!mapping) return () => homeRegion;
  const perModel = "models" in mapping && typeof mapping.models === "object" ? (mapping.models as Record<string, string>) : (mapping as Record<string, string>);
  const fallback = "models" in mapping && typeof mapping.default === "string" ? mapping.default : homeRegion;
  return (id) => perModel[id] ?? fallback;
}
