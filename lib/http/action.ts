import "server-only";
// The edge every server action goes through, as lib/http/route.ts is for route
// handlers: who is asking (the same session or token), the same role check,
// the same input guard and zod parsing, the same mapping of service errors —
// returned as a result the form can show beside its fields, not thrown. Next
// checks Origin too, but answers a mismatch with a 500: ours comes first.
// The services audit.
import type { z } from "zod";
import { actorFrom, type Actor } from "@/lib/auth/actor";
import { HTTP_STATUS, ServiceError, zodFields, type FieldError } from "@/lib/errors";
import { env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { isDependencyDown } from "./dependency-down";
import { unsafeText } from "./input-guard";

const log = createLogger("action");
const appOrigin = () => new URL(env.APP_URL).origin;

export type ActionResult<T> = { ok: true; data: T } | { ok: false; status: number; error: string; message: string; fields: FieldError[] };

// As the route handlers' problems: reasons cut short, at most 20 fields.
const refused = (status: number, error: string, message: string, fields: FieldError[] = []): ActionResult<never> => ({
  ok: false,
  status,
  error,
  message,
  fields: fields.slice(0, 20).map((f) => ({ field: f.field.slice(0, 200), reason: f.reason.slice(0, 200) })),
});

// `run(headers, input)`: app/actions.ts hands it the request's headers; tests
// call it with a viewer's or an admin's own.
export function defineAction<S extends z.ZodType, T>(options: { role: "viewer" | "admin"; input: S }, handler: (ctx: { actor: Actor; input: z.output<S>; headers: Headers }) => Promise<T>) {
  return async (headers: Headers, raw: unknown): Promise<ActionResult<T>> => {
    try {
      // A console form posts from the console's own origin (APP_URL), as a
      // browser says in Origin; one without it, or from elsewhere, is refused
      // here as a result (route handlers refuse the same, lib/http/route.ts).
      const origin = headers.get("origin");
      if (origin !== appOrigin()) return refused(403, "forbidden", origin ? "This form was posted from another site." : "This form was posted without its origin: reload the page and try again.");
      const actor = await actorFrom(headers);
      if (!actor) return refused(401, "unauthorized", "Sign in again: the session has ended.");
      if (options.role === "admin" && actor.role !== "admin") return refused(403, "forbidden", "Only an admin can do this.");
      const unsafe = unsafeText(raw, "(input)");
      if (unsafe) return refused(400, "validation", "The form holds text that cannot be stored.", [unsafe]);
      const parsed = options.input.safeParse(raw);
      if (!parsed.success) return refused(400, "validation", "The form is not valid.", zodFields(parsed.error, "(input)"));
      return { ok: true, data: await handler({ actor, input: parsed.data, headers }) };
    } catch (err) {
      if (err instanceof ServiceError) return refused(HTTP_STATUS[err.code], err.code.toLowerCase(), err.message, err.fields);
      if (isDependencyDown(err)) return refused(503, "unavailable", "The service is briefly unavailable (its database or queue is out of reach): try again in a few seconds.");
      // The auth library's own refusals (a token that is not the caller's, say) are 4xx results too.
      const status = (err as { statusCode?: unknown })?.statusCode;
      if (typeof status === "number" && status >= 400 && status < 500)
        return refused(status === 400 || status === 403 || status === 401 ? 404 : status, "not_found", "There is no such item of yours.");
      log.error({ err: (err as Error)?.stack ?? String(err) }, "unexpected error in a server action");
      return refused(500, "internal", "Something went wrong on our side. It has been logged.");
    }
  };
}
