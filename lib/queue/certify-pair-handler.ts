import "server-only";
// The worker's handler for certify-pair jobs. The payload is parsed again here
// (the app parsed it when enqueuing). Order of work: a Region slot (shared by
// every worker process), the claim in PostgreSQL, the battery, the result kept
// on the queue job (so an infrastructure retry records it instead of certifying
// again), then the guarded write of the outcome and a progress message.
import { DelayedError, WaitingError, type Job } from "bullmq";
import type { RedisClient } from "@/lib/redis";
import type { Logger } from "pino";
import type { BedrockClients } from "@/lib/bedrock/clients";
import { afterRequeues, certifyPair, credentialsRefused, metServiceFailure, throttledOut } from "@/lib/certification/certify-pair";
import { certificationConfigSchema } from "@/lib/certification/config";
import { publishProgress } from "@/lib/certification/events";
import { claimPair, finishPair, unclaimPair } from "@/lib/certification/pair-store";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { RegionLimiter } from "@/lib/limits/region-limiter";
import { watchFinishedPair, type PairWatchDeps } from "@/lib/watch/after-pair";
import { metrics } from "@/lib/metrics/metrics";
import { cellSpeeds } from "@/lib/certification/cell-speeds";
import { modelKind } from "@/lib/catalog/model-kind";
import { cellVerdict } from "@/lib/certification/verdict";
import type { PairOutcome } from "@/lib/certification/certify-pair";
import { spareSlots } from "@/lib/limits/spare-slots";
import { certifyPairJob, type CertifyPairPayload } from "./certify-pair-job";

export type HandlerDeps = {
  db: PrismaClient;
  bedrock: BedrockClients;
  limiter: RegionLimiter;
  redis: RedisClient;
  prefix: string;
  workerId: string;
  callTimeoutMs: number;
  slotWaitMs: number;
  leaseMs: number;
  // How many of a pair's tests may run at once on idle slots of its Region (1: one at a time).
  maxParallelTests?: number;
  log: Logger;
  // Regressions, incidents, "job finished" (lib/watch): after the result is recorded.
  watch?: PairWatchDeps;
  // AWS refused the credentials: the job pauses itself (lib/certification/jobs.ts
  // pauseJobItself) instead of failing every pair one by one.
  onCredentialsRefused?: (pair: { jobId: string; pairId: string; round: number }, reason: string) => Promise<void>;
};

// Milliseconds spent in each phase of a pair, in order.
function phaseClock() {
  let last = performance.now();
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name: string) {
      const now = performance.now();
      laps[name] = Math.round((now - last) * 10) / 10;
      last = now;
    },
  };
}

// A finished pair in the metrics: its verdict, and its time to first token.
function recordVerdict(region: string, model: { bedrockModelId: string | null; outputModalities: string[] }, outcome: PairOutcome) {
  metrics.verdicts.inc({ verdict: cellVerdict(outcome), category: outcome.errorCategory ?? "none" });
  const ttft = cellSpeeds(outcome.testResults).timeToFirstTokenMs;
  if (ttft !== null) metrics.timeToFirstTokenSeconds.observe({ region, kind: modelKind(model) }, ttft / 1000);
}

// A Region with an open incident (most of its pairs failing: lib/watch/incidents.ts).
async function regionInOutage(db: PrismaClient, region: string): Promise<boolean> {
  return (await db.incident.count({ where: { scope: "region", subject: region, status: "OPEN" } })) > 0;
}

// How many times a pair may crash (an error escaping its battery) before it
// is recorded FAILED with that error instead of retried again.
export const MAX_PAIR_CRASHES = 5;

function crashedOutcome(err: unknown, crashes: number): PairOutcome {
  const now = new Date().toISOString();
  return {
    status: "FAILED",
    passed: false,
    score: 0,
    rating: "FAILED",
    errorCategory: "UNKNOWN",
    errorMessage: `The certification crashed ${crashes} times on this pair and was stopped: ${String((err as Error)?.message ?? err).slice(0, 300)}. Check the worker logs and re-certify.`,
    availability: null,
    testResults: { version: 1, battery: "none", invokedId: null, via: "not-invoked", throttles: 0, tests: [] },
    startedAt: now,
    completedAt: now,
    durationMs: 0,
  };
}

