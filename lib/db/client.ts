import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export function createPrismaClient(databaseUrl: string = env.DATABASE_URL, poolSize: number = env.DATABASE_POOL_SIZE) {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    // Fail a request quickly when PostgreSQL is unreachable instead of hanging.
    connectionTimeoutMillis: 5_000,
  });
  // The interactive transactions left are a few statements each; on a busy
  // two-core machine Prisma's defaults (2 s to start, 5 s to finish) expired
  // them (P2028). Bounded still, with room for a loaded machine.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
}

// One client per process. In development Next reloads modules on every change;
// keeping the client on globalThis stops each reload from opening a new pool.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma: PrismaClient = globalForPrisma.prisma ?? createPrismaClient();
if (env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
