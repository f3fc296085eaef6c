-- Rollback of add_audit_log (see docs/schema.md, "Rolling back"): drops the audit log.
BEGIN;

DROP TABLE "audit_log";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_add\_audit\_log';

COMMIT;
