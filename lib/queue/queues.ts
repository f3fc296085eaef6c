import "server-only";
import { Queue } from "bullmq";
import type { RedisClient } from "@/lib/redis";
import { certifyPairJob, type CertifyPairPayload } from "./certify-pair-job";
import { PAIR_JOB_OPTIONS, PAIR_QUEUE } from "./constants";
import { WATCH_JOB_OPTIONS, WATCH_QUEUE, WEBHOOK_QUEUE, webhookJobOptions } from "./watch-jobs";

export type PairQueue = Queue<CertifyPairPayload, unknown, string>;

export function createPairQueue(connection: RedisClient, prefix: string): PairQueue {
  return new Queue<CertifyPairPayload, unknown, string>(PAIR_QUEUE, { connection, prefix, defaultJobOptions: PAIR_JOB_OPTIONS });
}

// Runs `fn` over the items, a batch at a time, the calls of a batch at once:
// thousands of per-pair Redis calls overlap instead of queueing one by one.
export async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>, size = 200): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

// Adds pairs with their deterministic ids; the payload is checked here, as the
// worker checks it again. BullMQ ignores an id it still holds, so a double add
// collapses into one; `replaceFinished` first clears an id whose earlier job has
// completed or failed (a paused pair's no-op run, a lost result), so the pair
// really runs again.
export async function enqueuePairs(queue: PairQueue, payloads: CertifyPairPayload[], options: { replaceFinished?: boolean } = {}): Promise<void> {
  if (payloads.length === 0) return;
  if (options.replaceFinished) {
    const finished = await finishedIds(queue);
    await inBatches(
      payloads.map((p) => certifyPairJob.jobId(p)).filter((id) => finished.has(id)),
      (id) => queue.remove(id),
    );
  }
  const jobs = payloads.map((p) => ({ name: certifyPairJob.name, data: certifyPairJob.schema.parse(p), opts: { jobId: certifyPairJob.jobId(p) } }));
  // In chunks sent one after the other without waiting: this process encodes
  // the next chunk while Redis runs the previous one (one addBulk of 20,000
  // jobs was 1.2–1.3 s, of which Redis's own 0.5; in chunks of 500, 0.85–1.0). One
  // connection keeps their order.
  const chunks: Promise<unknown>[] = [];
  for (let i = 0; i < jobs.length; i += ADD_CHUNK) chunks.push(queue.addBulk(jobs.slice(i, i + ADD_CHUNK)));
  await Promise.all(chunks);
}

const ADD_CHUNK = 500;

// Removes queued pairs by id, a batch at a time. BullMQ finds a waiting job by
// scanning the wait list from its head, where the newest are, so the waiting
// ones go in the list's own order, head first: each is then found at once. In
// any other order every removal scanned the list, and cancelling a 23,694-pair
// job kept Redis busy 2.7 s (one scan of up to 20,000 entries per pair). The
// ids not waiting (delayed, held, or never queued) follow.
export async function removePairs(queue: PairQueue, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rest = new Set(ids);
  const waiting = (await queue.getRanges(["wait"], 0, -1)).filter((id) => rest.has(id));
  for (const id of waiting) rest.delete(id);
  await inBatches([...waiting, ...rest], (id) => queue.remove(id));
}

// What the queue holds, each read whole in one script. Asking BullMQ for each
// id's state (getJobState) scans the wait list for every waiting id: checking
// each pair of a 23,694-pair job that still waited took 3.9–4.5 s of Redis,
// and the reconciler did it every 30 s.
//
// The ids the queue still has to run: waiting, delayed, or held by a worker.
// (The product never pauses the queue itself, so there is no paused list.)
export async function unfinishedIds(queue: PairQueue): Promise<Set<string>> {
  return new Set(await queue.getRanges(["active", "wait", "delayed", "prioritized", "waiting-children"], 0, -1));
}

// The ids the queue keeps as done (completed or failed): added again, they
// would be ignored, so they are removed first.
export async function finishedIds(queue: PairQueue): Promise<Set<string>> {
  return new Set(await queue.getRanges(["completed", "failed"], 0, -1));
}

export type WatchQueue = Queue<unknown, unknown, string>;

export function createWatchQueue(connection: RedisClient, prefix: string): WatchQueue {
  return new Queue(WATCH_QUEUE, { connection, prefix, defaultJobOptions: WATCH_JOB_OPTIONS });
}

export function createWebhookQueue(connection: RedisClient, prefix: string, attempts: number, backoffMs: number): WatchQueue {
  return new Queue(WEBHOOK_QUEUE, { connection, prefix, defaultJobOptions: webhookJobOptions(attempts, backoffMs) });
}
