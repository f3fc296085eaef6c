import "server-only";
// What a battery's tests share: the invoked identifier, the call context, the
// results so far, and helpers that turn a test body into a TestResult.
import type { BedrockClients } from "@/lib/bedrock/clients";
import { testsToRun, type CertificationConfig, type TestName } from "../config";
import { CallFailed, type CallContext } from "../bedrock-call";
import type { TestResult } from "../results";

export type BatteryModel = { bedrockModelId: string; name: string; streaming: boolean | null };

export type Battery = {
  bedrock: BedrockClients;
  model: BatteryModel;
  invokedId: string;
  config: CertificationConfig;
  call: CallContext;
};

// Bedrock's words for "this model cannot do that": the test is skipped, not failed.
const UNSUPPORTED = /doesn.t support (tool use|system messages|streaming)|unsupported for streaming|does not support/i;

export class Skip extends Error {}

export type TestBody = () => Promise<{ passed: boolean; detail: string; latencyMs: number | null; metrics?: Record<string, number> }>;

export async function runTest(name: TestName, body: TestBody): Promise<TestResult> {
  try {
    const r = await body();
    return { name, outcome: r.passed ? "passed" : "failed", latencyMs: r.latencyMs === null ? null : Math.round(r.latencyMs), detail: r.detail, ...(r.metrics ? { metrics: r.metrics } : {}) };
  } catch (err) {
    if (err instanceof Skip) return { name, outcome: "skipped", latencyMs: null, detail: err.message };
    if (err instanceof CallFailed) {
      if (err.classified.category === "INVALID_REQUEST" && UNSUPPORTED.test(err.classified.detail)) {
        return { name, outcome: "skipped", latencyMs: null, detail: `Not supported by the model: ${err.classified.detail}` };
      }
      return { name, outcome: "error", latencyMs: null, detail: `${err.classified.detail} — ${err.classified.message}`, errorCategory: err.classified.category };
    }
    throw err;
  }
}

// A content test asked `samples` times, each with fresh values: right only
// when every sample is; the result says how many agreed, and shows the first
// wrong one.
export function sampled(samples: number, body: TestBody): TestBody {
  return async () => {
    const runs: Awaited<ReturnType<TestBody>>[] = [];
    for (let i = 0; i < samples; i++) runs.push(await body());
    const agreed = runs.filter((r) => r.passed).length;
    const shown = runs.find((r) => !r.passed) ?? runs.at(-1)!;
    const latencies = runs.map((r) => r.latencyMs).filter((ms): ms is number => ms !== null);
    return {
      ...shown,
      passed: agreed === samples,
      detail: samples > 1 ? `${agreed}/${samples} samples right. ${shown.detail}` : shown.detail,
      latencyMs: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
      metrics: { ...shown.metrics, samples, samplesAgreed: agreed },
    };
  };
}

const notRun = (name: TestName, why: string): TestResult => ({ name, outcome: "skipped", latencyMs: null, detail: why });

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text);

// Runs a battery's tests in order: the first (reachability) always, then the
// ones the job's config chooses; when the first could not reach the model (an
// error, not a wrong answer), the rest are recorded as not run, with why.
export async function runBattery<N extends TestName>(all: readonly N[], config: CertificationConfig, tests: Record<N, () => Promise<TestResult>>, notReached: string): Promise<TestResult[]> {
  const chosen = new Set<TestName>(testsToRun(config, all));
  const results = [await tests[all[0]!]()];
  const reached = results[0]!.outcome === "passed" || results[0]!.outcome === "failed";
  for (const name of all.slice(1)) {
    if (!chosen.has(name)) continue;
    results.push(reached ? await tests[name]() : notRun(name, notReached));
  }
  return results;
}
