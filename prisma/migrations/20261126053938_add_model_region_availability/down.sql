-- Rollback of add_model_region_availability (see docs/schema.md, "Rolling back").
-- Drops the catalog sync's per-Region availability; a later sync rebuilds it.
BEGIN;

DROP TABLE "model_region_availability";
DROP TYPE "RegionAvailability";
ALTER TABLE "regions" DROP COLUMN "catalog_synced_at";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add_model_region_availability';

COMMIT;
