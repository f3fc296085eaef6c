-- Rollback of add_regional_certification: restores the pre-upgrade schema with
-- every Region-less certification intact (the upgrade renamed that table, it did
-- not copy it). Everything written to the regional tables since the upgrade is
-- dropped: export what you need first (docs/schema.md, "Rolling back").
--
--   npx prisma db execute --file prisma/migrations/<this folder>/down.sql
--
-- It also removes the migration from Prisma's history table, so that
-- `prisma migrate status` reports it as not yet applied and `prisma migrate
-- deploy` can upgrade again. Prisma ignores this file when it applies
-- migrations (it reads migration.sql only).
BEGIN;

DROP TABLE "certification_runs";
DROP TABLE "model_certifications";
DROP TABLE "certification_jobs";
DROP TABLE "regions";

ALTER TABLE "ai_models" DROP COLUMN "enabled";

DROP TYPE "CertificationStatus";
DROP TYPE "CertificationJobType";
DROP TYPE "JobStatus";
DROP TYPE "ErrorCategory";
DROP TYPE "CertificationRating";

ALTER TABLE "model_certifications_legacy" RENAME TO "model_certifications";
ALTER SEQUENCE "model_certifications_legacy_id_seq" RENAME TO "model_certifications_id_seq";
ALTER TABLE "model_certifications" RENAME CONSTRAINT "model_certifications_legacy_pkey" TO "model_certifications_pkey";
ALTER INDEX "model_certifications_legacy_model_id_idx" RENAME TO "model_certifications_model_id_idx";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add_regional_certification';

COMMIT;
