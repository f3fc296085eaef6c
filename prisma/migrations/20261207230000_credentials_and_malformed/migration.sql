-- Credentials that AWS refuses (expired, unrecognised, mis-signed) are their own
-- category, never a model failure: an answer that is not what the API promises
-- (a body that is not JSON, NaN in a vector, an empty 200) is MALFORMED_RESPONSE.
ALTER TYPE "ErrorCategory" ADD VALUE IF NOT EXISTS 'CREDENTIALS';
ALTER TYPE "ErrorCategory" ADD VALUE IF NOT EXISTS 'MALFORMED_RESPONSE';

-- Why a job paused itself (null when an admin paused it): shown on the job page.
ALTER TABLE "certification_jobs" ADD COLUMN "pause_reason" TEXT;

-- The Provisioned Throughput variants AWS lists for the model in the Region
-- (":48k", ":200k"): shown with their base model, never models of their own.
ALTER TABLE "model_region_availability" ADD COLUMN "provisioned_variants" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
