// The one place that reads process.env. Every process (web app, worker,
// simulator, scripts) parses it once at start-up and fails fast with a message
// naming each bad variable.
import { z } from "zod";
import { isCidr } from "./net/cidr";
import { isCron } from "./watch/cron";
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, DEFAULT_SIMULATOR_PORT } from "./config/defaults";

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgresql:// URL");
const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:\/\//.test(u), "must be a redis:// or rediss:// URL");

const envFields = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: postgresUrl.default(DEFAULT_DATABASE_URL),
  // Connections per process; the worker and the web app each hold a pool.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: redisUrl.default(DEFAULT_REDIS_URL),
  // A Redis Cluster (docs/queue.md): REDIS_URL names any one of its nodes, the
  // client learns the others. rediss:// turns TLS on, for either kind.
  REDIS_CLUSTER: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true"),
  // How long /api/health waits for each dependency before calling it down.
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
  // Sign-in (docs/auth.md). The secret signs session cookies: required in
  // production, a fixed development value otherwise.
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  APP_URL: z.string().url().default("http://localhost:3000"),
  // The web server (server/main.ts, docs/auth.md "Client addresses and limits").
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  WEB_HOST: z.string().min(1).default("0.0.0.0"),
  // Reverse proxies in front of the web server, whose X-Forwarded-For is
  // believed: unset (none: the socket's address is the client), a hop count,
  // or a comma-separated list of addresses and CIDR ranges.
  TRUSTED_PROXIES: z
    .string()
    .regex(/^(\d+|[0-9a-fA-F:.\/,\s]+)$/, "a hop count, or a comma-separated list of IP addresses and CIDR ranges")
    .optional(),
  // Request bodies larger than this are refused with 413 before they are read.
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  // On SIGTERM: how long open requests may take before the web server exits.
  WEB_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  // Failed sign-ins one account may have in SIGN_IN_ACCOUNT_WINDOW_SECONDS,
  // from any address, before it is refused for the rest of the window.
  SIGN_IN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  SIGN_IN_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  // Past that, attempts on the account are spaced by a delay that doubles with
  // each failure up to this (an address the account signed in from is not).
  SIGN_IN_ACCOUNT_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  // Bedrock. With BEDROCK_ENDPOINT set, every SDK client talks to that endpoint
  // (the bundled simulator, or any Bedrock-compatible server) with static
  // credentials; unset, the SDK's default credential chain and AWS endpoints.
  BEDROCK_ENDPOINT: z.string().url().optional(),
  // The bundled simulator's port when `npm run dev` starts it.
  SIMULATOR_PORT: z.coerce.number().int().min(1).max(65_535).default(DEFAULT_SIMULATOR_PORT),
  // A folder: every Bedrock exchange is written there in data/aws-wire/'s
  // format (evidence of a verdict against AWS; credentials removed).
  BEDROCK_RECORD_DIR: z.string().min(1).optional(),
  // A Region whose calls have had no answer for this long is "not answering"
  // (the console's header says so).
  BEDROCK_SILENT_AFTER_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(15_000),
  BEDROCK_ACCESS_KEY_ID: z.string().min(1).default("simulator"),
  BEDROCK_SECRET_ACCESS_KEY: z.string().min(1).default("simulator"),
  // Deadline of one Bedrock call, from request to last byte of the answer.
  BEDROCK_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  BEDROCK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  // The SDK's own attempts for throttling and 5xx in the catalog sync and the
  // web app (1 = no SDK retries). The worker's certification calls always make
  // one: the engine counts throttles and requeues (docs/certification.md).
  BEDROCK_SDK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),

  // The queue and the worker (docs/queue.md).
  // Hash-tagged so that a Redis Cluster keeps all of a queue's keys on one slot.
  QUEUE_PREFIX: z.string().min(1).default("{bedrock-cert}"),
  // Pairs one worker process certifies at once (across all Regions).
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  // Bedrock calls at once in one Region, across every worker process (a
  // certifying pair holds a slot; tests it runs side by side, one each).
  REGION_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(4),
  REGION_CONCURRENCY_OVERRIDES: z.string().optional(),
  // Bedrock calls per second in one Region, across every worker process (0: no limit).
  REGION_RATE_PER_SECOND: z.coerce.number().min(0).max(100_000).default(20),
  REGION_RATE_OVERRIDES: z.string().optional(),
  // How many of a pair's tests may run at once, the extra ones on Region slots
  // nobody is waiting for (1: one at a time, on the pair's own slot).
  PAIR_PARALLEL_TESTS: z.coerce.number().int().min(1).max(16).default(4),
  // How long a pair waits for a Region slot before going back to the queue.
  REGION_SLOT_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  // A pair whose worker stops renewing for this long is taken over by another.
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(4610),
  // Loopback by default: the health endpoint is for this machine's probes.
  // A container sets 0.0.0.0 so that its orchestrator can reach it.
  WORKER_HEALTH_HOST: z.string().min(1).default("127.0.0.1"),
  // On SIGTERM: how long running pairs may take to finish before they are put back.
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  // How often the reconciler compares PostgreSQL with the queue.
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  // Continuous certification (docs/monitoring.md). The catalog sync's own
  // schedule ("off" for none); new offered pairs it finds are certified at once
  // unless CATALOG_AUTO_CERTIFY is "false".
  CATALOG_SYNC_CRON: z
    .string()
    .min(1)
    .default("17 */6 * * *")
    .refine((v) => v === "off" || isCron(v), 'must be a cron expression or "off"'),
  // A Region's listing that drops more than a fifth of its models, or comes
  // back empty, is read again after this long before anything is withdrawn.
  CATALOG_CONFIRM_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  CATALOG_AUTO_CERTIFY: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .transform((v) => v === "true"),
  // Regressions: a score drop of at least this many points, or a latency or
  // time to first token above this factor of the cell's recent p95.
  REGRESSION_SCORE_DROP: z.coerce.number().min(1).max(100).default(15),
  REGRESSION_LATENCY_FACTOR: z.coerce.number().min(1.1).max(100).default(2),
  // …and this many milliseconds above that p95, two runs in a row.
  REGRESSION_LATENCY_MARGIN_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  // Incidents: a model failing in at least N of its offered Regions, or at
  // least K models failing in one Region, within the window; resolved after
  // this many evaluations in a row without the condition.
  INCIDENT_MODEL_MIN_REGIONS: z.coerce.number().int().min(1).max(50).default(2),
  INCIDENT_REGION_MIN_MODELS: z.coerce.number().int().min(1).max(1000).default(3),
  INCIDENT_WINDOW_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(24),
  INCIDENT_CLEAR_RUNS: z.coerce.number().int().min(1).max(100).default(2),
  // Webhook deliveries: tries per delivery and the first retry's delay (doubled each time).
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // A schedule may not fire more often than this (a cron with seconds could
  // otherwise start a job every second).
  SCHEDULE_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // One firing of a schedule queues at most this many pairs (the stalest
  // first); the rest wait for the next firing.
  SCHEDULE_MAX_PAIRS_PER_FIRING: z.coerce.number().int().min(1).max(100_000).default(2_000),
  // /metrics on the web app: a bearer token, or loopback only when unset.
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  // Private ranges webhooks may reach (comma-separated CIDRs, e.g.
  // "10.20.0.0/16,fd00::/8"): an on-premises receiver. Everything else that is
  // not public (loopback, link-local, private, CGNAT, multicast…) is refused.
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isCidr), "must be comma-separated CIDRs such as 10.0.0.0/8 or fd00::/8"),
});

