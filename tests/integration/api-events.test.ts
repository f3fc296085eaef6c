// Server-Sent Events of a job and of the matrix, read as a browser's
// EventSource or curl reads them, resumed with Last-Event-ID.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as jobEvents } from "@/app/api/v1/jobs/[id]/events/route";
import { GET as matrixEvents } from "@/app/api/v1/matrix/events/route";
import { POST as createJob } from "@/app/api/v1/jobs/route";
import { progressStreamPosition, publishProgress, type ProgressEvent } from "@/lib/certification/events";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { appJobDeps } from "@/lib/queue/app-queue";
import { createRedisConnection } from "@/lib/redis";
import { call, setUpUsers } from "../helpers/api";
import { truncateAll } from "../helpers/db";
import { counters } from "../helpers/events";
import { loadCatalog } from "../helpers/engine";
import { startSimulator } from "../helpers/simulator";
import { startWorker } from "../helpers/worker";

type Message = { id?: string; event?: string; data?: string };

// An SSE reader over a response; `next(count)` resolves once `count` more data
// messages arrived (or the stream ended). Keeps what it read past them.
// `ready()` resolves once the stream says every later event will reach it
// (its "ready" event): publish after that, never after a guessed delay.
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let isReady: { from: string } | null = null;
  const queued: Message[] = [];
  const pull = async (): Promise<boolean> => {
    const { value, done } = await reader.read();
    if (done) return false;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const m: Message = {};
      for (const line of block.split("\n")) {
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").trimStart();
        if (field === "id" || field === "event" || field === "data") m[field] = value;
      }
      if (m.event === "ready") isReady = JSON.parse(m.data!) as { from: string };
      else if (m.data) queued.push(m);
    }
    return true;
  };
  return {
    async next(count: number): Promise<Message[]> {
      while (queued.length < count && (await pull()));
      return queued.splice(0, count);
    },
    // (What `ready` said: the stream entry it delivers after.)
    async ready(): Promise<{ from: string }> {
      while (!isReady) if (!(await pull())) throw new Error("the stream ended before it was ready");
      return isReady;
    },
  };
}

const redis = createRedisConnection();
let as: Awaited<ReturnType<typeof setUpUsers>>["as"];
let jobId = "";
let otherJobId = "";

beforeAll(async () => {
  await truncateAll(prisma);
  ({ as } = await setUpUsers());
  jobId = (await prisma.certificationJob.create({ data: { type: "MULTIPLE_MODELS", regions: ["us-east-1"], modelIds: ["a", "b"], totalModels: 2, status: "PROCESSING" } })).id;
  otherJobId = (await prisma.certificationJob.create({ data: { type: "SINGLE_MODEL", regions: ["us-east-1"], modelIds: ["c"], totalModels: 1, status: "PROCESSING" } })).id;
});
afterAll(async () => {
  redis.disconnect();
  const deps = appJobDeps();
  await deps.queue.close();
  deps.redis.disconnect();
});

const pairEvent = (job: string, modelId: string, processed: number): ProgressEvent => ({
  type: "pair",
  jobId: job,
  pairId: `p-${modelId}`,
  modelId,
  region: "us-east-1",
  status: "COMPLETED",
  passed: true,
  score: 100,
  rating: "EXCELLENT",
  errorCategory: null,
  availability: "IN_REGION",
  job: counters({ totalModels: 2, processedModels: processed, successCount: processed }),
  at: new Date().toISOString(),
});

describe("job events", () => {
  it("a snapshot, then the job's pair results as they come, with ids; resumes after Last-Event-ID", async () => {
    const first = new AbortController();
    const res = await call(jobEvents, { headers: as("viewer"), params: { id: jobId }, signal: first.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const stream = sseReader(res);
    await stream.ready();
    await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(otherJobId, "c", 1));
    await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(jobId, "a", 1));
    const messages = await stream.next(2);
    first.abort();
    expect(messages[0]).toMatchObject({ event: "snapshot" });
    expect(JSON.parse(messages[0]!.data!)).toMatchObject({ id: jobId, totalModels: 2 });
    expect(messages[1]).toMatchObject({ event: "pair" });
    expect(messages[1]!.id).toMatch(/^\d+-\d+$/);
    expect(JSON.parse(messages[1]!.data!)).toMatchObject({ jobId, modelId: "a", job: { processedModels: 1 } });

    // Disconnected: the next result is published meanwhile; the reconnect gets it (and nothing older).
    await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(jobId, "b", 2));
    const again = new AbortController();
    const resumed = await call(jobEvents, { headers: { ...as("viewer-token"), "last-event-id": messages[1]!.id! }, params: { id: jobId }, signal: again.signal });
    const missed = await sseReader(resumed).next(1);
    again.abort();
    expect(missed).toHaveLength(1);
    expect(missed[0]!.event).toBe("pair");
    expect(JSON.parse(missed[0]!.data!)).toMatchObject({ modelId: "b", job: { processedModels: 2 } });
  });

  it("refuses anonymous callers and unknown jobs", async () => {
    expect((await call(jobEvents, { params: { id: jobId } })).status).toBe(401);
    expect((await call(jobEvents, { headers: as("viewer"), params: { id: "nope" } })).status).toBe(404);
  });
});

