-- Rollback of add_legacy_migration_log (see docs/schema.md, "Rolling back").
-- Run `npm run migrate:legacy -- --rollback` first: it removes the regional rows
-- the legacy migration wrote and restores what they replaced; this script then
-- drops its log and the rows' link to their legacy source.
BEGIN;

DROP TABLE "legacy_migration_entries";
DROP TYPE "LegacyMigrationOutcome";
ALTER TABLE "model_certifications" DROP COLUMN "legacy_id";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add\_legacy\_migration\_log';

COMMIT;
