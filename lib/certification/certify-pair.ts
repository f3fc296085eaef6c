import "server-only";
// Certifies one model in one Region (as the claim in PostgreSQL found it):
// availability first (a pair that is not offered, legacy, profile-only without
// profiles or of a kind with no battery ends, neutral, without a model call;
// one not authorised fails before any model call), then the battery that fits
// the model, then the verdict.
import { GetFoundationModelAvailabilityCommand } from "@aws-sdk/client-bedrock";
import type { BedrockClients } from "@/lib/bedrock/clients";
import { ERROR_CATEGORIES } from "@/lib/bedrock/error-categories";
import { modelKind } from "@/lib/catalog/model-kind";
import type { CertificationRating, ErrorCategory, PairAvailability } from "@/lib/generated/prisma/enums";
import type { RegionLimiter } from "@/lib/limits/region-limiter";
import type { SpareSlots } from "@/lib/limits/spare-slots";
import { availabilityOfCategory, batteryFor, planPair, type BatteryName } from "./availability";
import { callBedrock, CallFailed, type CallContext } from "./bedrock-call";
import { brokenOf, capabilitiesOf, exceptionsNote, type Capabilities } from "./capabilities";
import { runEmbeddingBattery } from "./battery/embedding";
import type { Battery } from "./battery/harness";
import { runImageBattery } from "./battery/image";
import { runRerankBattery } from "./battery/rerank";
import { runVideoBattery } from "./battery/video";
import { runTextBattery } from "./battery/text";
import { SLOW_MEDIAN_MS, type CertificationConfig } from "./config";
import type { PairTarget } from "./pair-store";
import type { TestResults } from "./results";
import { scoreTests } from "./scoring";

export type PairOutcome = {
  // COMPLETED with passed = null: not tried because of its availability.
  status: "COMPLETED" | "FAILED" | "CANCELLED";
  passed: boolean | null;
  score: number | null;
  rating: CertificationRating | null;
  errorCategory: ErrorCategory | null;
  errorMessage: string | null;
  availability: PairAvailability | null;
  testResults: TestResults;
  startedAt: string;
  completedAt: string;
  durationMs: number;
};

export type CertifyDeps = {
  bedrock: BedrockClients;
  limiter?: RegionLimiter;
  callTimeoutMs: number;
  // Idle Region slots the battery may borrow to run its tests side by side.
  spare?: SpareSlots;
};

type Route =
  | { ok: true; invokedId: string; via: "in-region" | "inference-profile"; availability: PairAvailability; drift?: string }
  | { ok: false; availability: Exclude<PairAvailability, "IN_REGION">; category: ErrorCategory | null; detail: string }
  | { ok: false; availability: "IN_REGION"; category: "ACCESS_DENIED"; detail: string };

