import "server-only";
// The one wrapper every /api/v1 route handler goes through: who is asking (401
// without a session or token, 403 for a viewer where an admin is needed, 403
// for a cookie-carried change that is not from this app's own pages), input
// PostgreSQL cannot take refused (400 naming the field), zod parsing of the
// body and the query string (400 with each field and reason), and mapping of
// service errors to HTTP. Unexpected errors are logged and answered
// generically: no stack trace, SQL or secret reaches a client. Changes are
// audited by the services themselves (lib/audit.ts), in their transactions.
import { NextResponse } from "next/server";
import { z } from "zod";
import { actorFrom, type Actor } from "@/lib/auth/actor";
import { HTTP_STATUS, ServiceError, zodFields } from "@/lib/errors";
import { env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { isDependencyDown } from "./dependency-down";
import { unsafeText } from "./input-guard";

const log = createLogger("api");

// Error bodies name fields and reasons, never repeat large input: a reason is
// cut short and at most 20 fields are listed.
const MAX_REASON = 200;
const MAX_FIELDS = 20;
const short = (text: string) => (text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text);

export const problem = (status: number, error: string, message: string, fields?: { field: string; reason: string }[]) =>
  NextResponse.json(
    { error, message: short(message), ...(fields?.length ? { fields: fields.slice(0, MAX_FIELDS).map((f) => ({ field: short(f.field), reason: short(f.reason) })) } : {}) },
    { status, headers: { "Cache-Control": "no-store" } },
  );

// A body PostgreSQL already wrote as JSON (lib/db/json-row.ts), sent as it is.
export const jsonText = (text: string) => new Response(text, { headers: { "Content-Type": "application/json" } });

// A change made with a session cookie must come from this app's own pages.
// Browsers send Origin on cross-site POST/PATCH/DELETE and Sec-Fetch-Site on
// every request: a foreign Origin, a cross-site fetch, or neither header (not
// a browser page of ours) is refused. SameSite=Lax cookies are the first line;
// this the second. Tokens are not sent by browsers on their own: token calls
// skip this.
function crossSite(request: Request, actor: Actor): boolean {
  if (actor.via !== "session" || request.method === "GET" || request.method === "HEAD") return false;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  if (origin) {
    const host = request.headers.get("host");
    const allowed = new Set([new URL(env.APP_URL).origin, new URL(request.url).origin, ...(host ? [`http://${host}`, `https://${host}`] : [])]);
    return !allowed.has(origin);
  }
  return fetchSite !== "same-origin";
}

// A route that names no query parameters takes none (docs/API.md: unknown ones are a 400).
const NO_QUERY = z.object({}).strict();

type Context<B, Q> = { actor: Actor; body: B; query: Q; params: Record<string, string>; request: Request };
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export function route<S extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  options: { role: "viewer" | "admin"; body?: S; query?: Q },
  handler: (ctx: Context<Parsed<S>, Parsed<Q>>) => Promise<Response>,
) {
  return async (request: Request, context: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const params = (await context.params) ?? {};
      const searchParams = [...new URL(request.url).searchParams];
      // (Names are checked with the values: unsafeText walks keys too.)
      const badInput = unsafeText(params, "(path)") ?? unsafeText(Object.fromEntries(searchParams), "(query)");
      if (badInput) return problem(400, "validation", "The request holds text that cannot be stored.", [badInput]);
      const actor = await actorFrom(request.headers);
      if (!actor) return problem(401, "unauthorized", "Sign in, or send an API token as Authorization: Bearer <token>.");
      if (options.role === "admin" && actor.role !== "admin") return problem(403, "forbidden", "Only an admin can do this.");
      if (crossSite(request, actor)) return problem(403, "cross_site", "A change from another site, or from outside this app's pages, is refused when signed in with a cookie. Use an API token.");
      // A route that takes no body refuses one (POST /models/sync with a body is a mistake, not a sync).
      if (!options.body && request.method !== "GET" && request.method !== "HEAD" && (await request.text()).length > 0)
        return problem(400, "validation", "This request takes no body.", [{ field: "(body)", reason: "must be empty" }]);
      // Names no object may carry, whatever the route's schema lets through.
      const reserved = searchParams.find(([name]) => name === "__proto__" || name === "constructor" || name === "prototype");
      if (reserved || (!options.query && searchParams.length > 0))
        return problem(400, "validation", "The query is not valid.", [{ field: (reserved ?? searchParams[0]!)[0].slice(0, 200), reason: "unknown field" }]);
      let body: unknown = undefined;
      if (options.body) {
        let raw: unknown;
        try {
          raw = await request.json();
        } catch {
          return problem(400, "invalid_json", "The body must be JSON.", [{ field: "(body)", reason: "not valid JSON" }]);
        }
        const unsafe = unsafeText(raw, "(body)");
        if (unsafe) return problem(400, "validation", "The body holds text that cannot be stored.", [unsafe]);
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) return problem(400, "validation", "The request is not valid.", zodFields(parsed.error, "(body)"));
        body = parsed.data;
      }
      const parsedQuery = (options.query ?? NO_QUERY).safeParse(Object.fromEntries(searchParams));
      if (!parsedQuery.success) return problem(400, "validation", "The query is not valid.", zodFields(parsedQuery.error, "(query)"));
      const query = options.query ? parsedQuery.data : undefined;
      const response = await handler({ actor, body: body as never, query: query as never, params, request });
      // API data is per caller and changes all the time: no cache keeps it
      // (a route that allows revalidation sets its own, e.g. the matrix's ETag).
      if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
      return response;
    } catch (err) {
      if (err instanceof ServiceError) return problem(HTTP_STATUS[err.code], err.code.toLowerCase(), err.message, err.fields);
      if (isDependencyDown(err)) {
        log.warn({ err: (err as Error)?.message, url: request.url.slice(0, 500) }, "a dependency is out of reach: 503");
        const res = problem(503, "unavailable", "The service is briefly unavailable (its database or queue is out of reach): retry in a few seconds.");
        res.headers.set("Retry-After", "5");
        return res;
      }
      log.error({ err: (err as Error)?.stack ?? String(err), url: request.url.slice(0, 500) }, "unexpected error in a route handler");
      return problem(500, "internal", "Something went wrong on our side. It has been logged.");
    }
  };
}
