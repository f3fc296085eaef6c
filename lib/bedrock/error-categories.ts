// What each error category means for an admin: whether the worker retries it
// and what to do about it. Client-safe (the UI shows the advice).
import type { ErrorCategory } from "@/lib/generated/prisma/enums";

export type CategoryInfo = {
  label: string;
  // Retried with backoff by the worker; the others fail the pair at once.
  retryable: boolean;
  // One line telling an admin what to do.
  advice: (ctx: { modelId: string; region: string }) => string;
};

// Cross-Region inference profile prefix of a Region's geography.
export function geoProfilePrefix(region: string): string | null {
  if (region.startsWith("us-gov-")) return "us-gov";
  const prefix = region.split("-")[0];
  if (prefix === "us" || prefix === "ca" || prefix === "mx" || prefix === "sa") return "us";
  if (prefix === "eu" || prefix === "il" || prefix === "me") return "eu";
  if (prefix === "ap") return "apac";
  return null;
}

export const ERROR_CATEGORIES: Record<ErrorCategory, CategoryInfo> = {
  NOT_OFFERED_IN_REGION: {
    label: "Not offered in Region",
    retryable: false,
    advice: ({ region }) => `The model is not offered in ${region}: certify it in a Region that offers it, or leave this cell out.`,
  },
  INFERENCE_PROFILE_REQUIRED: {
    label: "Inference profile only",
    retryable: false,
    advice: ({ modelId, region }) => {
      const geo = geoProfilePrefix(region);
      return `On-demand use of the plain model id is not supported in ${region}: invoke it through the inference profile ${geo ? `\`${geo}.${modelId}\`` : `\`global.${modelId}\``} (enable "certify through inference profiles" in the job's config).`;
    },
  },
  ACCESS_DENIED: {
    label: "Access not granted",
    retryable: false,
    advice: ({ region }) => `Request access to this model in ${region} (Bedrock console, Model access; Anthropic models also need the use-case form), or check the IAM policy of the certifying role.`,
  },
  MODEL_END_OF_LIFE: {
    label: "Legacy or end of life",
    retryable: false,
    advice: ({ region }) => `The model is legacy or has reached end of life in ${region}: move to its successor and stop certifying this one.`,
  },
  THROTTLED: {
    label: "Throttled",
    retryable: true,
    advice: ({ region }) => `Bedrock throttled the calls in ${region} until retries ran out: lower the Region's concurrency or rate, or request a higher quota. Not a model failure.`,
  },
  QUOTA_EXCEEDED: {
    label: "Quota exceeded",
    retryable: true,
    advice: ({ region }) => `The account's service quota for this model in ${region} is exhausted: request a quota increase (Service Quotas) or certify later.`,
  },
  MODEL_NOT_READY: {
    label: "Model not ready",
    retryable: true,
    advice: () => "The model is not ready to serve yet: re-certify in a few minutes.",
  },
  MODEL_TIMEOUT: {
    label: "Model timeout",
    retryable: true,
    advice: () => "The model took too long to answer: re-certify, or lower the tests' maxTokens.",
  },
  MODEL_ERROR: {
    label: "Model error",
    retryable: false,
    advice: ({ region }) => `The model failed while processing the request in ${region}: re-certify later; if it persists, report it to AWS Support.`,
  },
  SERVICE_UNAVAILABLE: {
    label: "Service unavailable",
    retryable: true,
    advice: ({ region }) => `Bedrock in ${region} is unavailable or failing: check the AWS Health Dashboard and re-certify later.`,
  },
  INVALID_REQUEST: {
    label: "Invalid request",
    retryable: false,
    advice: () => "Bedrock rejected the request: check the job's test configuration (tests, maxTokens, thresholds) against what this model accepts.",
  },
  WRONG_ANSWER: {
    label: "Wrong answer",
    retryable: false,
    advice: () => "The model answered but failed a check: open the per-test results to see which and why.",
  },
  NETWORK: {
    label: "Network",
    retryable: true,
    advice: ({ region }) => `The Bedrock endpoint of ${region} could not be reached: check network access, proxies and DNS from the workers.`,
  },
  TIMEOUT: {
    label: "Timed out",
    retryable: true,
    advice: () => "The call exceeded its deadline: raise BEDROCK_CALL_TIMEOUT_MS or the test's latency budget, or re-certify later.",
  },
  CANCELLED: {
    label: "Cancelled",
    retryable: false,
    advice: () => "The certification was cancelled before it finished: re-certify when needed.",
  },
  CREDENTIALS: {
    label: "Credentials refused",
    retryable: false,
    advice: () =>
      "AWS refused the workers' credentials (expired, unknown or mis-signed, or no role could be assumed): refresh the credentials or fix the role's trust and policy, then resume the job. Not a model failure.",
  },
  MALFORMED_RESPONSE: {
    label: "Malformed response",
    retryable: true,
    advice: ({ region }) =>
      `Bedrock in ${region} answered with a body that is not what its API promises (not JSON, NaN, empty or cut short): re-certify; if it persists, report it to AWS Support with the request id.`,
  },
  UNKNOWN: {
    label: "Unknown error",
    retryable: false,
    advice: () => "An unexpected error occurred: check the worker logs for this pair and re-certify.",
  },
};

// What to do about an error, unless its message already says it (the worker
// ends most failure messages with this same advice): for the UI to say it once.
export function adviceNotInMessage(category: string | null, ctx: { modelId: string | null; region: string }, message: string | null): string | null {
  const info = category ? ERROR_CATEGORIES[category as ErrorCategory] : undefined;
  if (!info || !ctx.modelId) return null;
  const advice = info.advice({ modelId: ctx.modelId, region: ctx.region });
  return message?.includes(advice) ? null : advice;
}
