-- Rollback of continuous_certification: schedules, events, incidents, webhooks
-- and settings are dropped with their tables; certifications are untouched.
BEGIN;

DROP TABLE "webhook_deliveries";
DROP TABLE "webhook_subscriptions";
DROP TABLE "incidents";
DROP TABLE "watch_events";
DROP TABLE "schedules";
DROP TABLE "app_settings";
ALTER TABLE "model_certifications" DROP COLUMN "regressed_at";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_continuous\_certification';

COMMIT;
