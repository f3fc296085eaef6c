import { describe, expect, it } from "vitest";
import { BedrockCallAborted, BedrockCallTimeout } from "./clients";
import { classifyBedrockError } from "./classify-error";
import { ERROR_CATEGORIES, geoProfilePrefix } from "./error-categories";

const ctx = { modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0", region: "eu-west-3" };
const aws = (name: string, message = "", status?: number) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe("classifyBedrockError", () => {
  it.each([
    [aws("AccessDeniedException", "You don't have access to the model with the specified model ID.", 403), "ACCESS_DENIED", false],
    [aws("AccessDeniedException", "This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days.", 403), "MODEL_END_OF_LIFE", false],
    [aws("ResourceNotFoundException", "This model version has reached the end of its life.", 404), "MODEL_END_OF_LIFE", false],
    [
      aws("ValidationException", "Invocation of model ID x with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", 400),
      "INFERENCE_PROFILE_REQUIRED",
      false,
    ],
    [aws("ValidationException", "The provided model identifier is invalid.", 400), "NOT_OFFERED_IN_REGION", false],
    [aws("ValidationException", "Malformed input request", 400), "INVALID_REQUEST", false],
    [aws("ThrottlingException", "Too many requests", 429), "THROTTLED", true],
    [aws("ServiceQuotaExceededException", "", 400), "QUOTA_EXCEEDED", true],
    [aws("ThrottlingException", "Too many tokens per day, please wait before trying again.", 429), "QUOTA_EXCEEDED", true],
    [aws("ModelNotReadyException", "", 429), "MODEL_NOT_READY", true],
    [aws("ModelTimeoutException", "", 408), "MODEL_TIMEOUT", true],
    [aws("ModelErrorException", "", 424), "MODEL_ERROR", false],
    [aws("ModelStreamErrorException", "", 424), "MODEL_ERROR", false],
    [aws("ServiceUnavailableException", "", 503), "SERVICE_UNAVAILABLE", true],
    [aws("InternalServerException", "", 500), "SERVICE_UNAVAILABLE", true],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), "NETWORK", true],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "NETWORK", true],
    [Object.assign(new Error("Request timed out"), { name: "TimeoutError" }), "NETWORK", true],
    [new BedrockCallTimeout(1000), "TIMEOUT", true],
    [new BedrockCallAborted(), "CANCELLED", false],
    [Object.assign(new Error("The operation was aborted"), { name: "AbortError" }), "CANCELLED", false],
    [aws("SomethingNewException", "", 502), "SERVICE_UNAVAILABLE", true],
    [aws("SomethingNewException", "", 418), "INVALID_REQUEST", false],
    [new Error("boom"), "UNKNOWN", false],
    ["a string", "UNKNOWN", false],
  ])("%s -> %s", (error, category, retryable) => {
    const c = classifyBedrockError(error, ctx);
    expect(c.category).toBe(category);
    expect(c.retryable).toBe(retryable);
    expect(c.retryable).toBe(ERROR_CATEGORIES[c.category].retryable);
  });

  it("tells the admin which profile to use, for the Region's geography", () => {
    const c = classifyBedrockError(aws("ValidationException", "with on-demand throughput isn't supported"), ctx);
    expect(c.message).toContain("`eu.anthropic.claude-sonnet-4-5-20250929-v1:0`");
    expect(classifyBedrockError(aws("ValidationException", "with on-demand throughput isn't supported"), { ...ctx, region: "af-south-1" }).message).toContain("`global.");
  });

  it("keeps the service's words but not endpoints or keys", () => {
    const c = classifyBedrockError(aws("AccessDeniedException", "User AKIAABCDEFGHIJKLMNOP denied at https://bedrock-runtime.eu-west-3.amazonaws.com/model/x"), ctx);
    expect(c.detail).toBe("AccessDeniedException: User <access key> denied at <endpoint>");
    expect(c.awsErrorName).toBe("AccessDeniedException");
  });

  it("every category has advice that names what to do", () => {
    for (const [name, info] of Object.entries(ERROR_CATEGORIES)) {
      expect(info.advice(ctx).length, name).toBeGreaterThan(30);
    }
  });
});

describe("geoProfilePrefix", () => {
  it.each([
    ["us-east-1", "us"],
    ["ca-central-1", "us"],
    ["eu-central-2", "eu"],
    ["ap-southeast-2", "apac"],
    ["us-gov-west-1", "us-gov"],
    ["af-south-1", null],
  ])("%s -> %s", (region, prefix) => expect(geoProfilePrefix(region)).toBe(prefix));
});