describe("matrix events", () => {
  it("every job's pair results and status changes", async () => {
    const controller = new AbortController();
    const res = await call(matrixEvents, { headers: as("viewer"), signal: controller.signal });
    const stream = sseReader(res);
    await stream.ready();
    await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(jobId, "a", 1));
    await publishProgress(redis, env.QUEUE_PREFIX, { type: "job", jobId, job: pairEvent(jobId, "a", 1).job, at: new Date().toISOString() });
    await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(otherJobId, "c", 1));
    const messages = await stream.next(3);
    controller.abort();
    // Status changes too: a new job's cells (and the pairs it settled) are redrawn.
    expect(messages.map((m) => [m.event, JSON.parse(m.data!).jobId])).toEqual([
      ["pair", jobId],
      ["job", jobId],
      ["pair", otherJobId],
    ]);
  });

  it("`ready` names where the stream starts: a page that noted the stream's position before reading its grid can tell whether it missed anything", async () => {
    const open = async () => {
      const controller = new AbortController();
      const from = await sseReader(await call(matrixEvents, { headers: as("viewer"), signal: controller.signal })).ready();
      controller.abort();
      return from;
    };
    const noted = await progressStreamPosition(redis, env.QUEUE_PREFIX);
    // Nothing published since: the stream starts where the page read.
    expect(await open()).toEqual({ from: noted });
    // A result published in between: the stream starts after it, not where the page read.
    await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(jobId, "b", 2));
    const later = await open();
    expect(later.from).not.toBe(noted);
    expect(later).toEqual({ from: await progressStreamPosition(redis, env.QUEUE_PREFIX) });
  });
});

describe("fed by a real worker", () => {
  it("a job started through the API streams every pair's result as the worker finishes it, and its end", async () => {
    const sim = await startSimulator();
    // Both models are offered in both Regions: every pair is tried and streamed.
    const regions = ["us-east-1", "eu-central-1"];
    await loadCatalog(prisma, sim, regions);
    const worker = await startWorker({ DATABASE_URL: process.env.DATABASE_URL!, BEDROCK_ENDPOINT: sim.url, QUEUE_PREFIX: env.QUEUE_PREFIX });
    // Each call takes a moment, so the pairs finish after the stream is open.
    sim.simulator.setFaults({ rules: [{ latency: { firstTokenMs: 100, jitterMs: 0, tokensPerSecond: 1000 } }] });
    try {
      const matrix = new AbortController();
      const reader = sseReader(await call(matrixEvents, { headers: as("viewer"), signal: matrix.signal }));
      await reader.ready();
      const models = ["amazon.titan-embed-text-v2:0", "anthropic.claude-3-5-sonnet-20240620-v1:0"];
      const created = await call(createJob, { method: "POST", headers: as("admin"), body: { type: "MULTIPLE_MODELS", modelIds: models, regions } });
      expect(created.status).toBe(201);
      const { id } = await created.json();
      const job = new AbortController();
      const jobStream = sseReader(await call(jobEvents, { headers: as("viewer-token"), params: { id }, signal: job.signal }));
      // The snapshot, then pairs until one carries the job's end.
      const messages = await jobStream.next(1);
      // Until the job's end has been seen and every pair is accounted for (two
      // pairs finishing together may publish in either order).
      const ended = (m: Message) => ["COMPLETED", "FAILED"].includes(JSON.parse(m.data!).job?.status ?? JSON.parse(m.data!).status);
      const accounted = () => JSON.parse(messages[0]!.data!).processedModels + messages.filter((m) => m.event === "pair").length >= 4;
      while (!(messages.some(ended) && accounted())) messages.push(...(await jobStream.next(1)));
      job.abort();
      const pairs = messages.filter((m) => m.event === "pair").map((m) => JSON.parse(m.data!));
      const cells = await prisma.modelCertification.findMany({ where: { jobId: id } });
      // The snapshot may already count pairs finished before the stream opened
      // (one finishing just as it opens may be in both); together they cover all four.
      const snapshot = JSON.parse(messages.find((m) => m.event === "snapshot")!.data!);
      expect(snapshot.processedModels + pairs.length).toBeGreaterThanOrEqual(4);
      expect(new Set(pairs.map((p) => p.pairId)).size).toBe(pairs.length);

      for (const p of pairs) expect(cells.find((c) => c.modelId === p.modelId && c.region === p.region)).toMatchObject({ status: p.status, passed: p.passed, score: p.score });
      expect(pairs.length).toBeGreaterThan(0);
      expect(Math.max(...pairs.map((p) => p.job.processedModels))).toBe(4);

      // The matrix stream carries job events too: read until the job's four pairs are in.
      const seen: Message[] = [];
      const ofJob = () => seen.filter((m) => m.event === "pair" && JSON.parse(m.data!).jobId === id);
      while (ofJob().length < 4) seen.push(...(await reader.next(1)));
      matrix.abort();
      expect(ofJob()).toHaveLength(4);
      expect(seen.some((m) => m.event === "job" && JSON.parse(m.data!).jobId === id)).toBe(true);
    } finally {
      await worker.stop();
      await sim.close();
    }
  }, 60_000);
});
