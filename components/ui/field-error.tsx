import type { FieldError } from "@/lib/client/api";

// The server's reason for a field (or any field under it: "target.models.0"),
// shown beside it.
export function reasonFor(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.reason;
}

export function FieldErrorText({ errors, field }: { errors: FieldError[]; field: string }) {
  const reason = reasonFor(errors, field);
  return reason ? (
    <span className="mt-1 block text-xs text-red-700 dark:text-red-400" data-testid={`error-${field}`}>
      {reason}
    </span>
  ) : null;
}