export const envSchema = envFields.superRefine((e, ctx) => {
  // In a cluster, a script or transaction may only touch keys of one slot:
  // the prefix's hash tag puts every key of the product on the same one.
  if (e.REDIS_CLUSTER && !/\{[^{}]+\}/.test(e.QUEUE_PREFIX))
    ctx.addIssue({ code: "custom", path: ["QUEUE_PREFIX"], message: 'must contain a hash tag such as "{bedrock-cert}" when REDIS_CLUSTER is true' });
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "not set": fall back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  return result.data;
}

// At a process's start: a bad value is one line naming the variable and what
// it must be, and the process ends (exit 2) — not a stack trace around it
// (issue 29). A test or a tool that wants the error calls parseEnv itself.
function envOrExit(): Env {
  try {
    return parseEnv(process.env);
  } catch (err) {
    // One reason per variable (the most specific, which zod gives last).
    const byVariable = new Map(
      (err as Error).message
        .split("\n")
        .slice(1)
        .map((l) => [l.trim().split(":")[0]!, l.trim()] as const),
    );
    const lines = [...byVariable.values()];
    if (!lines.length) throw err;
    console.error(`Invalid environment: ${lines.join("; ")}. Fix or unset ${lines.length > 1 ? "them" : "it"} (README: Configuration).`);
    process.exit(2);
  }
}

export const env: Env = envOrExit();

const DEVELOPMENT_AUTH_SECRET = "development-only-secret-not-for-production-use";

export function authSecret(e: Env = env): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production" && !process.env.NEXT_PHASE) throw new Error("AUTH_SECRET must be set in production (32+ random characters)");
  return DEVELOPMENT_AUTH_SECRET;
}

// Whether the AWS SDK's default credential chain has something to find in the
// environment. `npm run dev` starts the simulator when it has not (and no
// BEDROCK_ENDPOINT is set): the simulator is the embedded default.
export function awsCredentialsConfigured(source: Record<string, string | undefined> = process.env): boolean {
  return ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"].some((name) => !!source[name]);
}
