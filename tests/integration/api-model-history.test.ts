// A model's runs over time (the model page's chart) through its route handler:
// only runs that tried the model, in order, each with its latency as its
// latency test measured it (the median, else the slowest, else the test's
// own), else the run's duration; the window in days; the model by either id.
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getHistory } from "@/app/api/v1/models/[id]/history/route";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { prisma } from "@/lib/db/client";
import { call, setUpUsers } from "../helpers/api";
import { truncateAll } from "../helpers/db";

let as: Awaited<ReturnType<typeof setUpUsers>>["as"];
let modelId = "";
let bedrockModelId = "";
const ago = (days: number, ms = 0) => new Date(Date.now() - days * 86_400_000 + ms);
const latencyTest = (metrics: Record<string, number>, latencyMs?: number) => ({
  version: 1,
  tests: [
    { name: "content", passed: true },
    { name: "latency", passed: true, metrics, ...(latencyMs ? { latencyMs } : {}) },
  ],
});

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  ({ as } = await setUpUsers());
  const [model, other] = await prisma.aIModel.findMany({ where: { bedrockModelId: { not: null } }, orderBy: { bedrockModelId: "asc" }, take: 2 });
  ({ id: modelId } = model!);
  bedrockModelId = model!.bedrockModelId!;
  const run = (region: string, createdAt: Date, data: Record<string, unknown>) =>
    prisma.certificationRun.create({ data: { modelId, region, status: "COMPLETED", passed: true, score: 90, createdAt, ...data } });
  await run("us-east-1", ago(100), { score: 10 }); // outside 90 days
  await run("us-east-1", ago(5), { score: 91.5, completedAt: ago(5, 3000), testResults: latencyTest({ p50LatencyMs: 812.5, maxLatencyMs: 2000 }), duration: 9000 });
  await run("eu-west-1", ago(4), { score: 40, passed: false, status: "FAILED", testResults: latencyTest({ maxLatencyMs: 1500 }), duration: 9000 });
  await run("us-east-1", ago(3), { testResults: latencyTest({}, 640), duration: 9000 });
  await run("eu-west-1", ago(2), { score: null, testResults: { version: 1, tests: [] }, duration: 4321 });
  // Not tried (its availability) or not finished: nothing to chart.
  await run("ap-south-1", ago(2), { passed: null, score: null });
  await run("us-east-1", ago(1), { status: "CANCELLED", passed: false });
  await prisma.certificationRun.create({ data: { modelId: other!.id, region: "us-east-1", status: "COMPLETED", passed: true, score: 1, createdAt: ago(1) } });
});

const history = (ref: string, query = "") => call(getHistory, { headers: as("viewer"), path: `/api/v1/models/${encodeURIComponent(ref)}/history${query}`, params: { id: ref } });

describe("GET /api/v1/models/:id/history", () => {
  it("charts the runs that tried the model, oldest first, with their latency", async () => {
    const res = await history(modelId);
    expect(res.status).toBe(200);
    const { points } = await res.json();
    expect(points.map((p: { region: string; score: number | null; latencyMs: number | null; passed: boolean }) => [p.region, p.score, p.latencyMs, p.passed])).toEqual([
      ["us-east-1", 91.5, 812.5, true],
      ["eu-west-1", 40, 1500, false],
      ["us-east-1", 90, 640, true],
      ["eu-west-1", null, 4321, true],
    ]);
    // When it finished, else when it was written, as JSON writes a Date.
    const [finished, unfinished] = await prisma.certificationRun.findMany({ where: { score: { in: [91.5, 40] } }, orderBy: { createdAt: "asc" } });
    expect([points[0].at, points[1].at]).toEqual([finished!.completedAt!.toISOString(), unfinished!.createdAt.toISOString()]);
  });

  it("takes the Bedrock id too, and a window in days", async () => {
    const { points } = await (await history(bedrockModelId, "?days=4")).json();
    expect(points.map((p: { score: number | null }) => p.score)).toEqual([90, null]);
    const all = await (await history(bedrockModelId, "?days=365")).json();
    expect(all.points).toHaveLength(5);
  });

  it("an unknown model is 404, a bad window 400, no sign-in 401", async () => {
    expect((await history("no.such-model-v1:0")).status).toBe(404);
    const bad = await history(modelId, "?days=0");
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields[0].field).toBe("days");
    expect((await call(getHistory, { path: `/api/v1/models/${modelId}/history`, params: { id: modelId } })).status).toBe(401);
  });
});
