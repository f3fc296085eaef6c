import "server-only";
// What a battery's tests share: the invoked identifier, the call context, the
// results so far, and helpers that turn a test body into a TestResult.
import type { BedrockClients } from "@/lib/bedrock/clients";
import type { SpareSlots } from "@/lib/limits/spare-slots";
import { testsToRun, type CertificationConfig, type TestName } from "../config";
import { callBedrock, CallFailed, type CallContext } from "../bedrock-call";
import type { TestResult } from "../results";
import { rejectionOf } from "@/lib/bedrock/rejected-field";
import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { MalformedResponse } from "@/lib/bedrock/classify-error";

export type BatteryModel = { bedrockModelId: string; name: string; streaming: boolean | null };

export type Battery = {
  bedrock: BedrockClients;
  model: BatteryModel;
  invokedId: string;
  config: CertificationConfig;
  call: CallContext;
  // Idle slots of the Region the pair may borrow for its tests and their
  // samples (lib/limits/spare-slots.ts; it knows how many the pair may hold).
  spare?: SpareSlots;
};

export class Skip extends Error {}

// What a test did besides its check: how it adapted its request (`adapted`,
// the array) and what it asked and was answered (`transcript`).
export type Turn = { prompt: string; answer: string };
export type Trace = string[] & { transcript?: Turn[] };
export const trace = (): Trace => Object.assign([] as string[], { transcript: [] as Turn[] });
const TURN_CHARS = 200;
export const turn = (prompt: string, answer: string): Turn => ({ prompt: clip(prompt, TURN_CHARS), answer: clip(answer, TURN_CHARS) });

export type TestBody = () => Promise<{ passed: boolean; detail: string; latencyMs: number | null; metrics?: Record<string, number>; adapted?: Trace }>;

export async function runTest(name: TestName, body: TestBody): Promise<TestResult> {
  try {
    const r = await body();
    return {
      name,
      outcome: r.passed ? "passed" : "failed",
      latencyMs: r.latencyMs === null ? null : Math.round(r.latencyMs),
      detail: r.detail,
      ...(r.metrics ? { metrics: r.metrics } : {}),
      ...(r.adapted?.length ? { adapted: [...new Set(r.adapted)] } : {}),
      ...(r.adapted?.transcript?.length ? { transcript: r.adapted.transcript.slice(0, 4) } : {}),
    };
  } catch (err) {
    if (err instanceof Skip) return { name, outcome: "skipped", latencyMs: null, detail: err.message };
    if (err instanceof CallFailed) {
      // Bedrock's words for "this model cannot do that": not supported, not failed.
      if (err.classified.category === "INVALID_REQUEST" && rejectionOf(err.classified.detail)?.kind === "capability") {
        return { name, outcome: "skipped", latencyMs: null, detail: `Not supported by the model: ${err.classified.detail}` };
      }
      return { name, outcome: "error", latencyMs: null, detail: `${err.classified.detail} — ${err.classified.message}`, errorCategory: err.classified.category };
    }
    throw err;
  }
}

// A promise awaited only later, once others are done: marked handled now, so
// that failing early it is not an unhandled rejection (which ends the process);
// awaiting it still throws its error.
function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

// A content test asked `samples` times, each with fresh values: right only
// when every sample is; the result says how many agreed, and shows the first
// wrong one. With `spare`, a sample goes to an idle slot of the Region when
// there is one, beside the first; the others follow it on the test's own slot.
export function sampled(samples: number, body: TestBody, spare?: SpareSlots): TestBody {
  return async () => {
    const runs: Awaited<ReturnType<TestBody>>[] = [];
    const beside: Promise<void>[] = [];
    const after: number[] = [];
    for (let i = 1; i < samples; i++) {
      const giveBack = spare ? await spare.borrow() : null;
      if (!giveBack) after.push(i);
      else
        beside.push(
          handledLater(
            body()
              .then((r) => void (runs[i] = r))
              .finally(giveBack),
          ),
        );
    }
    try {
      runs[0] = await body();
      for (const i of after) runs[i] = await body();
    } finally {
      await Promise.allSettled(beside); // (no call left behind, its slot given back)
    }
    await Promise.all(beside); // a sample's error, as the sequential way would throw it
    const agreed = runs.filter((r) => r.passed).length;
    const shown = runs.find((r) => !r.passed) ?? runs.at(-1)!;
    const latencies = runs.map((r) => r.latencyMs).filter((ms): ms is number => ms !== null);
    return {
      ...shown,
      passed: agreed === samples,
      detail: samples > 1 ? `${agreed}/${samples} samples right. ${shown.detail}` : shown.detail,
      latencyMs: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
      metrics: { ...shown.metrics, samples, samplesAgreed: agreed },
      adapted: Object.assign(
        runs.flatMap((r) => r.adapted ?? []),
        { transcript: runs.flatMap((r) => r.adapted?.transcript ?? []) },
      ),
    };
  };
}

