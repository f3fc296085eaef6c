// The operator the engine tests act as (as `npm run certify` would).
import type { Actor } from "@/lib/audit";

export const QA: Actor = { userId: "qa", email: "qa@example.com", role: "admin", via: "cli", ip: null, userAgent: "vitest" };
