// Development only (`npm run dev`): with no account yet, creates a local admin and
// a local viewer, and prints how to sign in. Never run against production.
import { cliActor } from "@/lib/audit";
import { upsertUser } from "@/lib/auth/users";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";

export const DEV_USERS = [
  { email: "admin@localhost.dev", password: "local-admin-password", role: "admin" as const, name: "Local admin" },
  { email: "viewer@localhost.dev", password: "local-viewer-password", role: "viewer" as const, name: "Local viewer" },
];

try {
  if (env.NODE_ENV === "production") throw new Error("refusing to seed development accounts in production");
  if ((await prisma.user.count()) === 0) for (const u of DEV_USERS) await upsertUser(cliActor(), u);
  const present = await prisma.user.findMany({ where: { email: { in: DEV_USERS.map((u) => u.email) } }, select: { email: true } });
  if (present.length) {
    console.log("\nSign in at http://localhost:3000 with the local development accounts:");
    for (const u of DEV_USERS.filter((d) => present.some((p) => p.email === d.email))) console.log(`  ${u.role.padEnd(6)}  ${u.email}  /  ${u.password}`);
    console.log("(create real accounts with `npm run auth:user -- --email … --password … --role admin|viewer`)\n");
  }
} finally {
  await prisma.$disconnect();
}
