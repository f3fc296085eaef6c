import "server-only";
// Who is asking: a signed-in user (session cookie) or an API token sent as
// `Authorization: Bearer <token>`, which acts with its owner's role.
import type { Actor, Role } from "@/lib/audit";
import { DependencyDown, isDependencyDown } from "@/lib/http/dependency-down";
import { auth } from "./auth";
import { resolveApiToken } from "./api-token";

export type { Actor };

const roleOf = (role: string | null | undefined): Role => (role === "admin" ? "admin" : "viewer");

// The client's address as the web server determined it (server/main.ts
// overwrites X-Client-Address on every request; docs/auth.md).
export const clientAddressOf = (headers: Headers): string | null => headers.get("x-client-address");

export async function actorFrom(headers: Headers): Promise<Actor | null> {
  const from = { ip: clientAddressOf(headers), userAgent: headers.get("user-agent") };
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) {
    const owner = await resolveApiToken(bearer);
    return owner && { userId: owner.userId, email: owner.email, role: roleOf(owner.role), via: "token", ...from };
  }
  // No session is "signed out"; a lookup that failed (the database out of
  // reach, a pool exhausted under load) is not: it is thrown, and answered
  // 503 — a page that got 401 there never recovered (issue 29).
  const session = await auth.api.getSession({ headers }).catch((err: unknown) => {
    if (isDependencyDown(err)) throw new DependencyDown("the session store", err);
    const status = (err as { statusCode?: number })?.statusCode;
    if (typeof status === "number" && status < 500) return null;
    throw new DependencyDown("the session store", err);
  });
  if (!session?.user || session.user.banned) return null;
  return { userId: session.user.id, email: session.user.email, role: roleOf(session.user.role), via: "session", ...from };
}
