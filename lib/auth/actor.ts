import "server-only";
// Who is asking: a signed-in user (session cookie) or an API token sent as
// `Authorization: Bearer <token>`, which acts with its owner's role.
import type { Actor, Role } from "@/lib/audit";
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
  const session = await auth.api.getSession({ headers }).catch(() => null);
  if (!session?.user || session.user.banned) return null;
  return { userId: session.user.id, email: session.user.email, role: roleOf(session.user.role), via: "session", ...from };
}
