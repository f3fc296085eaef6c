// Expected errors of the services, with what an HTTP edge maps them to. Their
// messages are safe to show; anything else is unexpected and shown generically.
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
