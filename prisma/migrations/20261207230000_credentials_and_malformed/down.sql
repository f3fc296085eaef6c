-- Rollback of credentials_and_malformed: rows in the two new categories take the
-- categories the earlier release gave them, the enum is rebuilt without them,
-- and the pause reason goes.
BEGIN;

UPDATE "model_certifications" SET "error_category" = 'INVALID_REQUEST' WHERE "error_category" = 'CREDENTIALS';
UPDATE "model_certifications" SET "error_category" = 'UNKNOWN' WHERE "error_category" = 'MALFORMED_RESPONSE';
UPDATE "certification_runs" SET "error_category" = 'INVALID_REQUEST' WHERE "error_category" = 'CREDENTIALS';
UPDATE "certification_runs" SET "error_category" = 'UNKNOWN' WHERE "error_category" = 'MALFORMED_RESPONSE';

ALTER TYPE "ErrorCategory" RENAME TO "ErrorCategory_before_rollback";
CREATE TYPE "ErrorCategory" AS ENUM ('NOT_OFFERED_IN_REGION', 'INFERENCE_PROFILE_REQUIRED', 'ACCESS_DENIED', 'MODEL_END_OF_LIFE', 'THROTTLED', 'QUOTA_EXCEEDED', 'MODEL_NOT_READY', 'MODEL_TIMEOUT', 'MODEL_ERROR', 'SERVICE_UNAVAILABLE', 'INVALID_REQUEST', 'WRONG_ANSWER', 'NETWORK', 'TIMEOUT', 'CANCELLED', 'UNKNOWN');
ALTER TABLE "model_certifications" ALTER COLUMN "error_category" TYPE "ErrorCategory" USING "error_category"::text::"ErrorCategory";
ALTER TABLE "certification_runs" ALTER COLUMN "error_category" TYPE "ErrorCategory" USING "error_category"::text::"ErrorCategory";
DROP TYPE "ErrorCategory_before_rollback";

ALTER TABLE "certification_jobs" DROP COLUMN "pause_reason";
ALTER TABLE "model_region_availability" DROP COLUMN "provisioned_variants";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_credentials\_and\_malformed';

COMMIT;
