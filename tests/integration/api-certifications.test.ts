// Certifications, one cell's history, the matrix and the exports through their
// route handlers, with the same filters everywhere.
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getCell } from "@/app/api/v1/certifications/[modelId]/[region]/route";
import { GET as listCertifications } from "@/app/api/v1/certifications/route";
import { GET as exportMatrix } from "@/app/api/v1/export/route";
import { GET as getGrid } from "@/app/api/v1/matrix/grid/route";
import { GET as getMatrix } from "@/app/api/v1/matrix/route";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog } from "@/lib/catalog/seed";
import { buildCount, gridJson } from "@/lib/certification/matrix";
import { PRECOMPRESSED_HEADER, SERVES_PRECOMPRESSED_HEADER } from "@/lib/http/precompressed";
import { prisma } from "@/lib/db/client";
import type { CertificationRating, CertificationStatus, ErrorCategory } from "@/lib/generated/prisma/enums";
import { call, setUpUsers } from "../helpers/api";
import { truncateAll } from "../helpers/db";

let as: Awaited<ReturnType<typeof setUpUsers>>["as"];
const MODELS = ["anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.titan-embed-text-v2:0", "meta.llama3-8b-instruct-v1:0", "amazon.nova-micro-v1:0"];
const REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1"];
const day = (n: number) => new Date(Date.UTC(2026, 10, n));

beforeAll(async () => {
  await truncateAll(prisma);
  await seedCatalog(prisma, { regions: parseRegionsCsv().filter((r) => r.partition === "aws"), models: parseModelsCsv() });
  ({ as } = await setUpUsers());
  let i = 0;
  for (const bedrockModelId of MODELS) {
    const model = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId } });
    for (const region of REGIONS) {
      i++;
      const passed = i % 3 !== 0;
      await prisma.modelCertification.create({
        data: {
          modelId: model.id,
          region,
          status: (passed ? "COMPLETED" : "FAILED") as CertificationStatus,
          passed,
          score: passed ? 90 + (i % 10) : 40,
          rating: (passed ? (i % 2 ? "EXCELLENT" : "GOOD") : "POOR") as CertificationRating,
          errorCategory: (passed ? null : "WRONG_ANSWER") as ErrorCategory | null,
          errorMessage: passed ? null : `Failed: json_output, tool_use. Said "no", then "yes"`,
          completedAt: day(i),
        },
      });
    }
  }
  const sonnet = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId: MODELS[0] } });
  for (const n of [1, 2, 3]) await prisma.certificationRun.create({ data: { modelId: sonnet.id, region: "us-east-1", status: "COMPLETED", passed: true, score: 80 + n, createdAt: day(n) } });
});

const get = async (handler: Parameters<typeof call>[0], path: string, params?: Record<string, string>) => {
  const res = await call(handler, { headers: as("viewer"), path, params });
  return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text(), headers: res.headers };
};

