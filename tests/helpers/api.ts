// Route handlers called as Next calls them, by users signed in for real
// (Better Auth, sessions in PostgreSQL) or holding real API tokens.
import { expect } from "vitest";
import { auth } from "@/lib/auth/auth";
import { upsertUser } from "@/lib/auth/users";
import { QA } from "./actor";
import { prisma } from "@/lib/db/client";

export const ORIGIN = "http://localhost:3000";
export const ADMIN = { email: "admin@example.com", password: "admin-password-1234" };
export const VIEWER = { email: "viewer@example.com", password: "viewer-password-1234" };

export type Who = "anonymous" | "viewer" | "admin" | "viewer-token" | "admin-token";
export type Handler = (r: Request, c: { params?: Promise<Record<string, string>> }) => Promise<Response>;

export async function signIn(who: { email: string; password: string }): Promise<string> {
  const res = await auth.handler(new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN }, body: JSON.stringify(who) }));
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

// An admin and a viewer, each signed in and holding an API token.
export async function setUpUsers() {
  await prisma.$executeRawUnsafe(`TRUNCATE users, sessions, accounts, api_keys, rate_limits, verifications, audit_log CASCADE`);
  const admin = await upsertUser(QA, { ...ADMIN, role: "admin" });
  const viewer = await upsertUser(QA, { ...VIEWER, role: "viewer" });
  const headers: Record<Who, Record<string, string>> = {
    anonymous: {},
    admin: { cookie: await signIn(ADMIN) },
    viewer: { cookie: await signIn(VIEWER) },
    "admin-token": { authorization: `Bearer ${(await auth.api.createApiKey({ body: { userId: admin.id, name: "ci" } })).key}` },
    "viewer-token": { authorization: `Bearer ${(await auth.api.createApiKey({ body: { userId: viewer.id, name: "dashboards" } })).key}` },
  };
  return { admin, viewer, as: (who: Who) => headers[who] };
}

// As the console's own pages call: same-origin (Origin and Sec-Fetch-Site, as
// a browser sends them). A header given as undefined is left out.
export function call(
  handler: Handler,
  init: { method?: string; path?: string; headers?: Record<string, string | undefined>; body?: unknown; params?: Record<string, string>; signal?: AbortSignal } = {},
) {
  const headers = Object.fromEntries(
    Object.entries({ "content-type": "application/json", origin: ORIGIN, "sec-fetch-site": "same-origin", ...init.headers }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return handler(
    new Request(`${ORIGIN}${init.path ?? "/api/v1"}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
      signal: init.signal,
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
}
