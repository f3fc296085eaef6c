import "server-only";
// One Bedrock call of a battery: the Region's rate limit first, the per-call
// deadline and cancellation, then retries with exponential backoff for the
// retryable categories (throttling, timeouts, 5xx), each throttle counted and
// fed back to the Region's adaptive concurrency. What cannot be retried, or
// runs out of attempts, is thrown as a CallFailed carrying its category.
import { setTimeout as sleep } from "node:timers/promises";
import { noteCall } from "@/lib/bedrock/call-health";
import { withDeadline } from "@/lib/bedrock/clients";
import { classifyBedrockError, type ClassifiedError } from "@/lib/bedrock/classify-error";
import type { RegionLimiter } from "@/lib/limits/region-limiter";
import { metrics } from "@/lib/metrics/metrics";

export class CallFailed extends Error {
  constructor(readonly classified: ClassifiedError) {
    super(classified.detail || classified.message);
    this.name = "CallFailed";
  }
}

export type CallContext = {
  region: string;
  modelId: string;
  signal: AbortSignal;
  callTimeoutMs: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  limiter?: RegionLimiter;
  counters: { throttles: number; calls: number };
  // The model's kind, for the metrics' labels (lib/metrics).
  kind?: string;
};

export async function callBedrock<T>(ctx: CallContext, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.limiter?.takeCallToken(ctx.region, ctx.signal);
      ctx.counters.calls++;
      const timer = metrics.bedrockCallSeconds.startTimer({ region: ctx.region, kind: ctx.kind ?? "unknown" });
      let result: T;
      const ended = noteCall(ctx.region);
      try {
        result = await withDeadline(call, { timeoutMs: ctx.callTimeoutMs, signal: ctx.signal });
      } catch (err) {
        const category = classifyBedrockError(err, { modelId: ctx.modelId, region: ctx.region }).category;
        // An error Bedrock sent is an answer; a deadline, a reset or a cancel is not.
        ended(!["TIMEOUT", "NETWORK", "CANCELLED"].includes(category));
        timer({ outcome: category });
        throw err;
      }
      ended(true);
      timer({ outcome: "ok" });
      await ctx.limiter?.onSuccess(ctx.region);
      return result;
    } catch (err) {
      const classified = classifyBedrockError(ctx.signal.aborted ? Object.assign(new Error("aborted"), { name: "AbortError" }) : err, { modelId: ctx.modelId, region: ctx.region });
      if (classified.category === "THROTTLED") {
        metrics.throttles.inc({ region: ctx.region });
        ctx.counters.throttles++;
        await ctx.limiter?.onThrottle(ctx.region);
      }
      if (!classified.retryable || attempt >= ctx.maxAttempts || ctx.signal.aborted) throw new CallFailed(classified);
      // Full jitter: spreads the retries of many pairs hitting one Region.
      const delay = Math.random() * ctx.retryBaseDelayMs * 2 ** (attempt - 1);
      try {
        await sleep(delay, undefined, { signal: ctx.signal });
      } catch {
        throw new CallFailed(classifyBedrockError(Object.assign(new Error("aborted"), { name: "AbortError" }), { modelId: ctx.modelId, region: ctx.region }));
      }
    }
  }
}
