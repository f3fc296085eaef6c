// A job's configuration: which tests run and the thresholds they use. Validated
// with zod when a job is created (bad values are 400s naming the field) and
// again by the worker; every field has a default, so `{}` is a valid config.
import { z } from "zod";

export const TEXT_TESTS = ["reachability", "exact_instruction", "system_prompt", "two_turn", "json_output", "tool_use", "max_tokens", "streaming", "usage", "latency"] as const;
export const EMBEDDING_TESTS = ["reachability", "dimension", "vector_sanity", "determinism", "latency"] as const;
export const IMAGE_TESTS = ["reachability", "image_decodes", "latency"] as const;
export const RERANK_TESTS = ["reachability", "ranking", "scores", "latency"] as const;
export const VIDEO_TESTS = ["reachability", "completes", "listed"] as const;

export const ALL_TESTS = [...new Set([...TEXT_TESTS, ...EMBEDDING_TESTS, ...IMAGE_TESTS, ...RERANK_TESTS, ...VIDEO_TESTS])] as [string, ...string[]];
export type TestName = (typeof TEXT_TESTS)[number] | (typeof EMBEDDING_TESTS)[number] | (typeof IMAGE_TESTS)[number] | (typeof RERANK_TESTS)[number] | (typeof VIDEO_TESTS)[number];

export const certificationConfigSchema = z
  .object({
    // Tests to run (reachability always runs: nothing else can without it).
    // Omitted: every test of the model's battery.
    tests: z
      .array(z.enum(ALL_TESTS))
      .min(1)
      .max(ALL_TESTS.length)
      .refine((t) => new Set(t).size === t.length, "must not repeat a test")
      .optional(),
    thresholds: z
      .object({
        // A Converse or InvokeModel call slower than this fails the latency test.
        maxLatencyMs: z.number().int().min(100).max(600_000).default(15_000),
        // ConverseStream: time to the first content delta.
        maxTimeToFirstTokenMs: z.number().int().min(50).max(600_000).default(5_000),
        // ConverseStream: output tokens per second after the first token.
        minTokensPerSecond: z.number().min(0).max(100_000).default(5),
        // Score (0-100) at or above which a certification passes.
        passScore: z.number().min(0).max(100).default(70),
        // A pair whose median call takes longer than this is slow: at most
        // FAIR, and it says so, whatever its content. Unset: its kind's floor
        // (SLOW_MEDIAN_MS: text 10 s, embeddings and reranking 5 s, images 30 s).
        slowMedianMs: z.number().int().min(100).max(600_000).optional(),
      })
      .strict()
      .default({ maxLatencyMs: 15_000, maxTimeToFirstTokenMs: 5_000, minTokensPerSecond: 5, passScore: 70 }),
    // Certify profile-only pairs through their cross-Region inference profile
    // instead of recording them as "profile only" (not tried).
    useInferenceProfiles: z.boolean().default(false),
    // Pairs the catalog sync found not offered are settled without a call.
    // With this, each is confirmed with GetFoundationModelAvailability first;
    // one AWS now says is available (catalog drift) is certified, and says so.
    confirmAvailability: z.boolean().default(false),
    // How many times each content test (exact instruction, system prompt, two
    // turns, JSON, tool use) asks, with fresh values each time: all must be
    // right. An answer wrong one time in three is caught with probability
    // 1 - (2/3)^samples per test.
    samples: z.number().int().min(1).max(5).default(2),
    // maxTokens of the ordinary test prompts.
    maxTokens: z.number().int().min(16).max(8_192).default(512),
    // Retries of retryable errors (throttling, timeouts, 5xx) per call, with
    // exponential backoff from retryBaseDelayMs, on top of the SDK's own.
    maxAttempts: z.number().int().min(1).max(10).default(4),
    retryBaseDelayMs: z.number().int().min(0).max(60_000).default(500),
    // Throttling is not a model failure: a pair whose calls ran out of
    // attempts while throttled goes back to the queue (with a growing delay,
    // the Region's shared concurrency lowered meanwhile) up to this many times;
    // only then does it end THROTTLED, saying the Region kept throttling.
    throttleRequeues: z.number().int().min(0).max(50).default(10),
    // Video models write their output to S3: where (the certifying role must
    // be able to write there on AWS), and how long a video may take.
    asyncOutputS3Uri: z
      .string()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "an s3:// URI of a bucket")
      .default("s3://bedrock-certification-output/videos/"),
    videoTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(900_000),
  })
  .strict();

export type CertificationConfig = z.infer<typeof certificationConfigSchema>;

// The speed floor by battery (docs/certification.md): a median call slower than
// this is no longer fine, even when every answer is right. Video renders for
// minutes by design and has none.
export const SLOW_MEDIAN_MS: Record<string, number | null> = { text: 10_000, embedding: 5_000, rerank: 5_000, image: 30_000, video: null };

export const DEFAULT_CONFIG: CertificationConfig = certificationConfigSchema.parse({});

export function testsToRun(config: CertificationConfig, battery: readonly TestName[]): TestName[] {
  if (!config.tests) return [...battery];
  const chosen = new Set(["reachability", ...config.tests]);
  return battery.filter((t) => chosen.has(t));
}
