-- Rollback of add_sign_in (see docs/schema.md, "Rolling back"): drops users,
-- sessions, accounts, API tokens and sign-in rate limits.
BEGIN;

DROP TABLE "rate_limits";
DROP TABLE "api_keys";
DROP TABLE "verifications";
DROP TABLE "accounts";
DROP TABLE "sessions";
DROP TABLE "users";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add\_sign\_in';

COMMIT;
