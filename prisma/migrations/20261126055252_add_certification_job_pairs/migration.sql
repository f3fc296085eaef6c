-- AlterTable
ALTER TABLE "certification_jobs" ADD COLUMN     "cancelled_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "idempotency_key" TEXT;

-- CreateTable
CREATE TABLE "certification_job_pairs" (
    "id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "status" "CertificationStatus" NOT NULL DEFAULT 'PENDING',
    "round" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "passed" BOOLEAN,
    "run_id" TEXT,
    "worker_id" TEXT,
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "certification_job_pairs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "certification_job_pairs_job_id_status_idx" ON "certification_job_pairs"("job_id", "status");

-- CreateIndex
CREATE INDEX "certification_job_pairs_status_idx" ON "certification_job_pairs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "certification_job_pairs_job_id_model_id_region_key" ON "certification_job_pairs"("job_id", "model_id", "region");

-- CreateIndex
CREATE UNIQUE INDEX "certification_jobs_idempotency_key_key" ON "certification_jobs"("idempotency_key");

-- AddForeignKey
ALTER TABLE "certification_job_pairs" ADD CONSTRAINT "certification_job_pairs_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "certification_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
