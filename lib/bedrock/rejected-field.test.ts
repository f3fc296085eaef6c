import { describe, expect, it } from "vitest";
import { rejectionOf } from "./rejected-field";

// One case per message Bedrock was seen or documented to send (issue 26; the
// recorded exchanges and public fixtures), and messages that must not match.
describe("rejectionOf", () => {
  const parameters: [string, string, string][] = [
    ["This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.", "toolChoice", "toolConfig.toolChoice.tool"],
    ["This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.", "toolChoice", "toolConfig.toolChoice.any"],
    ["Remove toolConfig.toolChoice and try again.", "toolChoice", "toolConfig.toolChoice"],
    ["The model returned the following errors: `temperature` is deprecated for this model.", "sampling", "temperature"],
    ["This model doesn't support the temperature field.", "sampling", "temperature"],
    ["This model doesn't support the inferenceConfig.temperature field. Remove inferenceConfig.temperature and try again.", "sampling", "inferenceConfig.temperature"],
    ["This model doesn't support the topP field.", "sampling", "topP"],
    ["The model returned the following errors: temperature and top_p cannot both be specified for this model. Please use only one.", "sampling", "temperature"],
    ["The model returned the following errors: tool_choice is not supported for this model", "toolChoice", "toolConfig.toolChoice"],
  ];
  it.each(parameters)("%s → the %s parameter", (message, parameter, field) => {
    expect(rejectionOf(message)).toEqual({ kind: "parameter", parameter, field });
  });

  const capabilities: [string, string][] = [
    ["This model doesn't support tool use.", "tool_use"],
    ["This model doesn't support tool use in streaming mode.", "streaming_tool_use"],
    ["This model doesn't support system messages.", "system_prompt"],
    ["The model is unsupported for streaming.", "streaming"],
    ["This model doesn't support streaming.", "streaming"],
    ["This action doesn't support the model that you provided. Try again with a supported text or chat model.", "converse"],
  ];
  it.each(capabilities)("%s → no %s", (message, capability) => {
    expect(rejectionOf(message)).toEqual({ kind: "capability", capability });
  });

  it.each([
    "The provided model identifier is invalid.",
    "Invocation of model ID anthropic.claude-3-haiku with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    "A conversation must alternate between user and assistant roles.",
    "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    "",
  ])("%s → nothing to adapt", (message) => {
    expect(rejectionOf(message)).toBeNull();
  });
});
