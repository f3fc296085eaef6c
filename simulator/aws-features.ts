// What Bedrock's Converse API accepts from each model, and how it refuses what
// it does not: the simulator's own table (it shares none with the product),
// written from AWS's documentation and from real refusals:
// - "Supported models and model features" (Bedrock User Guide): system
//   prompts and tool use per model;
// - the Runtime API reference: toolChoice.tool "only supported by Anthropic
//   Claude 3 and Amazon Nova models";
// - refusals seen from AWS (issue 26): the forced tool choice message of
//   Mistral, Llama 4, gpt-oss and Jamba; "`temperature` is deprecated for this
//   model" from the newest Anthropic models; "doesn't support the temperature
//   field" from gpt-oss-safeguard.
// And which models reason before they answer (reasoningContent blocks).

const matches = (patterns: RegExp[], id: string) => patterns.some((p) => p.test(id));

const NO_TOOL_USE = [
  /^amazon\.titan-(tg1|text)/,
  /^anthropic\.claude-(v2|instant)/,
  /^cohere\.command-(text|light)/,
  /^ai21\.(j2|jamba-instruct)/,
  /^meta\.llama(2|3-8b|3-70b|3-2-1b|3-2-3b)/,
  /^mistral\.(mistral-7b|mixtral)/,
  /^google\.gemma/,
  /^deepseek\.r1/,
];
const NO_SYSTEM_PROMPT = [/^amazon\.titan-(tg1|text)/, /^mistral\.(mistral-7b|mixtral)/, /^cohere\.command-(text|light)/, /^ai21\.j2/];
const FORCED_TOOL_CHOICE = [/^anthropic\.claude-(3|sonnet-4|opus-4|haiku-4)/, /^amazon\.nova-/];
const TEMPERATURE_DEPRECATED = [/^anthropic\.claude-(opus-4-7|sonnet-4-6)/];
const NO_TEMPERATURE_FIELD = [/^openai\.gpt-oss-safeguard/];
const REASONS_FIRST = [/^deepseek\.r1/, /^openai\.gpt-oss/, /^moonshot\.kimi-k2-thinking/];

export type ConverseRequestShape = {
  system?: unknown[];
  toolConfig?: { tools?: unknown[]; toolChoice?: { auto?: object; any?: object; tool?: { name: string } } };
  inferenceConfig?: { temperature?: number; topP?: number };
};

// The ValidationException message AWS answers a request with, or null.
export function refusal(modelId: string, input: ConverseRequestShape, operation: "Converse" | "ConverseStream"): string | null {
  const toolSpecs = (input.toolConfig?.tools ?? []).filter((t) => typeof t === "object" && t !== null && "toolSpec" in t);
  if (toolSpecs.length && matches(NO_TOOL_USE, modelId)) return operation === "ConverseStream" ? "This model doesn't support tool use in streaming mode." : "This model doesn't support tool use.";
  if (input.system?.length && matches(NO_SYSTEM_PROMPT, modelId)) return "This model doesn't support system messages.";
  const choice = input.toolConfig?.toolChoice;
  for (const forced of ["tool", "any"] as const) {
    if (choice?.[forced] && !matches(FORCED_TOOL_CHOICE, modelId)) return `This model doesn't support the toolConfig.toolChoice.${forced} field. Remove toolConfig.toolChoice.${forced} and try again.`;
  }
  if (input.inferenceConfig?.temperature !== undefined) {
    if (matches(TEMPERATURE_DEPRECATED, modelId)) return "The model returned the following errors: `temperature` is deprecated for this model.";
    if (matches(NO_TEMPERATURE_FIELD, modelId)) return "This model doesn't support the temperature field.";
  }
  return null;
}

export const reasonsFirst = (modelId: string) => matches(REASONS_FIRST, modelId);

// Provisioned Throughput variants AWS lists beside a base model
// (ListFoundationModels: inferenceTypesSupported ["PROVISIONED"] only), by
// base id: the context lengths it can be bought at.
const PROVISIONED_VARIANTS: [RegExp, string[]][] = [
  [/^anthropic\.claude-3-haiku-20240307-v1:0$/, ["48k", "200k"]],
  [/^anthropic\.claude-3-sonnet-20240229-v1:0$/, ["28k", "200k"]],
  [/^amazon\.nova-(pro|lite)-v1:0$/, ["24k", "300k"]],
  [/^amazon\.nova-micro-v1:0$/, ["24k", "128k"]],
  [/^amazon\.titan-text-(lite|express)-v1$/, ["0:4k", "0:8k"]],
  [/^amazon\.titan-embed-text-v2:0$/, ["8k"]],
  [/^meta\.llama3-1-(8b|70b)-instruct-v1:0$/, ["128k"]],
];

export function provisionedVariants(modelId: string): string[] {
  const suffixes = PROVISIONED_VARIANTS.find(([p]) => p.test(modelId))?.[1] ?? [];
  return suffixes.map((s) => `${modelId}:${s}`);
}
