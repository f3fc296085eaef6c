import "server-only";
// Certifies one model in one Region (as the claim in PostgreSQL found it): availability first (so a pair that is not
// offered, profile-only or not authorised finishes without burning calls), then
// the battery that fits the model, then the verdict.
import { GetFoundationModelAvailabilityCommand } from "@aws-sdk/client-bedrock";
import type { BedrockClients } from "@/lib/bedrock/clients";
import { ERROR_CATEGORIES } from "@/lib/bedrock/error-categories";
import { modelKind } from "@/lib/catalog/model-kind";
import type { CertificationRating, ErrorCategory } from "@/lib/generated/prisma/enums";
import type { RegionLimiter } from "@/lib/limits/region-limiter";
import { callBedrock, CallFailed, type CallContext } from "./bedrock-call";
import { runEmbeddingBattery } from "./battery/embedding";
import type { Battery } from "./battery/harness";
import { runImageBattery } from "./battery/image";
import { runTextBattery } from "./battery/text";
import type { CertificationConfig } from "./config";
import type { PairTarget } from "./pair-store";
import type { TestResults } from "./results";
import { scoreTests } from "./scoring";

export type PairOutcome = {
  status: "COMPLETED" | "FAILED" | "CANCELLED";
  passed: boolean | null;
  score: number | null;
  rating: CertificationRating | null;
  errorCategory: ErrorCategory | null;
  errorMessage: string | null;
  testResults: TestResults;
  startedAt: string;
  completedAt: string;
  durationMs: number;
};

export type CertifyDeps = { bedrock: BedrockClients; limiter?: RegionLimiter; callTimeoutMs: number };

type Route = { ok: true; invokedId: string; via: "in-region" | "inference-profile" } | { ok: false; category: ErrorCategory; detail: string };

// Which identifier to invoke in the Region, from the catalog sync's record and
// GetFoundationModelAvailability, or why not to invoke at all.
async function route(deps: CertifyDeps, call: CallContext, model: { bedrockModelId: string }, known: PairTarget["availability"], region: string, config: CertificationConfig): Promise<Route> {
  if (known?.availability === "NOT_OFFERED") return { ok: false, category: "NOT_OFFERED_IN_REGION", detail: "The catalog sync found the model not offered in this Region" };
  let invokedId = model.bedrockModelId;
  let via: "in-region" | "inference-profile" = "in-region";
  if (known?.availability === "PROFILE_ONLY") {
    // Prefer the Region's geographic profile: it keeps data in the geography.
    const profile = known.profileIds.find((p) => !p.startsWith("global.")) ?? known.profileIds[0];
    if (!config.useInferenceProfiles || !profile) {
      return { ok: false, category: "INFERENCE_PROFILE_REQUIRED", detail: profile ? `Reachable only through ${known.profileIds.join(", ")}; the job does not certify through profiles` : "Reachable only through an inference profile; none is listed in this Region" };
    }
    invokedId = profile;
    via = "inference-profile";
  }
  try {
    const availability = await callBedrock(call, (signal) => deps.bedrock.control(region).send(new GetFoundationModelAvailabilityCommand({ modelId: model.bedrockModelId }), { abortSignal: signal }));
    if (availability.regionAvailability === "NOT_AVAILABLE") return { ok: false, category: "NOT_OFFERED_IN_REGION", detail: "GetFoundationModelAvailability: regionAvailability NOT_AVAILABLE" };
    if (availability.authorizationStatus === "NOT_AUTHORIZED") return { ok: false, category: "ACCESS_DENIED", detail: "GetFoundationModelAvailability: authorizationStatus NOT_AUTHORIZED" };
  } catch (err) {
    // Only a cancellation stops here: without the control-plane answer (no
    // permission, an outage) the battery itself finds out.
    if (err instanceof CallFailed && err.classified.category === "CANCELLED") throw err;
  }
  return { ok: true, invokedId, via };
}