// Which identifier to invoke in the Region (the availability rule, with the
// catalog record as it is now), confirmed by GetFoundationModelAvailability,
// or why not to invoke at all.
async function route(deps: CertifyDeps, call: CallContext, pair: { region: string } & PairTarget, bedrockModelId: string, config: CertificationConfig): Promise<Route> {
  const plan = planPair({ bedrockModelId, outputModalities: pair.model.outputModalities, lifecycle: pair.model.lifecycle }, pair.availability, config);
  if (plan.kind === "settle") return { ok: false, availability: plan.availability, category: plan.category, detail: plan.detail };
  try {
    const answer = await callBedrock(call, (signal) => deps.bedrock.control(pair.region).send(new GetFoundationModelAvailabilityCommand({ modelId: bedrockModelId }), { abortSignal: signal }));
    if (answer.regionAvailability === "NOT_AVAILABLE") {
      return {
        ok: false,
        availability: "NOT_OFFERED",
        category: "NOT_OFFERED_IN_REGION",
        detail: plan.confirmNotOffered
          ? "GetFoundationModelAvailability confirms: regionAvailability NOT_AVAILABLE"
          : "GetFoundationModelAvailability: regionAvailability NOT_AVAILABLE (the catalog sync had it offered: catalog drift)",
      };
    }
    if (answer.authorizationStatus === "NOT_AUTHORIZED")
      return { ok: false, availability: "IN_REGION", category: "ACCESS_DENIED", detail: "GetFoundationModelAvailability: authorizationStatus NOT_AUTHORIZED" };
    if (plan.confirmNotOffered) {
      return {
        ok: true,
        invokedId: plan.invokedId,
        via: plan.via,
        availability: "IN_REGION",
        drift: "The catalog sync found the model not offered here; GetFoundationModelAvailability says it is available: certified in-Region",
      };
    }
  } catch (err) {
    // Only a cancellation or refused credentials stop here: without the
    // control-plane answer (no permission, an outage) the battery itself finds out.
    if (err instanceof CallFailed && (err.classified.category === "CANCELLED" || err.classified.category === "CREDENTIALS")) throw err;
    if (plan.confirmNotOffered)
      return {
        ok: false,
        availability: "NOT_OFFERED",
        category: "NOT_OFFERED_IN_REGION",
        detail: "The catalog sync found the model not offered here (GetFoundationModelAvailability could not confirm it)",
      };
  }
  return { ok: true, invokedId: plan.invokedId, via: plan.via, availability: plan.availability ?? "IN_REGION" };
}

