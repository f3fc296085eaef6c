// Fault injection: rules matched per operation, model and Region, from a JSON
// file (`--faults file.json`) or the admin endpoint (PUT /_simulator/faults).
// Every rule that matches a request applies, in order; a later rule's field
// overrides an earlier one's. Rates are probabilities in [0, 1], drawn from
// seeded streams (simulator/random.ts), so a run is reproducible.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CORRUPTIONS } from "./corrupt";

export const OPERATIONS = [
  "Converse",
  "ConverseStream",
  "InvokeModel",
  "ListFoundationModels",
  "GetFoundationModel",
  "GetFoundationModelAvailability",
  "ListInferenceProfiles",
  "StartAsyncInvoke",
  "GetAsyncInvoke",
  "ListAsyncInvokes",
] as const;
export type Operation = (typeof OPERATIONS)[number];

const rate = z.number().min(0).max(1);
const millis = z.number().int().min(0).max(600_000);

export const latencySchema = z
  .object({
    // Time to the first token (for Converse: before the answer is sent).
    firstTokenMs: millis,
    // Uniform jitter added to firstTokenMs: [0, jitterMs).
    jitterMs: millis,
    // Output speed; the answer's tokens take outputTokens / tokensPerSecond.
    tokensPerSecond: z.number().positive().max(1_000_000),
  })
  .partial()
  .strict();

export const faultRuleSchema = z
  .object({
    // Model ids, with * as a wildcard ("anthropic.*"); profile ids match their model.
    models: z.array(z.string().min(1)).max(500).optional(),
    regions: z.array(z.string().min(1)).max(100).optional(),
    operations: z.array(z.enum(OPERATIONS)).optional(),
    latency: latencySchema.optional(),
    accessDenied: z.boolean().optional(),
    // The caller's credentials are expired: every request answers
    // ExpiredTokenException (403), as AWS does for a session token past its end.
    expiredToken: z.boolean().optional(),
    throttleRate: rate.optional(),
    quotaExceededRate: rate.optional(),
    notReadyRate: rate.optional(),
    modelTimeoutRate: rate.optional(),
    modelErrorRate: rate.optional(),
    serviceUnavailableRate: rate.optional(),
    internalErrorRate: rate.optional(),
    // Accept the request, then answer nothing for hangMs (a client deadline test).
    hangRate: rate.optional(),
    hangMs: millis.optional(),
    // Only requests whose body matches this regular expression (a prompt's
    // words, a nonce's prefix): a fault aimed at one test of a battery.
    prompt: z
      .string()
      .min(1)
      .max(200)
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, "not a regular expression")
      .optional(),
    // The model answers, but wrongly (a check fails) or with broken JSON.
    wrongAnswerRate: rate.optional(),
    // How a wrong answer is wrong: garbled (the default: reversed text, an
    // off-by-one number, a vector one short, a non-image), bad_usage (token
    // counts that do not add up), no_output (no text, vector or image),
    // constant_vector, random_vector (a different vector for the same text).
    wrongAnswerKind: z.enum(["garbled", "bad_usage", "no_output", "constant_vector", "random_vector"]).optional(),
    malformedJsonRate: rate.optional(),
    // ConverseStream: pause mid-stream for streamStallMs, or fail mid-stream.
    streamStallRate: rate.optional(),
    streamStallMs: millis.optional(),
    streamErrorRate: rate.optional(),
    // ListFoundationModels leaves out this share of the Region's models (1:
    // an empty list), as a bad answer from the control plane would.
    listingDrop: rate.optional(),
    // A hostile answer made from the right one (simulator/corrupt.ts): every
    // matching request gets it.
    corrupt: z.enum(CORRUPTIONS).optional(),
    // The model is no longer offered here: "The provided model identifier is
    // invalid." (400), as after a withdrawal; aimed with prompt, mid-battery.
    withdrawn: z.boolean().optional(),
    // The rule applies to at most this many matching requests, then no more
    // (until the faults are set again or reset): a one-off bad answer.
    maxHits: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const faultsConfigSchema = z
  .object({
    rules: z.array(faultRuleSchema).max(1_000).default([]),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultsConfig = z.infer<typeof faultsConfigSchema>;
export type EffectiveFaults = Omit<FaultRule, "models" | "regions" | "operations" | "latency" | "maxHits"> & {
  latency: { firstTokenMs: number; jitterMs: number; tokensPerSecond: number };
};

const NO_LATENCY = { firstTokenMs: 0, jitterMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY };

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(value);
}

// `take` counts a rule's hits (the server keeps the counts): a rule with
// maxHits applies only while it has hits left.
export function effectiveFaults(config: FaultsConfig, request: { operation: Operation; modelId?: string; region: string; body?: string }, take?: (rule: FaultRule) => boolean): EffectiveFaults {
  const out: EffectiveFaults = { latency: { ...NO_LATENCY } };
  for (const rule of config.rules) {
    if (rule.operations && !rule.operations.includes(request.operation)) continue;
    if (rule.regions && !rule.regions.includes(request.region)) continue;
    if (rule.models && !(request.modelId && rule.models.some((p) => globMatch(p, request.modelId!)))) continue;
    if (rule.prompt && !(request.body !== undefined && new RegExp(rule.prompt).test(request.body))) continue;
    if (rule.maxHits !== undefined && take && !take(rule)) continue;
    const { models: _m, regions: _r, operations: _o, prompt: _p, maxHits: _h, latency, ...rest } = rule;
    Object.assign(out, rest);
    if (latency) out.latency = { ...out.latency, ...latency };
  }
  return out;
}

export function parseFaultsConfig(value: unknown): { ok: true; config: FaultsConfig } | { ok: false; errors: { field: string; reason: string }[] } {
  const parsed = faultsConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", reason: i.message })) };
}

export function loadFaultsFile(file: string): FaultsConfig {
  const result = parseFaultsConfig(JSON.parse(readFileSync(file, "utf8")));
  if (!result.ok) throw new Error(`Invalid faults file ${file}: ${result.errors.map((e) => `${e.field}: ${e.reason}`).join("; ")}`);
  return result.config;
}