// Why a running pair was aborted: a cancel of its job, or this worker stopping.
export const ABORT_CANCELLED = "cancelled";
export const ABORT_SHUTDOWN = "shutdown";

export function createCertifyPairHandler(deps: HandlerDeps) {
  return async (job: Job<CertifyPairPayload>, token?: string, signal?: AbortSignal) => {
    const payload = certifyPairJob.schema.parse(job.data);
    const abort = signal ?? new AbortController().signal;
    const log = deps.log.child({ jobId: payload.jobId, pairId: payload.pairId, region: payload.region, round: payload.round });
    const holder = `${deps.workerId}/${job.id}`;
    // Where a pair's time goes (logged with its end; bench:throughput reads it).
    const clock = phaseClock();
    const backToQueue = async () => {
      await job.moveToWait(token);
      throw new WaitingError();
    };

    // A result already computed only needs recording: no slot, no calls.
    const needsSlot = !payload.result;
    // The pair waits as itself (its queue job id), whichever worker holds it.
    const gotSlot = needsSlot ? await deps.limiter.acquireSlot(payload.region, holder, deps.slotWaitMs, abort, payload.weight, job.id) : true;
    clock.lap("slotWait");
    if (!gotSlot) {
      if (abort.aborted && abort.reason === ABORT_SHUTDOWN) return backToQueue();
      if (!abort.aborted) {
        // The Region is full: let other Regions' pairs use this worker meanwhile.
        await job.moveToDelayed(Date.now() + 100 + Math.random() * 400, token);
        throw new DelayedError();
      }
    }
    if (needsSlot && gotSlot) metrics.regionSlotsInUse.inc({ region: payload.region });
    const renew = needsSlot ? setInterval(() => void deps.limiter.renewSlot(payload.region, holder).catch(() => {}), deps.leaseMs / 3) : null;
    let holding = needsSlot;
    const spare =
      needsSlot && gotSlot && (deps.maxParallelTests ?? 1) > 1
        ? spareSlots(deps.limiter, payload.region, holder, deps.leaseMs, deps.maxParallelTests! - 1, (delta) =>
            delta > 0 ? metrics.regionSlotsInUse.inc({ region: payload.region }) : metrics.regionSlotsInUse.dec({ region: payload.region }),
          )
        : null;
    // The slot is for Bedrock calls: give it back as soon as they are done, not
    // after the bookkeeping.
    const releaseSlot = async () => {
      if (!holding) return;
      holding = false;
      if (renew) clearInterval(renew);
      await spare?.close();
      if (gotSlot) metrics.regionSlotsInUse.dec({ region: payload.region });
      await deps.limiter.releaseSlot(payload.region, holder).catch(() => {});
    };
    try {
      const claim = await claimPair(deps.db, payload, deps.workerId);
      clock.lap("claim");
      if (!claim.claimed) {
        log.info({ reason: claim.reason }, "pair not run");
        return { skipped: claim.reason };
      }
      let outcome = payload.result;
      if (!outcome) {
        const config = certificationConfigSchema.parse(claim.config);
        // Claims that ended in a crash rather than a result (throttle requeues are not crashes).
        const crashes = claim.attempts - 1 - (payload.throttleRequeues ?? 0);
        try {
          outcome = await certifyPair(
            { bedrock: deps.bedrock, limiter: deps.limiter, callTimeoutMs: deps.callTimeoutMs, spare: spare ?? undefined },
            { region: payload.region, model: claim.model, availability: claim.availability },
            config,
            abort,
          );
        } catch (err) {
          // An error the battery did not expect is retried (it may be this
          // worker's), but not forever: past the bound the pair ends FAILED
          // with the error, so a job always finishes (issue 27).
          if (crashes + 1 < MAX_PAIR_CRASHES) throw err;
          log.error({ err: (err as Error).message, crashes: crashes + 1 }, "pair crashed too often: recorded as failed");
          outcome = crashedOutcome(err, crashes + 1);
        }
        clock.lap("battery");
        await releaseSlot();
        clock.lap("release");
        const requeues = payload.throttleRequeues ?? 0;
        const outage = requeues < config.throttleRequeues && metServiceFailure(outcome) && (await regionInOutage(deps.db, payload.region));
        if ((throttledOut(outcome) || outage) && requeues < config.throttleRequeues) {
          // Not the model's fault: try again later, as a whole, while the
          // Region's limit (lowered by the throttles) recovers.
          await unclaimPair(deps.db, payload);
          const delayMs = Math.min(30_000, 1_000 * 2 ** requeues) * (0.5 + Math.random() / 2);
          log.info({ requeues: requeues + 1, delayMs: Math.round(delayMs), outage }, outage ? "Region in an outage: back to the queue" : "pair throttled out: back to the queue");
          await job.updateData({ ...payload, throttleRequeues: requeues + 1, throttlesBefore: (payload.throttlesBefore ?? 0) + outcome.testResults.throttles });
          await job.moveToDelayed(Date.now() + delayMs, token);
          throw new DelayedError();
        }
        const refused = credentialsRefused(outcome);
        if (refused && deps.onCredentialsRefused) {
          log.warn({ detail: refused }, "AWS refused the credentials: the job pauses itself");
          await deps.onCredentialsRefused(payload, refused);
          return { skipped: "credentials-refused" };
        }
        outcome = afterRequeues(outcome, requeues, payload.throttlesBefore ?? 0);
        if (outcome.status === "CANCELLED" && abort.reason === ABORT_SHUTDOWN) {
          // Not the job's cancel: this worker is stopping. Another one takes it.
          await unclaimPair(deps.db, payload);
          return backToQueue();
        }
        // Best effort: if Redis lost the job meanwhile, PostgreSQL still gets the result.
        await job.updateData({ ...payload, result: outcome }).catch((err: Error) => log.warn({ err: err.message }, "could not keep the result on the queue job"));
        clock.lap("keep");
      }
      const finished = await finishPair(deps.db, payload, outcome, claim.createdBy);
      clock.lap("finish");
      if (finished.counted) recordVerdict(payload.region, claim.model, outcome);
      if (finished.counted && finished.job) {
        await publishProgress(deps.redis, deps.prefix, {
          type: "pair",
          jobId: payload.jobId,
          pairId: payload.pairId,
          modelId: payload.modelId,
          region: payload.region,
          status: outcome.status,
          passed: outcome.passed,
          score: outcome.score,
          rating: outcome.rating,
          errorCategory: outcome.errorCategory,
          availability: outcome.availability,
          job: finished.job,
          at: new Date().toISOString(),
        });
      }
      clock.lap("publish");
      if (deps.watch && finished.counted && finished.runId) {
        // Never fails the pair: its verdict is recorded already.
        await watchFinishedPair(deps.watch, {
          jobId: payload.jobId,
          modelId: payload.modelId,
          region: payload.region,
          runId: finished.runId,
          passed: outcome.passed,
          errorCategory: outcome.errorCategory,
          jobEnded: finished.ended,
        }).catch((err: Error) => log.warn({ err: err.message }, "watch after the pair failed"));
        clock.lap("watch");
      }
      log.info(
        {
          status: outcome.status,
          score: outcome.score,
          category: outcome.errorCategory,
          counted: finished.counted,
          ms: outcome.durationMs,
          phases: clock.laps,
          ...(spare ? { borrowedSlotMs: spare.borrowedMs } : {}),
        },
        "pair finished",
      );
      return { status: outcome.status, counted: finished.counted };
    } finally {
      await releaseSlot();
    }
  };
}
