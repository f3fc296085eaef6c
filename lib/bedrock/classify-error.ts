// Maps anything a Bedrock call can throw (a service exception, an abort, our
// deadline, a network failure) to exactly one error category, with whether to
// retry and what an admin should do.
import type { ErrorCategory } from "@/lib/generated/prisma/enums";
import { BedrockCallAborted, BedrockCallTimeout } from "./clients";
import { ERROR_CATEGORIES } from "./error-categories";

export type ClassifiedError = {
  category: ErrorCategory;
  retryable: boolean;
  // What to do, for the admin.
  message: string;
  // What happened, as Bedrock or the network said it (no credentials or URLs).
  detail: string;
  awsErrorName?: string;
  httpStatus?: number;
};

// AWS's answers to credentials it will not take: expired, unknown, mis-signed,
// missing; and the SDK's own when it finds none (no profile, a role it cannot
// assume). Never the model's fault: the job pauses itself (docs/bedrock.md).
const CREDENTIAL_ERRORS = new Set([
  "UnrecognizedClientException",
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidSignatureException",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "CredentialsProviderError",
  "TokenProviderError",
]);

// An answer that is not what the API promises: a body that is not JSON (or JSON
// with NaN), an empty or truncated 200, an event stream that does not decode.
// Thrown by the batteries where they parse a body themselves.
export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedResponse";
  }
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED", "UND_ERR_SOCKET"]);

type ErrorLike = { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };

function categoryOf(err: ErrorLike): ErrorCategory {
  if (err instanceof BedrockCallAborted) return "CANCELLED";
  if (err instanceof BedrockCallTimeout) return "TIMEOUT";
  if (err instanceof MalformedResponse) return "MALFORMED_RESPONSE";
  const name = err.name ?? "";
  const message = err.message ?? "";
  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials|security token included in the request is (?:invalid|expired)/i.test(message)) return "CREDENTIALS";
  // The SDK could not read the answer it got (not JSON, a broken event stream).
  if (name === "SyntaxError" || /deserialization error|unexpected end of json|is not valid json|checksum|prelude|message length/i.test(message)) return "MALFORMED_RESPONSE";
  switch (name) {
    case "AccessDeniedException":
      // Bedrock answers a legacy model unused for a while with AccessDenied.
      return /legacy/i.test(message) ? "MODEL_END_OF_LIFE" : "ACCESS_DENIED";
    case "ResourceNotFoundException":
      return "MODEL_END_OF_LIFE";
    case "ValidationException":
      if (/on-demand throughput isn.t supported|inference profile/i.test(message)) return "INFERENCE_PROFILE_REQUIRED";
      if (/model identifier is invalid|model.+not (?:supported|available) in (?:this|the) region/i.test(message)) return "NOT_OFFERED_IN_REGION";
      return "INVALID_REQUEST";
    case "ThrottlingException":
      // Converse has no quota error: a spent daily token quota is a throttle that says so.
      return /tokens per day|quota/i.test(message) ? "QUOTA_EXCEEDED" : "THROTTLED";
    case "ServiceQuotaExceededException":
      return "QUOTA_EXCEEDED";
    case "ModelNotReadyException":
      return "MODEL_NOT_READY";
    case "ModelTimeoutException":
      return "MODEL_TIMEOUT";
    case "ModelErrorException":
    case "ModelStreamErrorException":
      return "MODEL_ERROR";
    case "ServiceUnavailableException":
    case "InternalServerException":
      return "SERVICE_UNAVAILABLE";
    case "AbortError":
      return "CANCELLED";
    case "TimeoutError":
      // The HTTP handler's socket timeout.
      return "NETWORK";
  }
  if (err.code && NETWORK_CODES.has(err.code)) return "NETWORK";
  const cause = err.cause as ErrorLike | undefined;
  if (cause?.code && NETWORK_CODES.has(cause.code)) return "NETWORK";
  if (/socket hang up|network|getaddrinfo/i.test(message)) return "NETWORK";
  const status = err.$metadata?.httpStatusCode;
  if (status === 429) return "THROTTLED";
  if (status !== undefined && status >= 500) return "SERVICE_UNAVAILABLE";
  if (status !== undefined && status >= 400) return "INVALID_REQUEST";
  return "UNKNOWN";
}

// Keep the service's words but never an endpoint URL or a key.
function sanitize(message: string): string {
  return message
    .replace(/https?:\/\/\S+/g, "<endpoint>")
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, "<access key>")
    .slice(0, 500);
}

export function classifyBedrockError(error: unknown, ctx: { modelId: string; region: string }): ClassifiedError {
  const err: ErrorLike = error instanceof Error || (typeof error === "object" && error !== null) ? (error as ErrorLike) : { message: String(error) };
  const category = categoryOf(err);
  const info = ERROR_CATEGORIES[category];
  return {
    category,
    retryable: info.retryable,
    message: info.advice(ctx),
    detail: sanitize(`${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message ?? ""}`.trim()),
    awsErrorName: err.name?.endsWith("Exception") ? err.name : undefined,
    httpStatus: err.$metadata?.httpStatusCode,
  };
}
