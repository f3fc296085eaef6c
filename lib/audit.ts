// Who changed what, when, from where: every change of state writes one audit
// entry, in the service that makes the change and in the same transaction, so
// that no entry point (API, console, CLI) can change anything unrecorded.
// Changes made by the auth library's own endpoints (roles, bans, API tokens)
// are recorded by its after-hook (lib/auth/auth.ts).
import { hostname, userInfo } from "node:os";
import path from "node:path";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

export type Role = "admin" | "viewer";

// Who is asking: a signed-in user, an API token (acting with its owner's
// role), or an operator at this machine's command line. `ip` and `userAgent`
// say from where (the web server's X-Client-Address, never a client's own claim).
export type Actor = { userId: string; email: string; role: Role; via: "session" | "token" | "cli" | "system"; ip?: string | null; userAgent?: string | null };

// The operator running a command-line script (`npm run certify`, `auth:user`,
// `catalog:sync`): named by the machine's user, or by --as.
export function cliActor(as?: string): Actor {
  const user = userInfo().username;
  return { userId: `cli:${user}`, email: as ?? `${user}@${hostname()}`, role: "admin", via: "cli", ip: null, userAgent: `cli ${path.basename(process.argv[1] ?? "")}`.trim() };
}

// The product acting on its own: a schedule firing, the catalog watch
// certifying what changed. Named so that the audit log says which.
export function systemActor(name: string): Actor {
  return { userId: `system:${name}`, email: name, role: "admin", via: "system", ip: null, userAgent: null };
}

type Db = PrismaClient | Prisma.TransactionClient;

export function auditEntry(actor: Actor, action: string, target: string | null, details?: Prisma.InputJsonValue): Prisma.AuditEntryCreateInput {
  return { actorId: actor.userId, actorEmail: actor.email, via: actor.via, action, target, details: details ?? {}, ip: actor.ip ?? null, userAgent: actor.userAgent?.slice(0, 512) ?? null };
}

export function audit(db: Db, actor: Actor, action: string, target: string | null, details?: Prisma.InputJsonValue) {
  return db.auditEntry.create({ data: auditEntry(actor, action, target, details) });
}

// What a viewer may read of an entry's details: URLs shown as scheme and host
// (a Slack incoming-webhook URL is a secret), anything secret-like withheld.
// Admins read entries whole. Older entries written before URLs were trimmed
// at the source are covered too: the rule is applied on the way out.
const SECRET_KEY = /secret|token|password|passwd|api.?key|authorization|credential|signature|cookie/i;
const URL_KEY = /url|uri|endpoint|href/i;

export function redactForViewer(value: unknown, key = ""): unknown {
  if (SECRET_KEY.test(key)) return "[withheld]";
  if (typeof value === "string") {
    if (URL_KEY.test(key) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      try {
        return new URL(value).origin;
      } catch {
        return "[withheld]";
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redactForViewer(v, key));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactForViewer(v, k)]));
  return value;
}

export async function readAuditLog(db: PrismaClient, reader: Actor, query: { actor?: string; limit: number }) {
  const entries = await db.auditEntry.findMany({ where: query.actor ? { actorEmail: query.actor } : {}, orderBy: { createdAt: "desc" }, take: query.limit });
  return reader.role === "admin" ? entries : entries.map((e) => ({ ...e, details: redactForViewer(e.details), userAgent: e.userAgent }));
}
