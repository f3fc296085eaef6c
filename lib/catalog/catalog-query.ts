// GET /api/v1/models?provider=&enabled=&q=: the route validates with it and
// the OpenAPI document describes it.
import { z } from "zod";

export const catalogQuerySchema = z
  .object({
    provider: z.string().min(1).max(100).optional(),
    enabled: z.enum(["true", "false"]).optional(),
    q: z.string().min(1).max(100).optional(),
  })
  .strict();
