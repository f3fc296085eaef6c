import { createPrismaClient } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export function testPrisma(): PrismaClient {
  return createPrismaClient(process.env.DATABASE_URL, 4);
}

// Empties every application table (not Prisma's migration history) so each test
// starts from a known state in the run's database.
export async function truncateAll(db: PrismaClient): Promise<void> {
  await db.$executeRawUnsafe(
    `TRUNCATE legacy_migration_entries, certification_job_pairs, model_region_availability, certification_runs, model_certifications, certification_jobs, ai_models, regions, model_certifications_legacy, schedules, watch_events, incidents, webhook_subscriptions, webhook_deliveries, app_settings RESTART IDENTITY CASCADE`,
  );
}
