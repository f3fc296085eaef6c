// Expected errors of the services, with what an HTTP edge maps them to. Their
// messages are safe to show; anything else is unexpected and shown generically.
import type { z } from "zod";

export type FieldError = { field: string; reason: string };

export class ServiceError extends Error {
  constructor(
    readonly code: "VALIDATION" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "UNAUTHORIZED",
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const validationError = (fields: FieldError[]) => new ServiceError("VALIDATION", fields.map((f) => `${f.field}: ${f.reason}`).join("; "), fields);
export const notFound = (what: string) => new ServiceError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string) => new ServiceError("CONFLICT", message);

// The HTTP status of each, for every edge (route handlers, server actions).
export const HTTP_STATUS: Record<ServiceError["code"], number> = { VALIDATION: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

// Each zod issue as the field it is about and why (`whole` names the input
// itself: "(body)", "(query)", "(input)"); an unknown field is named itself.
export const zodFields = (error: z.ZodError, whole: string): FieldError[] =>
  error.issues.flatMap((i) =>
    i.code === "unrecognized_keys" ? i.keys.map((k) => ({ field: [...i.path, k].join("."), reason: "unknown field" })) : [{ field: i.path.join(".") || whole, reason: i.message }],
  );