export async function certifyPair(deps: CertifyDeps, pair: { region: string } & PairTarget, config: CertificationConfig, signal: AbortSignal): Promise<PairOutcome> {
  const started = new Date();
  const counters = { throttles: 0, calls: 0 };
  const finish = (
    o: Omit<PairOutcome, "startedAt" | "completedAt" | "durationMs" | "testResults"> & {
      tests: TestResults["tests"];
      invokedId: string | null;
      via: TestResults["via"];
      battery: TestResults["battery"];
      drift?: string;
      capabilities?: Capabilities;
    },
  ): PairOutcome => {
    const completed = new Date();
    return {
      status: o.status,
      passed: o.passed,
      score: o.score,
      rating: o.rating,
      errorCategory: o.errorCategory,
      errorMessage: o.errorMessage,
      availability: o.availability,
      testResults: {
        version: 1,
        battery: o.battery,
        invokedId: o.invokedId,
        via: o.via,
        throttles: counters.throttles,
        ...(o.drift ? { drift: o.drift } : {}),
        ...(o.capabilities ? { capabilities: o.capabilities } : {}),
        tests: o.tests,
      },
      startedAt: started.toISOString(),
      completedAt: completed.toISOString(),
      durationMs: completed.getTime() - started.getTime(),
    };
  };
  const cancelled = (battery: TestResults["battery"], tests: TestResults["tests"] = []) =>
    finish({
      status: "CANCELLED",
      passed: null,
      score: null,
      rating: null,
      errorCategory: "CANCELLED",
      errorMessage: ERROR_CATEGORIES.CANCELLED.advice({ modelId: "", region: pair.region }),
      availability: null,
      tests,
      invokedId: null,
      via: "not-invoked",
      battery,
    });

  const model = pair.model;
  if (!model.bedrockModelId) {
    return finish({
      status: "FAILED",
      passed: false,
      score: 0,
      rating: "FAILED",
      errorCategory: "INVALID_REQUEST",
      errorMessage: "The model has no Bedrock model id in the catalog: it cannot be invoked.",
      availability: null,
      tests: [],
      invokedId: null,
      via: "not-invoked",
      battery: "none",
    });
  }
  const ctx = { modelId: model.bedrockModelId, region: pair.region };
  const kind = modelKind(model);
  const call: CallContext = { ...ctx, signal, callTimeoutMs: deps.callTimeoutMs, maxAttempts: config.maxAttempts, retryBaseDelayMs: config.retryBaseDelayMs, limiter: deps.limiter, counters, kind };
  const batteryName = batteryFor(kind);
  // Not tried because of where (or what) the model is: a neutral verdict.
  const notTried = (
    availability: Exclude<PairAvailability, "IN_REGION">,
    category: ErrorCategory | null,
    detail: string,
    tests: TestResults["tests"] = [],
    invoked: { invokedId: string | null; via: TestResults["via"] } = { invokedId: null, via: "not-invoked" },
  ) =>
    finish({
      status: "COMPLETED",
      passed: null,
      score: null,
      rating: null,
      errorCategory: category,
      errorMessage: category ? `${ERROR_CATEGORIES[category].advice(ctx)} (${detail})` : detail,
      availability,
      tests,
      ...invoked,
      battery: batteryName,
    });

  let where: Route;
  try {
    where = await route(deps, call, pair, model.bedrockModelId, config);
  } catch (err) {
    if (err instanceof CallFailed && err.classified.category === "CREDENTIALS") {
      return finish({
        status: "FAILED",
        passed: false,
        score: 0,
        rating: "FAILED",
        errorCategory: "CREDENTIALS",
        errorMessage: err.classified.detail,
        availability: null,
        tests: [],
        invokedId: null,
        via: "not-invoked",
        battery: batteryName,
      });
    }
    return cancelled(batteryName);
  }
  if (!where.ok && where.availability !== "IN_REGION") return notTried(where.availability, where.category, where.detail);
  if (!where.ok) {
    return finish({
      status: "FAILED",
      passed: false,
      score: 0,
      rating: "FAILED",
      errorCategory: where.category,
      errorMessage: `${ERROR_CATEGORIES[where.category].advice(ctx)} (${where.detail})`,
      availability: where.availability,
      tests: [],
      invokedId: null,
      via: "not-invoked",
      battery: batteryName,
    });
  }

  const battery: Battery = {
    bedrock: deps.bedrock,
    model: { bedrockModelId: model.bedrockModelId, name: model.name, streaming: model.streaming },
    invokedId: where.invokedId,
    config,
    call,
    spare: deps.spare,
  };
  const run = { text: runTextBattery, embedding: runEmbeddingBattery, image: runImageBattery, rerank: runRerankBattery, video: runVideoBattery }[batteryName as Exclude<BatteryName, "none">];
  const tests = await run(battery);
  if (signal.aborted || tests.some((t) => t.errorCategory === "CANCELLED")) return cancelled(batteryName, tests);

  // A model call said the pair is not offered here, needs a profile or is
  // legacy: the catalog was out of date, or the model was withdrawn while the
  // battery ran. Either way not a failure, and no capability of it broken.
  const unreachable = tests.find((t) => t.outcome === "error" && availabilityOfCategory(t.errorCategory));
  if (unreachable) {
    const category = unreachable.errorCategory!;
    return notTried(
      availabilityOfCategory(category)!,
      category,
      unreachable.name === "reachability"
        ? `the model call answered ${category} although the catalog sync had the pair as ${where.availability.toLowerCase().replace("_", "-")}: catalog drift`
        : `the model stopped answering here during the battery (${unreachable.name}: ${category}): withdrawn or moved while it ran`,
      tests,
      { invokedId: where.invokedId, via: where.via },
    );
  }

  const capabilities = capabilitiesOf(batteryName, tests);
  const slowFloor = config.thresholds.slowMedianMs ?? SLOW_MEDIAN_MS[batteryName] ?? null;
  const medianMs = medianCallMs(tests);
  const slow = slowFloor !== null && medianMs !== null && medianMs > slowFloor;
  const unverified = tests.some((t) => t.detail.startsWith("Unverified"));
  const verdict = scoreTests(tests, config.thresholds.passScore, capabilities, { slow, unverified });
  const failedTests = tests
    .filter((t) => t.outcome === "failed" || t.outcome === "error")
    .map((t) => (t.outcome === "error" && t.errorCategory ? `${t.name} (${ERROR_CATEGORIES[t.errorCategory].label.toLowerCase()})` : t.name));
  const except = exceptionsNote(brokenOf(capabilities));
  const slowNote = slow ? `slow: the median call took ${(medianMs / 1000).toFixed(1)} s (floor ${(slowFloor / 1000).toFixed(0)} s)` : null;
  const passNote = [except ? `${except[0]!.toUpperCase()}${except.slice(1)}: ${failedTests.join(", ")} failed.` : null, slowNote ? `${slowNote[0]!.toUpperCase()}${slowNote.slice(1)}.` : null]
    .filter(Boolean)
    .join(" ");
  return finish({
    status: verdict.passed ? "COMPLETED" : "FAILED",
    passed: verdict.passed,
    score: verdict.score,
    rating: verdict.rating,
    errorCategory: verdict.errorCategory,
    // A pass with a broken capability, or slow, says so ("certified except streaming").
    errorMessage: verdict.passed
      ? passNote || null
      : `${failedTests.length ? `Failed: ${failedTests.join(", ")}. ` : ""}${slowNote ? `${slowNote[0]!.toUpperCase()}${slowNote.slice(1)}. ` : ""}${ERROR_CATEGORIES[verdict.errorCategory ?? "UNKNOWN"].advice(ctx)}`,
    availability: where.availability,
    drift: where.drift,
    capabilities,
    tests,
    invokedId: where.invokedId,
    via: where.via,
    battery: batteryName,
  });
}

