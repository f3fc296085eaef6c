// The OpenAPI 3.1 document of /api/v1, built from the same zod schemas the
// handlers validate with (zod's own JSON Schema output), so it cannot drift
// from what the API accepts. A test checks every route file is described.
import { z } from "zod";
import { startJobInputSchema } from "@/lib/certification/job-input";
import { catalogQuerySchema } from "@/lib/catalog/catalog-query";
import { jobFilterSchema, jobPairsQuerySchema } from "@/lib/certification/job-queries";
import { auditQuerySchema } from "./audit-query";
import { historyQuerySchema } from "@/lib/certification/model-history";
import { certificationFilterSchema, listQuerySchema } from "@/lib/certification/queries";
import { appSettingsSchema } from "@/lib/watch/app-settings";
import { eventsQuerySchema, incidentsQuerySchema } from "@/lib/watch/queries";
import { scheduleChangeSchema, scheduleInputSchema } from "@/lib/watch/schedule-input";
import { deliveriesQuerySchema, subscriptionChangeSchema, subscriptionInputSchema } from "@/lib/watch/subscriptions";

type Operation = { summary: string; role: "viewer" | "admin" | "public"; body?: z.ZodType; query?: z.ZodObject; params?: string[]; response?: string };

const enabledBody = z.object({ enabled: z.boolean() }).strict();

export const OPERATIONS: Record<string, Record<string, Operation>> = {
  "/api/health": { get: { summary: "PostgreSQL and Redis answer (200) or not (503, naming them)", role: "public" } },
  "/api/v1/openapi.json": { get: { summary: "This document", role: "public" } },
  "/api/v1/jobs": {
    post: { summary: "Start a certification job (Idempotency-Key header optional)", role: "admin", body: startJobInputSchema, response: "201 {id, created}; 200 for a repeated Idempotency-Key" },
    get: { summary: "Jobs newest first: filters (status, type, createdBy, since), cursor pagination", role: "viewer", query: jobFilterSchema },
  },
  "/api/v1/jobs/preview": {
    post: {
      summary: "What a job would be, without starting it: its pairs by availability (to certify, not offered, profile only, legacy, unsupported)",
      role: "admin",
      body: startJobInputSchema,
      response: "{total, toCertify, inRegion, throughProfile, unknown, confirm, notOffered, profileOnly, legacy, unsupported}",
    },
  },
  "/api/v1/jobs/{id}": {
    get: {
      summary: "One job and its counters (passed and failed count offered pairs that were tried; notOffered, profileOnly, legacy and unsupported count pairs not tried)",
      role: "viewer",
      params: ["id"],
    },
  },
  "/api/v1/jobs/{id}/overview": { get: { summary: "The job's pairs by Region and verdict, and its failures grouped by error category with the first examples", role: "viewer", params: ["id"] } },
  "/api/v1/jobs/{id}/{action}": { post: { summary: "pause | resume | cancel | retry-failed (409 when the job's state does not allow it)", role: "admin", params: ["id", "action"] } },
  "/api/v1/jobs/{id}/pairs": {
    get: {
      summary: "The job's (model, Region) pairs with availability, verdict and latest result: filters, limit/offset paging, total",
      role: "viewer",
      params: ["id"],
      query: jobPairsQuerySchema,
      response: "{pairs: [...], total}",
    },
  },
  "/api/v1/jobs/{id}/events": { get: { summary: "Server-Sent Events: snapshot, pair, job; resumes with Last-Event-ID", role: "viewer", params: ["id"], response: "text/event-stream" } },
  "/api/v1/models": { get: { summary: "The catalog", role: "viewer", query: catalogQuerySchema } },
  "/api/v1/models/{id}": {
    get: { summary: "A model (catalog or Bedrock id), its availability and current certifications", role: "viewer", params: ["id"] },
    patch: { summary: "Enable or disable a model", role: "admin", params: ["id"], body: enabledBody },
  },
  "/api/v1/models/{id}/history": { get: { summary: "The model's runs over time per Region: score and latency", role: "viewer", params: ["id"], query: historyQuerySchema } },
  "/api/v1/models/sync": { post: { summary: "Read every enabled Region's catalog from Bedrock", role: "admin" } },
  "/api/v1/regions": { get: { summary: "The Regions", role: "viewer" } },
  "/api/v1/regions/{code}": { patch: { summary: "Enable or disable a Region", role: "admin", params: ["code"], body: enabledBody } },
  "/api/v1/certifications": { get: { summary: "Current certifications: filters, sorting, cursor pagination", role: "viewer", query: certificationFilterSchema.extend(listQuerySchema.shape) } },
  "/api/v1/certifications/{modelId}/{region}": { get: { summary: "One cell with its per-test results and last 50 runs", role: "viewer", params: ["modelId", "region"] } },
  "/api/v1/matrix": {
    get: {
      summary: "The model × Region grid, compact: cells as [model, region, status, passed, score, rating, errorCategory, completedAt, availability]",
      role: "viewer",
      query: certificationFilterSchema,
      response: "availability is IN_REGION, PROFILE_ONLY, NOT_OFFERED, LEGACY, UNSUPPORTED or null; a COMPLETED cell with passed null was not tried because of it",
    },
  },
  "/api/v1/matrix/grid": { get: { summary: "Every enabled model × enabled Region: cells (as /api/v1/matrix) and availability letters (I, P, N, L, ?), for the matrix page", role: "viewer" } },
  "/api/v1/matrix/events": { get: { summary: "Server-Sent Events of every finished pair; resumes with Last-Event-ID", role: "viewer", response: "text/event-stream" } },
  "/api/v1/export": {
    get: {
      summary: "The filtered matrix as CSV or JSON, one row per cell with its availability and verdict",
      role: "viewer",
      query: certificationFilterSchema.extend({ format: z.enum(["csv", "json"]).optional() }),
    },
  },
  "/api/v1/audit": { get: { summary: "Admin actions: who, what, when, from where", role: "viewer", query: auditQuerySchema } },
  // Continuous certification (docs/monitoring.md).
  "/api/v1/schedules": {
    get: { summary: "Schedules with their next fire times", role: "viewer" },
    post: { summary: "Create a schedule: cron + time zone, what to certify, job config, only cells older than N hours", role: "admin", body: scheduleInputSchema, response: "201 the schedule" },
  },
  "/api/v1/schedules/{id}": {
    get: { summary: "One schedule", role: "viewer", params: ["id"] },
    patch: { summary: "Change a schedule; {paused: true|false} pauses or resumes it", role: "admin", params: ["id"], body: scheduleChangeSchema },
    delete: { summary: "Delete a schedule (204)", role: "admin", params: ["id"] },
  },
  "/api/v1/schedules/{id}/run": { post: { summary: "Fire a schedule now", role: "admin", params: ["id"], response: "{jobId, created, pairs, outcome}" } },
  "/api/v1/events": {
    get: { summary: "What the product noticed, newest first: regressions, incidents, catalog changes, finished jobs", role: "viewer", query: eventsQuerySchema, response: "{events, next}" },
  },
  "/api/v1/incidents": { get: { summary: "Model and Region incidents, open first", role: "viewer", query: incidentsQuerySchema } },
  "/api/v1/incidents/{id}": { get: { summary: "One incident with its timeline of pairs", role: "viewer", params: ["id"] } },
  "/api/v1/webhooks": {
    get: { summary: "Webhook subscriptions (secrets hidden)", role: "admin" },
    post: {
      summary: "Subscribe a URL (json or slack format) to event kinds, models, providers, Regions; the reply shows the signing secret once",
      role: "admin",
      body: subscriptionInputSchema,
      response: "201 the subscription with its secret",
    },
  },
  "/api/v1/webhooks/{id}": {
    patch: { summary: "Change a subscription", role: "admin", params: ["id"], body: subscriptionChangeSchema },
    delete: { summary: "Delete a subscription and its deliveries (204)", role: "admin", params: ["id"] },
  },
  "/api/v1/webhooks/{id}/test": { post: { summary: "Send a test event to this subscription", role: "admin", params: ["id"], response: "202 the delivery" } },
  "/api/v1/webhooks/{id}/deliveries": { get: { summary: "A subscription's deliveries: status, attempts, last status code and error", role: "admin", params: ["id"], query: deliveriesQuerySchema } },
  "/api/v1/deliveries/{id}/replay": { post: { summary: "Send a delivery again (same event id)", role: "admin", params: ["id"], response: "202 {id, status}" } },
  "/api/v1/settings": {
    get: { summary: "Installation settings: the catalog sync's schedule, the public status page", role: "viewer" },
    patch: { summary: "Change installation settings", role: "admin", body: appSettingsSchema.partial() },
  },
};