export async function certifyPair(
  deps: CertifyDeps,
  pair: { region: string } & PairTarget,
  config: CertificationConfig,
  signal: AbortSignal,
): Promise<PairOutcome> {
  const started = new Date();
  const counters = { throttles: 0, calls: 0 };
  const finish = (o: Omit<PairOutcome, "startedAt" | "completedAt" | "durationMs" | "testResults"> & { tests: TestResults["tests"]; invokedId: string | null; via: TestResults["via"]; battery: TestResults["battery"] }): PairOutcome => {
    const completed = new Date();
    return {
      status: o.status,
      passed: o.passed,
      score: o.score,
      rating: o.rating,
      errorCategory: o.errorCategory,
      errorMessage: o.errorMessage,
      testResults: { version: 1, battery: o.battery, invokedId: o.invokedId, via: o.via, throttles: counters.throttles, tests: o.tests },
      startedAt: started.toISOString(),
      completedAt: completed.toISOString(),
      durationMs: completed.getTime() - started.getTime(),
    };
  };
  const cancelled = (battery: TestResults["battery"], tests: TestResults["tests"] = []) =>
    finish({ status: "CANCELLED", passed: null, score: null, rating: null, errorCategory: "CANCELLED", errorMessage: ERROR_CATEGORIES.CANCELLED.advice({ modelId: "", region: pair.region }), tests, invokedId: null, via: "not-invoked", battery });

  const model = pair.model;
  if (!model.bedrockModelId) {
    return finish({ status: "FAILED", passed: false, score: 0, rating: "FAILED", errorCategory: "INVALID_REQUEST", errorMessage: "The model has no Bedrock model id in the catalog: it cannot be invoked.", tests: [], invokedId: null, via: "not-invoked", battery: "none" });
  }
  const ctx = { modelId: model.bedrockModelId, region: pair.region };
  const call: CallContext = { ...ctx, signal, callTimeoutMs: deps.callTimeoutMs, maxAttempts: config.maxAttempts, retryBaseDelayMs: config.retryBaseDelayMs, limiter: deps.limiter, counters };
  const kind = modelKind(model);
  const batteryName = kind === "text" || kind === "embedding" || kind === "image" ? kind : "none";

  let where: Route;
  try {
    where = await route(deps, call, { bedrockModelId: model.bedrockModelId }, pair.availability, pair.region, config);
  } catch {
    return cancelled(batteryName);
  }
  if (!where.ok) {
    return finish({
      status: "FAILED",
      passed: false,
      score: 0,
      rating: "FAILED",
      errorCategory: where.category,
      errorMessage: `${ERROR_CATEGORIES[where.category].advice(ctx)} (${where.detail})`,
      tests: [],
      invokedId: null,
      via: "not-invoked",
      battery: batteryName,
    });
  }
  if (batteryName === "none") {
    return finish({
      status: "FAILED",
      passed: false,
      score: 0,
      rating: "FAILED",
      errorCategory: "INVALID_REQUEST",
      errorMessage: `No certification battery for ${kind} models yet: they are invoked through ${kind === "video" ? "asynchronous invocation" : kind === "speech" ? "bidirectional streaming" : "a dedicated API"}, which this product does not test.`,
      tests: [],
      invokedId: where.invokedId,
      via: where.via,
      battery: "none",
    });
  }

  const battery: Battery = { bedrock: deps.bedrock, model: { bedrockModelId: model.bedrockModelId, name: model.name, streaming: model.streaming }, invokedId: where.invokedId, config, call };
  const tests = await (kind === "text" ? runTextBattery(battery) : kind === "embedding" ? runEmbeddingBattery(battery) : runImageBattery(battery));
  if (signal.aborted || tests.some((t) => t.errorCategory === "CANCELLED")) return cancelled(batteryName, tests);

  const verdict = scoreTests(tests, config.thresholds.passScore);
  const failedTests = tests.filter((t) => t.outcome === "failed" || t.outcome === "error").map((t) => t.name);
  return finish({
    status: verdict.passed ? "COMPLETED" : "FAILED",
    passed: verdict.passed,
    score: verdict.score,
    rating: verdict.rating,
    errorCategory: verdict.errorCategory,
    errorMessage: verdict.passed ? null : `${failedTests.length ? `Failed: ${failedTests.join(", ")}. ` : ""}${ERROR_CATEGORIES[verdict.errorCategory ?? "UNKNOWN"].advice(ctx)}`,
    tests,
    invokedId: where.invokedId,
    via: where.via,
    battery: batteryName,
  });
}
