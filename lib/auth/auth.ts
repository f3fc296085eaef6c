import "server-only";
// Sign-in with Better Auth: email and password (hashed by the library), sessions
// in PostgreSQL, sign-in attempts rate limited in PostgreSQL (so every web
// process shares the limits), roles from the admin plugin ("admin", "viewer"),
// and per-user API tokens (stored hashed, shown once, revocable, last use kept).
import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import { prisma } from "@/lib/db/client";
import { authSecret, env } from "@/lib/env";

export const ROLES = ["admin", "viewer"] as const;
export type Role = (typeof ROLES)[number];

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
    // Accounts are created by admins (or `npm run auth:admin`), not by sign-up.
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
  advanced: {
    // Secure (and __Secure- prefixed) cookies whenever the app is served over HTTPS.
    useSecureCookies: new URL(env.APP_URL).protocol === "https:",
    defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
  },
  plugins: [
    admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }),
    apiKey({ defaultPrefix: "brc_", rateLimit: { enabled: false } }),
    nextCookies(),
  ],
});
