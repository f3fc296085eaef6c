// What AWS documents each text model can do through the Converse API, so the
// battery asks a model only what it can do: a feature AWS documents as
// unsupported is "not supported", never "broken". Client-safe, pure.
//
// Sources (read 2026-12-07):
// - Amazon Bedrock User Guide, "Supported models and model features"
//   (conversation-inference-supported-models-features): the System prompts,
//   Tool use and Streaming tool use columns;
// - the Bedrock Runtime API reference, ToolChoice.tool: "Only supported by
//   Anthropic Claude 3 and Amazon Nova models" (later Claude generations too).
// A model the table does not name is asked, and its answer read
// (lib/bedrock/rejected-field.ts): nothing is assumed either way.

export type ModelFeatures = {
  systemPrompt?: boolean;
  toolUse?: boolean;
  streamingToolUse?: boolean;
  // toolChoice {tool: {name}}; without it the battery names the tool in the
  // prompt and lets the model choose (toolChoice auto).
  forcedToolChoice?: boolean;
};

// First match wins: the more specific patterns come first.
const TABLE: [RegExp, ModelFeatures][] = [
  [/^ai21\.jamba-instruct/, { systemPrompt: true, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^ai21\.jamba-1-5/, { systemPrompt: true, toolUse: true, streamingToolUse: true, forcedToolChoice: false }],
  [/^ai21\.j2/, { systemPrompt: false, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^amazon\.nova-(premier|pro|lite|micro|2-)/, { systemPrompt: true, toolUse: true, streamingToolUse: true, forcedToolChoice: true }],
  [/^amazon\.titan-(tg1|text)/, { systemPrompt: false, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^anthropic\.claude-(v2|instant)/, { systemPrompt: true, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^anthropic\.claude-(3|sonnet-4|opus-4|haiku-4)/, { systemPrompt: true, toolUse: true, streamingToolUse: true, forcedToolChoice: true }],
  [/^cohere\.command-(text|light)/, { systemPrompt: false, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^cohere\.command-r/, { systemPrompt: true, toolUse: true, streamingToolUse: false, forcedToolChoice: false }],
  [/^deepseek\.r1/, { systemPrompt: true, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^meta\.llama3-2-(1b|3b)/, { systemPrompt: true, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^meta\.llama(2|3-8b|3-70b)/, { systemPrompt: true, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^meta\.llama(3-1|3-2|3-3|4)/, { systemPrompt: true, toolUse: true, streamingToolUse: false, forcedToolChoice: false }],
  [/^mistral\.(mistral-7b|mixtral)/, { systemPrompt: false, toolUse: false, streamingToolUse: false, forcedToolChoice: false }],
  [/^mistral\.(mistral-large|mistral-small|pixtral)/, { systemPrompt: true, toolUse: true, streamingToolUse: false, forcedToolChoice: false }],
];

// A profile id (us.anthropic…, global.…) names its model after the prefix.
const baseModelId = (id: string) => id.replace(/^(us|eu|apac|us-gov|ca|jp|au|global)\./, "");

export function documentedFeatures(bedrockModelId: string): ModelFeatures {
  const id = baseModelId(bedrockModelId);
  return TABLE.find(([pattern]) => pattern.test(id))?.[1] ?? {};
}

export const FEATURE_SOURCE = 'AWS documents no such feature for this model (Bedrock User Guide, "Supported models and model features")';
