/// <reference types="vite/client" />
// Property-based fuzzing of /api/v1, walking the OpenAPI document: for every
// route and method, malformed path segments, query strings, bodies and
// headers, sent as each kind of caller. The properties: never a 5xx, never a
// stack trace in a reply, nothing written on a refusal (4xx). Route handlers
// are called as Next calls them (the web server's own edge — percent-encoding,
// body size — is covered by e2e/web-server.spec.ts).
import fc from "fast-check";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type FuzzReport = { cases: number; byStatus: Record<string, number>; serverErrors: string[]; stackTraces: string[]; writesOnRefusal: string[] };
type Handler = (r: Request, c: { params?: Promise<Record<string, string>> }) => Promise<Response>;
type Operation = { path: string; method: string; pathParams: string[]; queryParams: string[]; hasBody: boolean; handler: Handler };
export type Callers = Record<string, Record<string, string>>;

// Every route module, loaded by vitest (vite's glob import).
const ROUTE_MODULES = import.meta.glob<Record<string, Handler>>("/app/api/**/route.ts");

// Every handler, found from the document's path: /api/v1/jobs/{id} → app/api/v1/jobs/[id]/route.ts.
type DocumentOperation = { parameters?: { name: string; in: string }[]; requestBody?: unknown };

export async function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Promise<Operation[]> {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, DocumentOperation>>)) {
    const load = ROUTE_MODULES[`/app${path.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`];
    if (!load) throw new Error(`${path} is in the document but has no route file`);
    const mod = await load();
    for (const [method, op] of Object.entries(methods)) {
      const handler = mod[method.toUpperCase()];
      if (!handler) throw new Error(`${method.toUpperCase()} ${path} is in the document but its route file has no handler`);
      const params = op.parameters ?? [];
      ops.push({
        path,
        method: method.toUpperCase(),
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
        hasBody: !!op.requestBody,
        handler,
      });
    }
  }
  return ops;
}

// Everything that a refused request must leave as it was (api_keys' last use
// and sessions' expiry are bookkeeping of who asked, not state, and are left out).
const FINGERPRINT = `SELECT ${["certification_jobs", "certification_job_pairs", "model_certifications", "certification_runs", "ai_models", "regions", "audit_log", "users", "model_region_availability"]
  .map((t) => `(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM ${t}) AS ${t}`)
  .join(", ")}, (SELECT count(*)::text FROM api_keys) AS api_keys`;
const fingerprint = async (db: PrismaClient) => JSON.stringify(await db.$queryRawUnsafe(FINGERPRINT));

const STACK_TRACE = /\n\s+at .+[(:]\d+:\d+|node_modules|\.ts:\d+/;

function text(known: string[]) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "\u0000",
        "a\u0000b",
        "\uD800",
        "\uFFFD",
        "toString",
        "__proto__",
        "constructor",
        "valueOf",
        "hasOwnProperty",
        "../../etc/passwd",
        "%00",
        "%C0%AF",
        "0000-01-01T00:00:00Z",
        "99999-01-01T00:00:00Z",
        "2026-13-45T99:99:99Z",
        "-1",
        "0",
        "1e309",
        "NaN",
        "Infinity",
        "true",
        "null",
        "[]",
        "{}",
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "9".repeat(400),
        "x".repeat(20_000),
        "=cmd|' /C calc'!A0",
        "ALL_MODELS",
        "RECERTIFY",
        "COMPLETED,FAILED",
        "us-east-1,",
        ",,,",
      ),
    },
  );
}

const encodeSegment = (segment: string) => {
  try {
    return encodeURIComponent(segment);
  } catch {
    return "%EF%BF%BD";
  }
};

const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);

// Instants at and past the edges that PostgreSQL and JavaScript take differently
// (year 0, before 1970, past 9999, an impossible day): every date field must
// answer 400 for them, never 500 (GET /events?before=0000-… once did).
const dates = fc.oneof(
  fc.constantFrom(
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "+010000-01-01T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-12-07T00:00:00+25:00",
  ),
  fc.date({ min: new Date(-62_198_755_200_000), max: new Date(8_640_000_000_000_000), noInvalidDate: true }).map((d) => d.toISOString()),
);

