import "server-only";
// Creating and resetting accounts from the server (the CLI, development seed,
// tests): Better Auth hashes the password and owns the account rows.
import { audit, type Actor } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { auth, type Role } from "./auth";

// `actor` is who does it (the CLI's operator); the change is audited with it.
export async function upsertUser(actor: Actor, input: { email: string; password: string; name?: string; role: Role }): Promise<{ id: string; created: boolean }> {
  const email = input.email.toLowerCase();
  const existing = await prisma.user.findUnique({ where: { email } });
  if (!existing) {
    const created = await auth.api.createUser({ body: { email, password: input.password, name: input.name ?? email.split("@")[0]!, role: input.role } });
    await audit(prisma, actor, "user.create", created.user.id, { email, role: input.role });
    return { id: created.user.id, created: true };
  }
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(input.password);
  const account = await prisma.account.findFirst({ where: { userId: existing.id, providerId: "credential" } });
  if (account) await ctx.internalAdapter.updatePassword(existing.id, hash);
  else await ctx.internalAdapter.linkAccount({ userId: existing.id, providerId: "credential", accountId: existing.id, password: hash });
  await prisma.$transaction([
    prisma.user.update({ where: { id: existing.id }, data: { role: input.role, banned: false, name: input.name ?? existing.name } }),
    audit(prisma, actor, "user.update", existing.id, { email, role: input.role, passwordReset: true, unbanned: existing.banned ?? false }),
  ]);
  return { id: existing.id, created: false };
}
