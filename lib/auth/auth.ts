import "server-only";
// Sign-in with Better Auth: email and password (hashed by the library), sessions
// in PostgreSQL, sign-in attempts rate limited in PostgreSQL (so every web
// process shares the limits), roles from the admin plugin ("admin", "viewer"),
// and per-user API tokens (stored hashed, shown once, revocable, last use kept).
import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import { audit, type Actor } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { authSecret, env } from "@/lib/env";
import { accountRetryAfter, noteFailedSignIn, noteSuccessfulSignIn, signInLimitRedis } from "./sign-in-limit";

export const ROLES = ["admin", "viewer"] as const;
export type Role = (typeof ROLES)[number];

// The auth library's own endpoints that change state, audited as they succeed
// (its writes are its own, so the entry follows them rather than sharing their
// transaction). Server-side calls without a session (the CLI, tests) are
// audited by their callers (lib/auth/users.ts).
const AUDITED: Record<string, string> = {
  "/admin/set-role": "user.set-role",
  "/admin/ban-user": "user.ban",
  "/admin/unban-user": "user.unban",
  "/admin/create-user": "user.create",
  "/admin/update-user": "user.update",
  "/admin/remove-user": "user.remove",
  "/admin/set-user-password": "user.set-password",
  "/admin/revoke-user-session": "user.revoke-session",
  "/admin/revoke-user-sessions": "user.revoke-sessions",
  "/admin/impersonate-user": "user.impersonate",
  "/api-key/create": "token.create",
  "/api-key/update": "token.update",
  "/api-key/delete": "token.revoke",
};

type HookContext = {
  path: string;
  body?: Record<string, unknown>;
  headers?: Headers;
  request?: Request;
  context: { returned?: unknown; session?: { user: { id: string; email: string; role?: string | null } } | null };
};

// The client's address as the web server saw it (server/client-address.ts).
const clientAddress = (ctx: HookContext) => (ctx.headers ?? ctx.request?.headers)?.get("x-client-address") ?? null;

const isFailure = (returned: unknown) => returned instanceof APIError || (returned instanceof Response && !returned.ok);
const emailOf = (ctx: HookContext) => (typeof ctx.body?.email === "string" ? ctx.body.email : null);

// What the change was about: the user or token it named, or the one it made.
function targetOf(ctx: HookContext): string | null {
  const body = ctx.body ?? {};
  const returned = ctx.context.returned as { id?: unknown; user?: { id?: unknown } } | undefined;
  for (const v of [body.userId, body.keyId, returned?.user?.id, returned?.id]) if (typeof v === "string") return v;
  return null;
}

// Better Auth's own permissions (user management) for our two roles.
const ac = createAccessControl(defaultStatements);
const roles = { admin: ac.newRole({ ...adminAc.statements }), viewer: ac.newRole({ ...userAc.statements }) };

export const auth = betterAuth({
  appName: "Bedrock Region Certification",
  baseURL: env.APP_URL,
  secret: authSecret(),
  database: prismaAdapter(prisma, { provider: "postgresql" }),
  emailAndPassword: {
    enabled: true,
    // Accounts are created by admins (or `npm run auth:user`), not by sign-up.
    disableSignUp: true,
    minPasswordLength: 12,
  },
  session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
  rateLimit: {
    enabled: true,
    storage: "database",
    window: 60,
    max: 100,
    customRules: { "/sign-in/email": { window: 60, max: 5 } },
  },
  hooks: {
    before: createAuthMiddleware(async (ctx) => {
      const email = ctx.path === "/sign-in/email" ? emailOf(ctx as HookContext) : null;
      if (!email) return;
      const wait = await accountRetryAfter(signInLimitRedis(), email, clientAddress(ctx as HookContext));
      if (wait > 0) throw new APIError("TOO_MANY_REQUESTS", { message: `Too many failed sign-ins for this account from elsewhere: try again in ${wait} s.` }, { "Retry-After": String(wait) });
    }),
    after: createAuthMiddleware(async (raw) => {
      const ctx = raw as unknown as HookContext;
      if (ctx.path === "/sign-in/email") {
        const email = emailOf(ctx);
        if (!email) return;
        const redis = signInLimitRedis();
        const returned = ctx.context.returned;
        if (returned instanceof APIError && returned.statusCode === 401) await noteFailedSignIn(redis, email);
        else if (!isFailure(returned)) await noteSuccessfulSignIn(redis, email, clientAddress(ctx));
        return;
      }
      const action = AUDITED[ctx.path];
      if (!action || isFailure(ctx.context.returned)) return;
      const user = ctx.context.session?.user ?? (await getSessionFromCtx(raw).catch(() => null))?.user;
      if (!user) return;
      const headers = ctx.headers ?? ctx.request?.headers;
      const actor: Actor = {
        userId: user.id,
        email: user.email,
        role: user.role === "admin" ? "admin" : "viewer",
        via: "session",
        ip: headers?.get("x-client-address") ?? null,
        userAgent: headers?.get("user-agent") ?? null,
      };
      const details = ctx.path === "/admin/set-role" ? { role: ctx.body?.role } : ctx.path === "/admin/ban-user" ? { reason: ctx.body?.banReason ?? null } : {};
      await audit(prisma, actor, action, targetOf(ctx), details as never);
    }),
  },
  advanced: {
    // The client's address as the web server determined it from the socket and
    // TRUSTED_PROXIES (server/client-address.ts): rate limits and sessions use
    // it, never a header a client wrote itself.
    ipAddress: { ipAddressHeaders: ["x-client-address"] },
    // Secure (and __Secure- prefixed) cookies whenever the app is served over HTTPS.
    useSecureCookies: new URL(env.APP_URL).protocol === "https:",
    defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
  },
  plugins: [admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }), apiKey({ defaultPrefix: "brc_", rateLimit: { enabled: false } }), nextCookies()],
});
