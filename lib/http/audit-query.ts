// GET /api/v1/audit?limit=&actor=: the route validates with it and the
// OpenAPI document describes it.
import { z } from "zod";

export const auditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), actor: z.string().email().optional() }).strict();
