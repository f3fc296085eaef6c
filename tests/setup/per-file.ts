import { inject } from "vitest";

// lib/env.ts reads DATABASE_URL when first imported: point it at this run's
// database before any test file imports application code.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.QUEUE_PREFIX = inject("queuePrefix");
