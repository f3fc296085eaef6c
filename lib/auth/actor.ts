import "server-only";
// Who is asking: a signed-in user (session cookie) or an API token sent as
// `Authorization: Bearer <token>`, which acts with its owner's role.
import { auth, type Role } from "./auth";
import { resolveApiToken } from "./api-token";

export type Actor = { userId: string; email: string; role: Role; via: "session" | "token" };

const roleOf = (role: string | null | undefined): Role => (role === "admin" ? "admin" : "viewer");

export async function actorFrom(headers: Headers): Promise<Actor | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) {
    const owner = await resolveApiToken(bearer);
    return owner && { userId: owner.userId, email: owner.email, role: roleOf(owner.role), via: "token" };
  }
  const session = await auth.api.getSession({ headers }).catch(() => null);
  if (!session?.user || session.user.banned) return null;
  return { userId: session.user.id, email: session.user.email, role: roleOf(session.user.role), via: "session" };
}