const notRun = (name: TestName, why: string): TestResult => ({ name, outcome: "skipped", latencyMs: null, detail: why });

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

// One InvokeModel call and its JSON answer, read inside the call: a body that
// is not JSON (NaN, empty, cut short) is a MALFORMED_RESPONSE like any other
// error of the call, retried within its attempts and then the test's error,
// never an exception that escapes the battery (which would loop the pair).
export async function invokeJson(b: Battery, body: unknown): Promise<{ value: unknown; ms: number }> {
  return timed(() =>
    callBedrock(b.call, async (signal) => {
      const out = await b.bedrock
        .runtime(b.call.region)
        .send(new InvokeModelCommand({ modelId: b.invokedId, contentType: "application/json", accept: "application/json", body: JSON.stringify(body) }), { abortSignal: signal });
      const text = new TextDecoder().decode(out.body ?? new Uint8Array());
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new MalformedResponse(`InvokeModel answered 200 with a body that is not JSON (${text.length} bytes: "${clip(text, 60)}")`);
      }
    }),
  );
}

export const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text);

// Runs a battery's tests: the first (reachability) always, then the ones the
// job's config chooses; when the first could not reach the model (an error, not
// a wrong answer), the rest are recorded as not run, with why. One at a time on
// the pair's own slot; with `spare`, a battery whose tests do not depend on one
// another runs more of them at once on idle slots of its Region (the tests in
// `last`, which read what the others found, after them all). Results come in
// the battery's order either way.
export async function runBattery<N extends TestName>(
  all: readonly N[],
  config: CertificationConfig,
  tests: Record<N, () => Promise<TestResult>>,
  notReached: string,
  options: { spare?: SpareSlots; last?: readonly N[] } = {},
): Promise<TestResult[]> {
  const chosen = new Set<TestName>(testsToRun(config, all));
  const first = await tests[all[0]!]();
  const rest = all.slice(1).filter((name) => chosen.has(name));
  const reached = first.outcome === "passed" || first.outcome === "failed";
  if (!reached) return [first, ...rest.map((name) => notRun(name, notReached))];

  const results = new Map<N, TestResult>([[all[0]!, first]]);
  const spare = options.spare ?? null;
  const last = new Set<N>(spare ? (options.last ?? []) : []);
  const pending = rest.filter((name) => !last.has(name));
  const runFrom = async (queue: N[]) => {
    for (let name = queue.shift(); name; name = queue.shift()) results.set(name, await tests[name]());
  };
  if (!spare) await runFrom(pending);
  else {
    const lanes: Promise<void>[] = [];
    // Before each test a lane starts: an idle slot, with a lane of its own,
    // for each test beyond it, as many as the pair may hold.
    const spread = async () => {
      while (pending.length > 0) {
        const giveBack = await spare.borrow();
        if (!giveBack) return;
        lanes.push(handledLater(lane(giveBack)));
      }
    };
    const lane = async (giveBack?: () => Promise<void>) => {
      try {
        for (let name = pending.shift(); name; name = pending.shift()) {
          await spread();
          results.set(name, await tests[name]());
        }
      } finally {
        await giveBack?.();
      }
    };
    // And at once when a slot of the Region is given back with nobody waiting
    // for it: at a job's end, slots free up in the middle of long tests.
    const chances = new Set<Promise<void>>();
    const stopListening = spare.onChance(() => {
      const chance = spread()
        .catch(() => {})
        .finally(() => chances.delete(chance));
      chances.add(chance);
    });
    try {
      await lane(); // the pair's own slot
    } finally {
      stopListening();
      await Promise.allSettled([...chances]);
      await Promise.allSettled(lanes);
    }
    await Promise.all(lanes); // (a lane's unexpected error, once every lane has ended)
    await runFrom(rest.filter((name) => last.has(name)));
  }
  return all.filter((name) => results.has(name)).map((name) => results.get(name)!);
}
