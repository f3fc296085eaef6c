import "server-only";
// The edge every server action goes through, as lib/http/route.ts is for route
// handlers: who is asking (the same session or token), the same role check,
// the same input guard and zod parsing, the same mapping of service errors —
// returned as a result the form can show beside its fields, not thrown. Next
// itself refuses an action posted from another origin. The services audit.
import type { z } from "zod";
import { actorFrom, type Actor } from "@/lib/auth/actor";
import { HTTP_STATUS, ServiceError, zodFields, type FieldError } from "@/lib/errors";
import { createLogger } from "@/lib/logger";
import { unsafeText } from "./input-guard";

const log = createLogger("action");

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
      log.error({ err: (err as Error)?.stack ?? String(err) }, "unexpected error in a server action");
      return refused(500, "internal", "Something went wrong on our side. It has been logged.");
    }
  };
}