describe("GET /api/v1/certifications", () => {
  it("filters by Region, status, provider, rating, passed, staleness and text", async () => {
    const by = async (query: string) =>
      (await get(listCertifications, `/api/v1/certifications?${query}`)).body.items as {
        region: string;
        status: string;
        rating: string;
        passed: boolean;
        completedAt: string;
        model: { provider: string; bedrockModelId: string };
      }[];
    expect((await by("region=us-east-1")).every((c) => c.region === "us-east-1")).toBe(true);
    expect(await by("region=us-east-1,eu-west-1")).toHaveLength(8);
    expect((await by("status=FAILED")).every((c) => c.status === "FAILED")).toBe(true);
    expect((await by("status=FAILED")).length).toBe(4);
    expect((await by("provider=amazon")).every((c) => c.model.provider === "Amazon")).toBe(true);
    expect((await by("rating=EXCELLENT,GOOD")).every((c) => ["EXCELLENT", "GOOD"].includes(c.rating))).toBe(true);
    expect((await by("passed=false")).length).toBe(4);
    expect((await by(`staleSince=${day(4).toISOString()}`)).every((c) => new Date(c.completedAt) < day(4))).toBe(true);
    expect(await by(`staleSince=${day(4).toISOString()}`)).toHaveLength(3);
    expect((await by("q=titan")).every((c) => c.model.bedrockModelId.includes("titan"))).toBe(true);
  });

  it("walks every row once with a cursor, in a stable order", async () => {
    const all = (await get(listCertifications, "/api/v1/certifications?sort=score&order=desc&limit=100")).body.items.map((c: { id: string }) => c.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await get(listCertifications, `/api/v1/certifications?sort=score&order=desc&limit=5${cursor ? `&cursor=${cursor}` : ""}`))
        .body;
      walked.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
    expect(all).toHaveLength(12);
  });

  it("walks every row once in every sort and order: nulls last, ties broken by id, a filter kept", async () => {
    // Cells of a Region no other test reads, with ties and nulls; removed after.
    const models = await prisma.aIModel.findMany({ orderBy: { id: "asc" }, take: 7, select: { id: true } });
    const keys: [number | null, Date | null][] = [
      [70, day(2)],
      [70, null],
      [null, null],
      [null, day(9)],
      [95, day(9)],
      [70, day(2)],
      [null, day(2)],
    ];
    await prisma.modelCertification.createMany({
      data: keys.map(([score, completedAt], i) => ({ modelId: models[i]!.id, region: "us-west-2", status: "COMPLETED" as CertificationStatus, score, completedAt })),
    });
    try {
      const cells = await prisma.modelCertification.findMany({ where: { region: "us-west-2" } });
      const sortKey = { score: (c: (typeof cells)[0]) => c.score, completed: (c: (typeof cells)[0]) => c.completedAt?.getTime() ?? null, updated: (c: (typeof cells)[0]) => c.updatedAt.getTime() };
      for (const [sort, key] of Object.entries(sortKey)) {
        for (const order of ["asc", "desc"] as const) {
          const sign = order === "asc" ? 1 : -1;
          const expected = [...cells]
            .sort((a, b) => {
              const [x, y] = [key(a), key(b)];
              if (x === null || y === null) return x === y ? sign * (a.id < b.id ? -1 : 1) : x === null ? 1 : -1;
              return x !== y ? sign * (x < y ? -1 : 1) : sign * (a.id < b.id ? -1 : 1);
            })
            .map((c) => c.id);
          const walked: string[] = [];
          let cursor: string | null = null;
          do {
            const page: { items: { id: string; region: string }[]; nextCursor: string | null } = (
              await get(listCertifications, `/api/v1/certifications?region=us-west-2&sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ""}`)
            ).body;
            walked.push(...page.items.map((c) => c.id));
            cursor = page.nextCursor;
          } while (cursor);
          expect(walked, `${sort} ${order}`).toEqual(expected);
        }
      }
    } finally {
      await prisma.modelCertification.deleteMany({ where: { region: "us-west-2" } });
    }
  });

  it("refuses bad filters with the field and reason", async () => {
    for (const [query, field] of [
      ["region=nowhere", "region.0"],
      ["status=DONE", "status.0"],
      ["limit=0", "limit"],
      ["colour=blue", "(query)"],
      ["staleSince=yesterday", "staleSince"],
    ]) {
      const res = await get(listCertifications, `/api/v1/certifications?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body.fields), query).toContain(field === "(query)" ? "colour" : `"field":"${field}"`);
    }
    expect((await call(listCertifications, { path: "/api/v1/certifications" })).status).toBe(401);
  });
});

describe("one cell", () => {
  it("has its results and its runs, newest first", async () => {
    const res = await get(getCell, "", { modelId: MODELS[0]!, region: "us-east-1" });
    expect(res.status).toBe(200);
    expect(res.body.certification).toMatchObject({ region: "us-east-1", status: "COMPLETED" });
    expect(res.body.runs.map((r: { score: number }) => r.score)).toEqual([83, 82, 81]);
    expect((await get(getCell, "", { modelId: MODELS[0]!, region: "sa-east-1" })).status).toBe(404);
  });
});

describe("matrix and exports", () => {
  it("the matrix is the same cells as the list, compactly", async () => {
    const m = (await get(getMatrix, "/api/v1/matrix?region=us-east-1,eu-west-1&passed=true")).body;
    const list = (await get(listCertifications, "/api/v1/certifications?region=us-east-1,eu-west-1&passed=true&limit=500")).body.items;
    expect(m.cells).toHaveLength(list.length);
    expect(m.regions).toEqual(["eu-west-1", "us-east-1"]);
    for (const [mi, ri, status, passed] of m.cells) {
      expect(list.some((c: { model: { bedrockModelId: string }; region: string }) => c.model.bedrockModelId === m.models[mi].bedrockModelId && c.region === m.regions[ri])).toBe(true);
      expect([status, passed]).toEqual(["COMPLETED", true]);
    }
  });

  it("CSV and JSON exports match the matrix, quoting what needs it", async () => {
    const m = (await get(getMatrix, "/api/v1/matrix?status=FAILED")).body;
    const json = await get(exportMatrix, "/api/v1/export?format=json&status=FAILED");
    expect(json.headers.get("content-disposition")).toMatch(/attachment; filename="certifications-\d{4}-\d{2}-\d{2}\.json"/);
    expect(json.body).toHaveLength(m.cells.length);
    expect(json.body.map((r: { bedrockModelId: string; region: string }) => `${r.bedrockModelId}|${r.region}`)).toEqual(
      m.cells.map(([mi, ri]: [number, number]) => `${m.models[mi].bedrockModelId}|${m.regions[ri]}`),
    );
    const csv = await get(exportMatrix, "/api/v1/export?status=FAILED");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (csv.body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe("provider,model,bedrockModelId,region,availability,verdict,status,passed,score,rating,brokenCapabilities,errorCategory,completedAt");
    expect(lines).toHaveLength(m.cells.length + 1);
    expect(lines.slice(1).every((l) => l.includes(",failed,FAILED,false,40,POOR,,WRONG_ANSWER,"))).toBe(true);
    expect((await get(exportMatrix, "/api/v1/export?format=xml")).status).toBe(400);
  });

  it("a pair not tried because it is not offered: its availability in the matrix, the list, both exports, and a filter of its own", async () => {
    const model = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId: "amazon.titan-image-generator-v2:0" } });
    const cell = await prisma.modelCertification.create({
      data: {
        modelId: model.id,
        region: "ap-south-1",
        status: "COMPLETED",
        passed: null,
        availability: "NOT_OFFERED",
        errorCategory: "NOT_OFFERED_IN_REGION",
        errorMessage: "The model is not offered in ap-south-1.",
        completedAt: day(20),
      },
    });
    try {
      const m = (await get(getMatrix, "/api/v1/matrix?availability=NOT_OFFERED")).body;
      expect(m.columns.slice(-2)).toEqual(["availability", "broken"]);
      expect(m.cells).toEqual([[0, 0, "COMPLETED", null, null, null, "NOT_OFFERED_IN_REGION", expect.any(String), "NOT_OFFERED", null]]);
      const items = (await get(listCertifications, "/api/v1/certifications?availability=NOT_OFFERED")).body.items;
      expect(items.map((c: { id: string; availability: string }) => [c.id, c.availability])).toEqual([[cell.id, "NOT_OFFERED"]]);
      const json = (await get(exportMatrix, "/api/v1/export?format=json&region=ap-south-1")).body;
      expect(json).toEqual([expect.objectContaining({ bedrockModelId: "amazon.titan-image-generator-v2:0", availability: "NOT_OFFERED", verdict: "not-offered", passed: null, score: null })]);
      const csv = (await get(exportMatrix, "/api/v1/export?region=ap-south-1")).body as string;
      expect(csv.split("\r\n")[1]).toContain(",ap-south-1,NOT_OFFERED,not-offered,COMPLETED,,,,,NOT_OFFERED_IN_REGION,");
      expect((await get(getMatrix, "/api/v1/matrix?availability=SOMEWHERE")).status).toBe(400);
    } finally {
      await prisma.modelCertification.delete({ where: { id: cell.id } });
    }
  });
});

describe("the matrix follows every change (payloads are cached under a data version)", () => {
  const sonnetUsEast = async () => {
    const m = (await get(getMatrix, "/api/v1/matrix?region=us-east-1")).body;
    const cell = m.cells.find(([mi]: [number]) => m.models[mi].bedrockModelId === MODELS[0]);
    return cell ? { score: cell[4], status: cell[2] } : null;
  };
  it("an update, an update that sets an older updated_at, a delete, an insert, a renamed model", async () => {
    const model = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId: MODELS[0] } });
    const where = { modelId_region: { modelId: model.id, region: "us-east-1" } };
    const before = await sonnetUsEast();
    expect(await sonnetUsEast()).toEqual(before); // served again from the cache
    await prisma.$executeRaw`UPDATE model_certifications SET score = 12.5 WHERE model_id = ${model.id} AND region = 'us-east-1'`;
    expect((await sonnetUsEast())!.score).toBe(12.5);
    await prisma.$executeRaw`UPDATE model_certifications SET score = 13.5, updated_at = '2001-01-01' WHERE model_id = ${model.id} AND region = 'us-east-1'`;
    expect((await sonnetUsEast())!.score).toBe(13.5);
    const row = await prisma.modelCertification.delete({ where });
    expect(await sonnetUsEast()).toBeNull();
    await prisma.modelCertification.create({ data: { ...row, testResults: row.testResults ?? undefined } });
    expect(await sonnetUsEast()).toEqual({ score: row.score, status: row.status });
    await prisma.aIModel.update({ where: { id: model.id }, data: { name: "Renamed Sonnet" } });
    const m = (await get(getMatrix, "/api/v1/matrix?region=us-east-1")).body;
    expect(m.models.map((x: { name: string }) => x.name)).toContain("Renamed Sonnet");
  });

  it("an ETag per filter and data version: 304 while nothing changed, 200 after a change", async () => {
    const first = await call(getMatrix, { headers: as("viewer"), path: "/api/v1/matrix?region=us-east-1" });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await call(getMatrix, { headers: { ...as("viewer"), "if-none-match": etag }, path: "/api/v1/matrix?region=us-east-1" })).status).toBe(304);
    // Another filter is another payload.
    expect((await call(getMatrix, { headers: { ...as("viewer"), "if-none-match": etag }, path: "/api/v1/matrix?region=eu-west-1" })).status).toBe(200);
    await prisma.$executeRaw`UPDATE model_certifications SET score = 55 WHERE region = 'us-east-1'`;
    const changed = await call(getMatrix, { headers: { ...as("viewer"), "if-none-match": etag }, path: "/api/v1/matrix?region=us-east-1" });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("compressed once per payload: gzip for clients that take it, the same JSON; plain for those that refuse it", async () => {
    const path = "/api/v1/matrix?region=us-east-1";
    const plain = await call(getMatrix, { headers: as("viewer"), path });
    expect(plain.headers.get(PRECOMPRESSED_HEADER)).toBeNull();
    const json = await plain.text();
    // The web server (server/compression.ts) says it passes precompressed bodies on.
    const served = { [SERVES_PRECOMPRESSED_HEADER]: "gzip" };
    const zipped = await call(getMatrix, { headers: { ...as("viewer"), ...served, "accept-encoding": "br, gzip;q=0.8" }, path });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get(PRECOMPRESSED_HEADER)).toBe("gzip");
    expect(zipped.headers.get("vary")).toBe("Accept-Encoding");
    expect(zipped.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(json);
    const refused = await call(getMatrix, { headers: { ...as("viewer"), ...served, "accept-encoding": "gzip;q=0, deflate" }, path });
    expect(refused.headers.get(PRECOMPRESSED_HEADER)).toBeNull();
    expect(await refused.text()).toBe(json);
    // Served without that step (a bare `next start`), gzip bytes would go out
    // unnamed: the plain body instead.
    const unserved = await call(getMatrix, { headers: { ...as("viewer"), "accept-encoding": "gzip" }, path });
    expect(unserved.headers.get(PRECOMPRESSED_HEADER)).toBeNull();
    expect(await unserved.text()).toBe(json);
    // After a change, the gzip is of the new payload.
    await prisma.$executeRaw`UPDATE model_certifications SET score = 66.5 WHERE region = 'us-east-1'`;
    const after = await call(getMatrix, { headers: { ...as("viewer"), ...served, "accept-encoding": "gzip" }, path });
    const cells = (JSON.parse(gunzipSync(Buffer.from(await after.arrayBuffer())).toString()) as { cells: unknown[][] }).cells;
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((t) => t[4] === 66.5)).toBe(true);
  });

  it("readers of a changed grid share one build, and every one of them sees the change", async () => {
    await gridJson(prisma);
    const cell = await prisma.modelCertification.findFirstOrThrow({ orderBy: { id: "asc" } });
    await prisma.modelCertification.update({ where: { id: cell.id }, data: { score: 12.5 } });
    try {
      const before = buildCount.value;
      const payloads = await Promise.all(Array.from({ length: 8 }, () => gridJson(prisma)));
      expect(buildCount.value - before).toBe(1);
      for (const p of payloads) expect((JSON.parse(p) as { cells: unknown[][] }).cells.some((t) => t[4] === 12.5)).toBe(true);
    } finally {
      await prisma.modelCertification.update({ where: { id: cell.id }, data: { score: cell.score } });
    }
  });

  it("the grid: enabled models × enabled Regions, availability letters, cells; follows enable/disable", async () => {
    const g = (await get(getGrid, "/api/v1/matrix/grid")).body;
    expect(g.regions.length).toBe(await prisma.region.count({ where: { enabled: true } }));
    expect(g.models.length).toBe(await prisma.aIModel.count({ where: { enabled: true, bedrockModelId: { not: null } } }));
    expect(g.models.every((m: { availability: string }) => m.availability.length === g.regions.length && /^[IPN?]*$/.test(m.availability))).toBe(true);
    expect(g.cells.length).toBe(MODELS.length * REGIONS.length);
    const titan = await prisma.aIModel.findUniqueOrThrow({ where: { bedrockModelId: MODELS[1] } });
    await prisma.modelRegionAvailability.create({ data: { modelId: titan.id, region: "eu-west-1", availability: "PROFILE_ONLY", syncedAt: new Date() } });
    await prisma.region.update({ where: { code: "ap-northeast-1" }, data: { enabled: false } });
    try {
      const after = (await get(getGrid, "/api/v1/matrix/grid")).body;
      expect(after.regions.map((r: { code: string }) => r.code)).not.toContain("ap-northeast-1");
      const euWest = after.regions.findIndex((r: { code: string }) => r.code === "eu-west-1");
      expect(after.models.find((m: { bedrockModelId: string }) => m.bedrockModelId === MODELS[1]).availability[euWest]).toBe("P");
      expect(after.cells.length).toBe(MODELS.length * (REGIONS.length - 1));
    } finally {
      await prisma.region.update({ where: { code: "ap-northeast-1" }, data: { enabled: true } });
    }
  });
});
