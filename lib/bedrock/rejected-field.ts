// What Bedrock says when a model will not take part of a request: one rule for
// every "doesn't support … / is deprecated for this model / Remove … and try
// again" message in the recorded and documented set (rejected-field.test.ts
// holds one case per message). Client-safe, pure.
//
// Two kinds of answer, and the battery treats them apart:
// - an optional parameter the model refuses (a forced tool choice, a sampling
//   parameter): the test asks again without it and records that it did;
// - a capability the model does not have (tool use, system prompts,
//   streaming): the test is "not supported", never "broken".

export type RejectedParameter = "toolChoice" | "sampling";
export type MissingCapability = "tool_use" | "system_prompt" | "streaming" | "streaming_tool_use" | "converse";

export type Rejection = { kind: "parameter"; parameter: RejectedParameter; field: string } | { kind: "capability"; capability: MissingCapability };

// Field paths as Bedrock names them in its messages, to the parameter they belong to.
const PARAMETER_OF_FIELD: [RegExp, RejectedParameter][] = [
  [/^toolConfig\.toolChoice(\.|$)|^toolChoice(\.|$)|^tool_choice$/i, "toolChoice"],
  [/^(inferenceConfig\.)?(temperature|topP|top_p|top_k|topK)$/i, "sampling"],
];

const parameterOf = (field: string): RejectedParameter | null => PARAMETER_OF_FIELD.find(([p]) => p.test(field))?.[1] ?? null;

export function rejectionOf(message: string | null | undefined): Rejection | null {
  if (!message) return null;
  const m = message.replace(/\s+/g, " ");

  // "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again."
  // "This model doesn't support the temperature field."
  const field = /doesn.t support the ([\w.]+) (?:field|parameter)|Remove ([\w.]+) and try again/i.exec(m);
  if (field) {
    const name = (field[1] ?? field[2])!;
    const parameter = parameterOf(name);
    if (parameter) return { kind: "parameter", parameter, field: name };
  }
  // "The model returned the following errors: `temperature` is deprecated for this model."
  // "temperature and top_p cannot both be specified for this model. Please use only one."
  const deprecated = /`?(temperature|top_p|topP|top_k)`? (?:is deprecated|is not supported|cannot be (?:used|set))/i.exec(m) ?? /(temperature) and (?:top_p|topP) cannot both be specified/i.exec(m);
  if (deprecated) return { kind: "parameter", parameter: "sampling", field: deprecated[1]! };
  // "… tool_choice … is not supported" / "toolChoice is not supported for this model"
  if (/tool_?choice[^.]{0,40}(?:not supported|unsupported)|(?:not support|unsupported)[^.]{0,40}tool_?choice/i.test(m))
    return { kind: "parameter", parameter: "toolChoice", field: "toolConfig.toolChoice" };

  // Capabilities the model does not have.
  if (/doesn.t support tool use in streaming mode|streaming tool use is not supported/i.test(m)) return { kind: "capability", capability: "streaming_tool_use" };
  if (/doesn.t support tool use|tool use is not supported|does not support tools?\b/i.test(m)) return { kind: "capability", capability: "tool_use" };
  if (/doesn.t support system (?:messages|prompts?)|system (?:messages|prompts?) (?:is|are) not supported/i.test(m)) return { kind: "capability", capability: "system_prompt" };
  if (/unsupported for streaming|doesn.t support streaming|streaming is not supported/i.test(m)) return { kind: "capability", capability: "streaming" };
  if (/This action doesn.t support the model that you provided|doesn.t support (?:the )?Converse/i.test(m)) return { kind: "capability", capability: "converse" };
  return null;
}
