-- CreateEnum
CREATE TYPE "LegacyMigrationOutcome" AS ENUM ('MIGRATED', 'REPLACED', 'SUPERSEDED', 'SKIPPED');

-- AlterTable
ALTER TABLE "model_certifications" ADD COLUMN     "legacy_id" INTEGER;

-- CreateTable
CREATE TABLE "legacy_migration_entries" (
    "legacy_id" INTEGER NOT NULL,
    "outcome" "LegacyMigrationOutcome" NOT NULL,
    "reason" TEXT,
    "certification_id" TEXT,
    "previous_state" JSONB,
    "migrated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "legacy_migration_entries_pkey" PRIMARY KEY ("legacy_id")
);

-- CreateIndex
CREATE INDEX "legacy_migration_entries_outcome_idx" ON "legacy_migration_entries"("outcome");

-- CreateIndex
CREATE UNIQUE INDEX "model_certifications_legacy_id_key" ON "model_certifications"("legacy_id");

-- AddForeignKey
ALTER TABLE "legacy_migration_entries" ADD CONSTRAINT "legacy_migration_entries_legacy_id_fkey" FOREIGN KEY ("legacy_id") REFERENCES "model_certifications_legacy"("id") ON DELETE CASCADE ON UPDATE CASCADE;
