// Server-Sent Events of a job and of the matrix, read as a browser's
// EventSource or curl reads them, resumed with Last-Event-ID.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as jobEvents } from "@/app/api/v1/jobs/[id]/events/route";
import { GET as matrixEvents } from "@/app/api/v1/matrix/events/route";
import { publishProgress, type ProgressEvent } from "@/lib/certification/events";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createRedisConnection } from "@/lib/redis";
import { call, setUpUsers } from "../helpers/api";
import { truncateAll } from "../helpers/db";

type Message = { id?: string; event?: string; data?: string };

// Reads SSE messages from a response until `count` data messages arrived.
async function readMessages(res: Response, count: number): Promise<Message[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const messages: Message[] = [];
  while (messages.filter((m) => m.data).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
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
      if (m.data) messages.push(m);
    }
  }
  reader.releaseLock();
  return messages;
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
afterAll(() => redis.disconnect());

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
  job: { status: "PROCESSING", totalModels: 2, processedModels: processed, successCount: processed, failureCount: 0, cancelledCount: 0 },
  at: new Date().toISOString(),
});

// Publishes once the stream is open (XREAD "$" only sees later entries).
const soon = (fn: () => Promise<unknown>) => setTimeout(() => void fn(), 300);

describe("job events", () => {
  it("a snapshot, then the job's pair results as they come, with ids; resumes after Last-Event-ID", async () => {
    const first = new AbortController();
    const res = await call(jobEvents, { headers: as("viewer"), params: { id: jobId }, signal: first.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    soon(async () => {
      await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(otherJobId, "c", 1));
      await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(jobId, "a", 1));
    });
    const messages = await readMessages(res, 2);
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
    const missed = await readMessages(resumed, 1);
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
  it("every job's pair results", async () => {
    const controller = new AbortController();
    const res = await call(matrixEvents, { headers: as("viewer"), signal: controller.signal });
    soon(async () => {
      await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(jobId, "a", 1));
      await publishProgress(redis, env.QUEUE_PREFIX, { type: "job", jobId, job: pairEvent(jobId, "a", 1).job, at: new Date().toISOString() });
      await publishProgress(redis, env.QUEUE_PREFIX, pairEvent(otherJobId, "c", 1));
    });
    const messages = await readMessages(res, 2);
    controller.abort();
    expect(messages.map((m) => JSON.parse(m.data!).jobId)).toEqual([jobId, otherJobId]);
    expect(messages.every((m) => m.event === "pair")).toBe(true);
  });
});
