import { inject } from "vitest";

// lib/env.ts reads DATABASE_URL when first imported: point it at this run's
// database before any test file imports application code.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.QUEUE_PREFIX = inject("queuePrefix");
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// Tests fire schedules every two seconds.
process.env.SCHEDULE_MIN_INTERVAL_SECONDS = "2";
// A suspect catalog listing is read again after this long (lib/catalog/sync.ts).
process.env.CATALOG_CONFIRM_DELAY_MS ??= "200";
// The tests' webhook receivers listen on loopback, which webhooks may not reach unless opened.
process.env.WEBHOOK_ALLOWED_NETWORKS ??= "127.0.0.0/8";
