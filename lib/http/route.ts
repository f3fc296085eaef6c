import "server-only";
// The one wrapper every /api/v1 route handler goes through: who is asking (401
// without a session or token, 403 for a viewer where an admin is needed), zod
// parsing of the body and the query string (400 with each field and reason), and mapping of service
// errors to HTTP. Unexpected errors are logged and answered generically: no
// stack trace, SQL or secret reaches a client.
import { NextResponse } from "next/server";
import type { z } from "zod";
import { actorFrom, type Actor } from "@/lib/auth/actor";
import { ServiceError } from "@/lib/errors";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createLogger } from "@/lib/logger";

const log = createLogger("api");

const STATUS: Record<ServiceError["code"], number> = { VALIDATION: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export const problem = (status: number, error: string, message: string, fields?: { field: string; reason: string }[]) =>
  NextResponse.json({ error, message, ...(fields?.length ? { fields } : {}) }, { status });

// Each zod issue as the field it is about and why ("(body)" or "(query)" for the whole).
const fieldsOf = (error: z.ZodError, whole: string) => error.issues.map((i) => ({ field: i.path.join(".") || whole, reason: i.message }));

// A change made with a session cookie must come from this app's own pages:
// browsers send Origin on every cross-site POST/PATCH/DELETE, so a foreign one
// is a forged request (SameSite=Lax cookies are the first line; this the second).
// Tokens are not sent by browsers on their own, so token calls skip this.
function crossSite(request: Request, actor: Actor): boolean {
  if (actor.via !== "session" || request.method === "GET" || request.method === "HEAD") return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("host");
  const allowed = new Set([new URL(env.APP_URL).origin, new URL(request.url).origin, ...(host ? [`http://${host}`, `https://${host}`] : [])]);
  return !allowed.has(origin);
}

type Context<B, Q> = { actor: Actor; body: B; query: Q; params: Record<string, string>; request: Request };
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

// Every successful admin action goes to the audit log: who, what, when, from where.
async function audit(actor: Actor, action: string, target: string | undefined, request: Request, status: number) {
  const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? request.headers.get("x-real-ip") ?? null;
  await prisma.auditEntry.create({
    data: { actorId: actor.userId, actorEmail: actor.email, via: actor.via, action, target: target ?? null, details: { status }, ip, userAgent: request.headers.get("user-agent") },
  });
}

export function route<S extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  options: { role: "viewer" | "admin"; body?: S; query?: Q; audit?: string },
  handler: (ctx: Context<Parsed<S>, Parsed<Q>>) => Promise<Response>,
) {
  return async (request: Request, context: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const actor = await actorFrom(request.headers);
      if (!actor) return problem(401, "unauthorized", "Sign in, or send an API token as Authorization: Bearer <token>.");
      if (options.role === "admin" && actor.role !== "admin") return problem(403, "forbidden", "Only an admin can do this.");
      if (crossSite(request, actor)) return problem(403, "cross_site", "A change from another site is refused.");
      let body: unknown = undefined;
      if (options.body) {
        let raw: unknown;
        try {
          raw = await request.json();
        } catch {
          return problem(400, "invalid_json", "The body must be JSON.", [{ field: "(body)", reason: "not valid JSON" }]);
        }
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) return problem(400, "validation", "The request is not valid.", fieldsOf(parsed.error, "(body)"));
        body = parsed.data;
      }
      let query: unknown = undefined;
      if (options.query) {
        const parsed = options.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
        if (!parsed.success) return problem(400, "validation", "The query is not valid.", fieldsOf(parsed.error, "(query)"));
        query = parsed.data;
      }
      const params = (await context.params) ?? {};
      const response = await handler({ actor, body: body as never, query: query as never, params, request });
      if (options.role === "admin" && response.ok) {
        const action = (options.audit ?? `${request.method} ${new URL(request.url).pathname}`).replace(/:(\w+)/g, (_, p: string) => params[p] ?? `:${p}`);
        await audit(actor, action, params.id ?? params.code ?? response.headers.get("location") ?? undefined, request, response.status);
      }
      return response;
    } catch (err) {
      if (err instanceof ServiceError) return problem(STATUS[err.code], err.code.toLowerCase(), err.message, err.fields);
      log.error({ err: (err as Error)?.stack ?? String(err), url: request.url }, "unexpected error in a route handler");
      return problem(500, "internal", "Something went wrong on our side. It has been logged.");
    }
  };
}