const errorSchema = {
  type: "object",
  required: ["error", "message"],
  properties: { error: { type: "string" }, message: { type: "string" }, fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, reason: { type: "string" } } } } },
};

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const queryShape = op.query ? ((z.toJSONSchema(op.query, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown> }).properties ?? {}) : {};
      paths[path][method] = {
        summary: op.summary,
        "x-role": op.role,
        security: op.role === "public" ? [] : [{ session: [] }, { token: [] }],
        parameters: [
          ...(op.params ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
          ...Object.entries(queryShape).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
        ],
        ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(op.body, { io: "input", unrepresentable: "any" }) } } } } : {}),
        responses: {
          [op.response?.startsWith("201") ? "201" : "200"]: { description: op.response ?? "OK" },
          ...(op.role === "public" ? {} : { "401": { description: "No session and no valid token", content: { "application/json": { schema: errorSchema } } } }),
          ...(op.role === "admin" ? { "403": { description: "A viewer asked for a change", content: { "application/json": { schema: errorSchema } } } } : {}),
          ...(op.body || op.query ? { "400": { description: "Invalid input: each field and reason", content: { "application/json": { schema: errorSchema } } } } : {}),
        },
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "Bedrock Region Certification API", version: "1.0.0", description: "Certifies Amazon Bedrock foundation models Region by Region. See docs/API.md." },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
        token: { type: "http", scheme: "bearer", description: "An API token (brc_…) created by a signed-in user; acts with its owner's role." },
      },
    },
    paths,
  };
}
