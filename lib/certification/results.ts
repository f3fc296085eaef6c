// The shape of `testResults` (model_certifications.test_results and
// certification_runs.test_results), versioned and validated with zod.
// docs/certification.md documents it field by field.
import { z } from "zod";
import { ErrorCategory } from "@/lib/generated/prisma/enums";
import { CERTIFIABLE_KINDS } from "./availability";

export const testOutcomeSchema = z.enum(["passed", "failed", "skipped", "error"]);
export type TestOutcome = z.infer<typeof testOutcomeSchema>;

export const testResultSchema = z.object({
  name: z.string(),
  outcome: testOutcomeSchema,
  // Wall time of the test's Bedrock calls, ms; null when nothing was called.
  latencyMs: z.number().nonnegative().nullable(),
  // What was checked and what came back, or why it was skipped.
  detail: z.string(),
  // For outcome "error": the category of the error that stopped it.
  errorCategory: z.enum(Object.values(ErrorCategory) as [ErrorCategory, ...ErrorCategory[]]).optional(),
  // Measurements some tests take (timeToFirstTokenMs, tokensPerSecond, ...).
  metrics: z.record(z.string(), z.number()).optional(),
  // How the test changed its request to fit what the model accepts (a forced
  // tool choice or a sampling parameter it refuses, a bigger budget for a
  // model that reasons first), each in a sentence: adapted, not failed.
  adapted: z.array(z.string()).optional(),
  // What the test asked and what the model answered (clipped), call by call:
  // the evidence of the verdict, shown in the cell detail.
  transcript: z
    .array(z.object({ prompt: z.string(), answer: z.string() }))
    .max(10)
    .optional(),
});
export type TestResult = z.infer<typeof testResultSchema>;

export const testResultsSchema = z.object({
  version: z.literal(1),
  battery: z.enum([...CERTIFIABLE_KINDS, "none"]),
  // The identifier that was invoked, and how: the plain model id in-Region, or
  // a cross-Region inference profile id.
  invokedId: z.string().nullable(),
  via: z.enum(["in-region", "inference-profile", "not-invoked"]),
  // Throttled attempts that were retried (not failures).
  throttles: z.number().int().nonnegative(),
  // Where what AWS said differs from the catalog sync's record (catalog
  // drift): what was found, in a sentence.
  drift: z.string().optional(),
  // Each capability the battery exercised: certified, broken, not_supported
  // or not_tried (capabilities.ts); a broken one caps the rating at FAIR.
  capabilities: z.record(z.string(), z.enum(["certified", "broken", "not_supported", "not_tried"])).optional(),
  tests: z.array(testResultSchema),
});
export type TestResults = z.infer<typeof testResultsSchema>;
