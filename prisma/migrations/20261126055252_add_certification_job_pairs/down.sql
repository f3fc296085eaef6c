-- Rollback of add_certification_job_pairs (see docs/schema.md, "Rolling back").
-- Drops the per-pair progress of jobs; finish or cancel running jobs first.
BEGIN;

DROP TABLE "certification_job_pairs";
ALTER TABLE "certification_jobs" DROP COLUMN "cancelled_count", DROP COLUMN "idempotency_key";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add_certification\_job\_pairs';

COMMIT;
