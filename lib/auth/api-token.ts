import "server-only";
// Resolving a bearer token on every API request, in one indexed query.
//
// Tokens are created, listed and revoked through Better Auth's api-key plugin,
// which stores SHA-256(token) base64url-encoded. Its own verifyApiKey also
// counts requests and writes the row on every call (~15-20 ms of CPU and a
// write per request); we use neither per-token quotas nor request counts, so
// the hot path here hashes with node:crypto, reads the token and its owner in
// one join, and writes "last used" at most once a minute per token.
import { createHash } from "node:crypto";
import { prisma } from "@/lib/db/client";

// How stale "last used" may get before a request writes it again.
export const LAST_USE_RESOLUTION_MS = 60_000;

// Same encoding as @better-auth/api-key's defaultKeyHasher (a unit test pins it).
export const hashApiToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export type TokenOwner = { userId: string; email: string; role: string | null };

type Row = { user_id: string; email: string; role: string | null; key_id: string; last_request: Date | null };

export async function resolveApiToken(token: string, now = new Date()): Promise<TokenOwner | null> {
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT u.id AS user_id, u.email, u.role, k.id AS key_id, k.last_request
      FROM api_keys k JOIN users u ON u.id = k.reference_id
     WHERE k.key = ${hashApiToken(token)}
       AND k.enabled IS NOT FALSE
       AND (k.expires_at IS NULL OR k.expires_at > ${now})
       AND (u.banned IS NOT TRUE OR (u.ban_expires IS NOT NULL AND u.ban_expires <= ${now}))
     LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  if (!row.last_request || now.getTime() - row.last_request.getTime() >= LAST_USE_RESOLUTION_MS) {
    // Guarded so concurrent requests of one token write it once.
    await prisma.$executeRaw`
      UPDATE api_keys SET last_request = ${now}
       WHERE id = ${row.key_id} AND (last_request IS NULL OR last_request <= ${new Date(now.getTime() - LAST_USE_RESOLUTION_MS)})`;
  }
  return { userId: row.user_id, email: row.email, role: row.role };
}
