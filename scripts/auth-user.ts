// `npm run auth:user -- --email a@b.c --password '…' [--role admin|viewer] [--name …]`:
// creates the account, or resets its password and role. How to get the first admin.
import { z } from "zod";
import { cliActor } from "@/lib/audit";
import { upsertUser } from "@/lib/auth/users";
import { prisma } from "@/lib/db/client";

const value = (f: string) => (process.argv.includes(f) ? process.argv[process.argv.indexOf(f) + 1] : undefined);
const input = z
  .object({ email: z.string().email(), password: z.string().min(12, "must be at least 12 characters"), role: z.enum(["admin", "viewer"]).default("admin"), name: z.string().min(1).optional() })
  .safeParse({ email: value("--email"), password: value("--password") ?? process.env.AUTH_USER_PASSWORD, role: value("--role"), name: value("--name") });

try {
  if (!input.success) {
    for (const i of input.error.issues) console.error(`  --${i.path.join(".")}: ${i.message}`);
    process.exitCode = 2;
  } else {
    const r = await upsertUser(cliActor(), input.data);
    console.log(`${r.created ? "Created" : "Reset"} ${input.data.role} ${input.data.email}.`);
  }
} finally {
  await prisma.$disconnect();
}
