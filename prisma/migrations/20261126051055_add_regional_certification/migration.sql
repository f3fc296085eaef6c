-- CreateEnum
CREATE TYPE "CertificationStatus" AS ENUM ('PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CertificationJobType" AS ENUM ('SINGLE_MODEL', 'MULTIPLE_MODELS', 'ALL_MODELS', 'RECERTIFY');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('PENDING', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'PAUSED');

-- CreateEnum
CREATE TYPE "ErrorCategory" AS ENUM ('NOT_OFFERED_IN_REGION', 'INFERENCE_PROFILE_REQUIRED', 'ACCESS_DENIED', 'MODEL_END_OF_LIFE', 'THROTTLED', 'QUOTA_EXCEEDED', 'MODEL_NOT_READY', 'MODEL_TIMEOUT', 'MODEL_ERROR', 'SERVICE_UNAVAILABLE', 'INVALID_REQUEST', 'WRONG_ANSWER', 'NETWORK', 'TIMEOUT', 'CANCELLED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "CertificationRating" AS ENUM ('EXCELLENT', 'GOOD', 'FAIR', 'POOR', 'FAILED');

-- RenameTable: keep every Region-less certification, untouched, for a safe
-- rollback and for the legacy data migration (npm run migrate:legacy).
-- Prisma's generated diff would rewrite the table in place and drop its data;
-- renaming the table, its sequence, primary key and index keeps the rows.
ALTER TABLE "model_certifications" RENAME TO "model_certifications_legacy";
ALTER SEQUENCE "model_certifications_id_seq" RENAME TO "model_certifications_legacy_id_seq";
ALTER TABLE "model_certifications_legacy" RENAME CONSTRAINT "model_certifications_pkey" TO "model_certifications_legacy_pkey";
ALTER INDEX "model_certifications_model_id_idx" RENAME TO "model_certifications_legacy_model_id_idx";

-- AlterTable
ALTER TABLE "ai_models" ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true;


-- CreateTable
CREATE TABLE "regions" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "partition" TEXT NOT NULL DEFAULT 'aws',
    "geography" TEXT NOT NULL,
    "runtime_endpoint" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "regions_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "certification_runs" (
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "job_id" TEXT,
    "status" "CertificationStatus" NOT NULL,
    "passed" BOOLEAN,
    "score" DOUBLE PRECISION,
    "rating" "CertificationRating",
    "test_results" JSONB,
    "error_message" TEXT,
    "error_category" "ErrorCategory",
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "duration" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "certification_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certification_jobs" (
    "id" TEXT NOT NULL,
    "type" "CertificationJobType" NOT NULL,
    "regions" TEXT[],
    "model_ids" TEXT[],
    "status" "JobStatus" NOT NULL DEFAULT 'PENDING',
    "total_models" INTEGER NOT NULL DEFAULT 0,
    "processed_models" INTEGER NOT NULL DEFAULT 0,
    "success_count" INTEGER NOT NULL DEFAULT 0,
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    "bull_job_id" TEXT,
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "duration" INTEGER,
    "config" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT,

    CONSTRAINT "certification_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_certifications" (
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "status" "CertificationStatus" NOT NULL DEFAULT 'PENDING',
    "passed" BOOLEAN,
    "score" DOUBLE PRECISION,
    "rating" "CertificationRating",
    "test_results" JSONB,
    "error_message" TEXT,
    "error_category" "ErrorCategory",
    "job_id" TEXT,
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "duration" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT,

    CONSTRAINT "model_certifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "certification_runs_model_id_region_created_at_idx" ON "certification_runs"("model_id", "region", "created_at" DESC);

-- CreateIndex
CREATE INDEX "certification_runs_job_id_created_at_idx" ON "certification_runs"("job_id", "created_at");

-- CreateIndex
CREATE INDEX "certification_jobs_status_idx" ON "certification_jobs"("status");

-- CreateIndex
CREATE INDEX "certification_jobs_type_idx" ON "certification_jobs"("type");

-- CreateIndex
CREATE INDEX "certification_jobs_bull_job_id_idx" ON "certification_jobs"("bull_job_id");

-- CreateIndex
CREATE INDEX "certification_jobs_created_at_idx" ON "certification_jobs"("created_at");

-- CreateIndex
CREATE INDEX "model_certifications_status_idx" ON "model_certifications"("status");

-- CreateIndex
CREATE INDEX "model_certifications_region_idx" ON "model_certifications"("region");

-- CreateIndex
CREATE INDEX "model_certifications_job_id_idx" ON "model_certifications"("job_id");

-- CreateIndex
CREATE INDEX "model_certifications_created_at_idx" ON "model_certifications"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "model_certifications_model_id_region_key" ON "model_certifications"("model_id", "region");

-- AddForeignKey
ALTER TABLE "model_certifications" ADD CONSTRAINT "model_certifications_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "ai_models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_certifications" ADD CONSTRAINT "model_certifications_region_fkey" FOREIGN KEY ("region") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_certifications" ADD CONSTRAINT "model_certifications_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "certification_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certification_runs" ADD CONSTRAINT "certification_runs_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "ai_models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certification_runs" ADD CONSTRAINT "certification_runs_region_fkey" FOREIGN KEY ("region") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certification_runs" ADD CONSTRAINT "certification_runs_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "certification_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
