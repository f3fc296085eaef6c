-- CreateEnum
CREATE TYPE "PairAvailability" AS ENUM ('IN_REGION', 'PROFILE_ONLY', 'NOT_OFFERED', 'LEGACY', 'UNSUPPORTED');

-- AlterTable
ALTER TABLE "certification_job_pairs" ADD COLUMN     "availability" "PairAvailability";

-- AlterTable
ALTER TABLE "certification_jobs" ADD COLUMN     "legacy_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "not_offered_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "profile_only_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "unsupported_count" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "certification_runs" ADD COLUMN     "availability" "PairAvailability";

-- AlterTable
ALTER TABLE "model_certifications" ADD COLUMN     "availability" "PairAvailability";


-- Data: certifications that ended only because of availability were stored as
-- failures. They become what they are: finished, not tried (passed NULL), with
-- their availability, and the error category stays as the explanation.
UPDATE "model_certifications" SET "availability" = CASE "error_category"
      WHEN 'NOT_OFFERED_IN_REGION' THEN 'NOT_OFFERED'::"PairAvailability"
      WHEN 'INFERENCE_PROFILE_REQUIRED' THEN 'PROFILE_ONLY'::"PairAvailability"
      ELSE 'LEGACY'::"PairAvailability" END,
    "status" = 'COMPLETED', "passed" = NULL, "score" = NULL, "rating" = NULL
 WHERE "status" = 'FAILED' AND "error_category" IN ('NOT_OFFERED_IN_REGION', 'INFERENCE_PROFILE_REQUIRED', 'MODEL_END_OF_LIFE');

UPDATE "certification_runs" SET "availability" = CASE "error_category"
      WHEN 'NOT_OFFERED_IN_REGION' THEN 'NOT_OFFERED'::"PairAvailability"
      WHEN 'INFERENCE_PROFILE_REQUIRED' THEN 'PROFILE_ONLY'::"PairAvailability"
      ELSE 'LEGACY'::"PairAvailability" END,
    "status" = 'COMPLETED', "passed" = NULL, "score" = NULL, "rating" = NULL
 WHERE "status" = 'FAILED' AND "error_category" IN ('NOT_OFFERED_IN_REGION', 'INFERENCE_PROFILE_REQUIRED', 'MODEL_END_OF_LIFE');