// The median time of the tests whose calls the model answered (one call, or
// the mean of a content test's samples): what a user of the model waits.
function medianCallMs(tests: TestResults["tests"]): number | null {
  const times = tests
    .filter((t) => (t.outcome === "passed" || t.outcome === "failed") && t.latencyMs !== null)
    .map((t) => t.latencyMs!)
    .sort((a, b) => a - b);
  return times.length ? times[Math.floor(times.length / 2)]! : null;
}

// Throttling is not a model failure (docs/certification.md): a pair one of
// whose calls ran out of attempts while Bedrock throttled it goes back to the
// queue, up to config.throttleRequeues times (the queue handler does it).
export const throttledOut = (o: PairOutcome) => o.status !== "CANCELLED" && o.testResults.tests.some((t) => t.outcome === "error" && t.errorCategory === "THROTTLED");

// The pair met the service failing (5xx, resets) on some call: if its Region
// is in a declared outage (an open Region incident), that says nothing of the
// model, and the pair is tried again later rather than passed "except …".
export const metServiceFailure = (o: PairOutcome) =>
  o.status !== "CANCELLED" && o.testResults.tests.some((t) => t.outcome === "error" && (t.errorCategory === "SERVICE_UNAVAILABLE" || t.errorCategory === "NETWORK"));

// AWS refused the workers' credentials on one of the pair's calls: what it
// said, or null. Never recorded as the pair's verdict (the job pauses).
export function credentialsRefused(o: PairOutcome): string | null {
  if (o.errorCategory === "CREDENTIALS" && !o.testResults.tests.length) return o.errorMessage ?? "AWS refused the credentials";
  // (a test's detail is "what AWS said — the advice": the advice is said once, by the job)
  return o.testResults.tests.find((t) => t.errorCategory === "CREDENTIALS")?.detail.split(" — ")[0] ?? null;
}

// The run that ends a pair that went back to the queue: it counts the earlier
// runs' throttles and, past the budget, says the Region kept throttling.
export function afterRequeues(o: PairOutcome, requeues: number, throttlesBefore: number): PairOutcome {
  const counted = throttlesBefore ? { ...o, testResults: { ...o.testResults, throttles: o.testResults.throttles + throttlesBefore } } : o;
  if (!throttledOut(o) || o.passed) return counted;
  return {
    ...counted,
    errorCategory: "THROTTLED",
    errorMessage: `The Region kept throttling: the pair went back to the queue ${requeues} times and its calls were still throttled. ${o.errorMessage ?? ""}`.trim(),
  };
}
