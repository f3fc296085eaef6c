"use client";
// The browser's calls to /api/v1: same origin, the session cookie, JSON. A
// refusal becomes an ApiError carrying the server's message and field errors,
// so forms can show each reason beside its field.
import type { ActionResult } from "@/lib/http/action";

export type FieldError = { field: string; reason: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    cache: "no-store",
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const problem = (data ?? {}) as { message?: string; fields?: FieldError[] };
    throw new ApiError(res.status, problem.message ?? `Request failed (${res.status})`, problem.fields ?? []);
  }
  return data as T;
}

// A server action's result as a value, or the same ApiError a route's refusal gives.
export async function fromAction<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new ApiError(r.status, r.message, r.fields);
  return r.data;
}

// A message for a toast: the server's words, and the first field's reason.
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.fields.length ? `${err.message} ${err.fields[0]!.field}: ${err.fields[0]!.reason}` : err.message;
  return err instanceof Error ? err.message : "Something went wrong.";
}
