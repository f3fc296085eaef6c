-- Rollback of cell_speed_columns: the speeds stay in each cell's test_results.
BEGIN;

ALTER TABLE "model_certifications" DROP COLUMN "time_to_first_token_ms", DROP COLUMN "tokens_per_second", DROP COLUMN "latency_ms", DROP COLUMN "broken_capabilities";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_cell\_speed\_columns';

COMMIT;
