-- Rollback of add_pair_availability (see docs/schema.md, "Rolling back"): pairs
-- that ended on their availability become failures again, as the earlier
-- release stored them, and the columns and the enum go.
BEGIN;

UPDATE "model_certifications" SET "status" = 'FAILED', "passed" = false, "score" = 0, "rating" = 'FAILED',
    "error_category" = COALESCE("error_category", 'INVALID_REQUEST')
 WHERE "status" = 'COMPLETED' AND "passed" IS NULL AND "availability" IN ('NOT_OFFERED', 'PROFILE_ONLY', 'LEGACY', 'UNSUPPORTED');
UPDATE "certification_runs" SET "status" = 'FAILED', "passed" = false, "score" = 0, "rating" = 'FAILED',
    "error_category" = COALESCE("error_category", 'INVALID_REQUEST')
 WHERE "status" = 'COMPLETED' AND "passed" IS NULL AND "availability" IN ('NOT_OFFERED', 'PROFILE_ONLY', 'LEGACY', 'UNSUPPORTED');
UPDATE "certification_job_pairs" SET "status" = 'FAILED', "passed" = false
 WHERE "status" = 'COMPLETED' AND "passed" IS NULL AND "availability" IN ('NOT_OFFERED', 'PROFILE_ONLY', 'LEGACY', 'UNSUPPORTED');
UPDATE "certification_jobs" SET "failure_count" = "failure_count" + "not_offered_count" + "profile_only_count" + "legacy_count" + "unsupported_count";

ALTER TABLE "model_certifications" DROP COLUMN "availability";
ALTER TABLE "certification_runs" DROP COLUMN "availability";
ALTER TABLE "certification_job_pairs" DROP COLUMN "availability";
ALTER TABLE "certification_jobs" DROP COLUMN "legacy_count", DROP COLUMN "not_offered_count", DROP COLUMN "profile_only_count", DROP COLUMN "unsupported_count";
DROP TYPE "PairAvailability";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add\_pair\_availability';

COMMIT;