export async function runApiFuzz(options: { db: PrismaClient; ops: Operation[]; callers: Callers; known: string[]; runs: number; seed: number; origin: string }): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, byStatus: {}, serverErrors: [], stackTraces: [], writesOnRefusal: [] };
  const value = text(options.known);
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 60 }),
    fc.constantFrom("", "{", "null", "[]", '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {}}}', '{"enabled": "yes"}', '{"enabled": true, "extra": 1}'),
    fc
      .record(
        {
          type: fc.oneof(fc.constantFrom("SINGLE_MODEL", "MULTIPLE_MODELS", "ALL_MODELS", "RECERTIFY"), value),
          modelIds: fc.array(value, { maxLength: 4 }),
          regions: fc.array(value, { maxLength: 4 }),
          enabled: fc.oneof(fc.boolean(), value),
          config: fc.oneof(fc.object({ maxDepth: 2 }), fc.record({ tests: fc.array(value, { maxLength: 3 }), samples: fc.integer(), useInferenceProfiles: fc.boolean() }, { requiredKeys: [] })),
          recertify: fc.record(
            {
              mode: fc.oneof(fc.constantFrom("failed", "stale", "pairs"), value),
              olderThanHours: fc.oneof(fc.double(), fc.integer()),
              pairs: fc.array(fc.record({ modelId: value, region: value }), { maxLength: 3 }),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  const request = fc.record({
    // Named "METHOD /path" so that a failing case prints readably.
    op: fc.constantFrom(...options.ops.map((o) => `${o.method} ${o.path}`)),
    who: fc.constantFrom(...Object.keys(options.callers)),
    params: fc.array(value, { minLength: 4, maxLength: 4 }),
    query: fc.array(
      fc.tuple(
        fc.oneof(
          // Mostly the operation's own parameters (a number picks one of them, below).
          { weight: 3, arbitrary: fc.nat() },
          { weight: 1, arbitrary: fc.constantFrom("region", "status", "provider", "q", "limit", "cursor", "since", "staleSince", "format", "verdict", "sort", "actor", "offset") },
          { weight: 1, arbitrary: printable },
        ),
        fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: dates }),
      ),
      { maxLength: 4 },
    ),
    body,
    sameOrigin: fc.boolean(),
    lastEventId: fc.option(printable),
    idempotencyKey: fc.option(printable),
    contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
  });

  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const op = options.ops.find((o) => `${o.method} ${o.path}` === r.op)!;
      const params = Object.fromEntries(op.pathParams.map((p, i) => [p, r.params[i]!]));
      const query = new URLSearchParams(r.query.map(([name, v]) => [typeof name === "number" ? (op.queryParams[name % Math.max(1, op.queryParams.length)] ?? "q") : name, v]));
      // The URL only carries the path for the record (the handler gets params
      // decoded, as from Next); a lone surrogate cannot be percent-encoded.
      const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeSegment(params[p]!));
      const headers: Record<string, string> = { ...options.callers[r.who] };
      if (r.sameOrigin) Object.assign(headers, { origin: options.origin, "sec-fetch-site": "same-origin" });
      if (r.contentType) headers["content-type"] = r.contentType;
      if (r.lastEventId !== null) headers["last-event-id"] = r.lastEventId;
      if (r.idempotencyKey !== null) headers["idempotency-key"] = r.idempotencyKey;
      const label = `${r.who} ${op.method} ${path}?${query} body=${op.method === "GET" ? "-" : r.body.slice(0, 80)}`;

      const before = await fingerprint(options.db);
      const controller = new AbortController();
      const res = await op.handler(
        new Request(`${options.origin}${path}${query.size ? `?${query}` : ""}`, { method: op.method, headers, body: op.method === "GET" ? undefined : r.body, signal: controller.signal }),
        { params: Promise.resolve(params) },
      );
      // A live event stream is not read to its end: its headers are the answer.
      const reply = res.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await res.text();
      controller.abort();
      await res.body?.cancel().catch(() => {});
      report.cases++;
      report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
      if (res.status >= 500) report.serverErrors.push(`${res.status} ${label}: ${reply.slice(0, 200)}`);
      if (STACK_TRACE.test(reply)) report.stackTraces.push(`${label}: ${reply.slice(0, 300)}`);
      if (res.status >= 400 && res.status < 500 && (await fingerprint(options.db)) !== before) report.writesOnRefusal.push(`${res.status} ${label}`);
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: true },
  );
  return report;
}

// Every query parameter of every GET, given each date at and past the edges
// (the values of `dates` above, in turn): no 5xx. Random cases reach one such
// pair rarely; this walks them all, as an admin.
export const BOUNDARY_DATES = [
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "1969-12-31T23:59:59Z",
  "9999-12-31T23:59:59.999Z",
  "+010000-01-01T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "1e309",
  "-1",
];

export async function sweepDateBoundaries(options: { ops: Operation[]; headers: Record<string, string>; known: string[]; origin: string }): Promise<{ calls: number; serverErrors: string[] }> {
  const serverErrors: string[] = [];
  let calls = 0;
  for (const op of options.ops.filter((o) => o.method === "GET")) {
    const params = Object.fromEntries(op.pathParams.map((p) => [p, p === "action" ? "pause" : options.known[0]!]));
    const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeSegment(params[p]!));
    for (const name of op.queryParams) {
      for (const value of BOUNDARY_DATES) {
        const controller = new AbortController();
        const url = `${options.origin}${path}?${new URLSearchParams({ [name]: value })}`;
        const res = await op.handler(new Request(url, { headers: options.headers, signal: controller.signal }), { params: Promise.resolve(params) });
        const reply = res.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await res.text();
        controller.abort();
        await res.body?.cancel().catch(() => {});
        calls++;
        if (res.status >= 500) serverErrors.push(`${res.status} GET ${url}: ${reply.slice(0, 160)}`);
      }
    }
  }
  return { calls, serverErrors };
}
