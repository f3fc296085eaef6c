// The simulated "model": deterministic answers that a capable chat model would
// give to the kinds of prompts a certification battery sends. It follows exact
// instructions, does arithmetic, answers JSON to a requested shape, calls a tool
// when the tool choice forces it, honours system-prompt rules, remembers earlier
// turns and stops at maxTokens. It is not an LLM: anything else gets a short,
// polite generic answer.
import { countTokens, truncateToTokens } from "./tokens";

export type ContentBlock =
  | { text: string }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: ({ text: string } | { json: unknown })[]; status?: string } }
  | Record<string, unknown>;

export type Message = { role: "user" | "assistant"; content: ContentBlock[] };

// A tools entry: a tool's spec, or a cache point (AWS's other member of Tool).
export type ToolSpec = { toolSpec: { name: string; description?: string; inputSchema: { json: JsonSchema } } } | { cachePoint: { type: string } };
type NamedTool = Extract<ToolSpec, { toolSpec: unknown }>;
export type ToolChoice = { auto?: object; any?: object; tool?: { name: string } };

export type ConverseInput = {
  messages: Message[];
  system?: { text?: string }[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: ToolSpec[]; toolChoice?: ToolChoice };
};

export type ModelReply = {
  content: ({ text: string } | { toolUse: { toolUseId: string; name: string; input: Record<string, unknown> } } | { reasoningContent: { reasoningText: { text: string } } })[];
  stopReason: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  usage: { inputTokens: number; outputTokens: number; totalTokens: number } & Partial<
    Record<"cacheReadInputTokens" | "cacheReadInputTokenCount" | "cacheWriteInputTokens" | "cacheWriteInputTokenCount", number>
  >;
};

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
};

export type Distortion = "wrong_answer" | "malformed_json" | "bad_usage" | "no_output" | "constant_vector" | "random_vector" | null;

const textOf = (blocks: ContentBlock[]) =>
  blocks
    .map((b) => ("text" in b && typeof b.text === "string" ? b.text : ""))
    .filter(Boolean)
    .join("\n");

export function inputTokenCount(input: ConverseInput): number {
  const parts = [...(input.system ?? []).map((s) => s.text ?? ""), ...input.messages.map((m) => JSON.stringify(m.content)), input.toolConfig ? JSON.stringify(input.toolConfig.tools) : ""];
  return countTokens(parts.join("\n"));
}

// ─── Values that fit a JSON schema ────────────────────────────────────────────

// A case-insensitive pattern for `word` that leaves the rest of the regex
// case-sensitive (the "i" flag would make \p{Lu} match lower case too).
const anyCase = (word: string) => word.replace(/\p{L}/gu, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);

function exampleFor(schema: JsonSchema, key: string, context: string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return instanceOf(schema, context);
    case "array": {
      const n = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: n }, (_, i) => exampleFor(schema.items ?? { type: "string" }, `${key}${i}`, context));
    }
    case "integer":
    case "number": {
      const mentioned = new RegExp(`\\b${key}\\b\\D{0,20}?(-?\\d+(?:\\.\\d+)?)`, "i").exec(context);
      const value = mentioned ? Number(mentioned[1]) : (schema.minimum ?? 0) + 1;
      return type === "integer" ? Math.round(value) : value;
    }
    case "boolean":
      // "it is not a capital" → false; "it is a capital" → true.
      return !new RegExp(`\\b(?:not|isn't|is not)\\s+(?:a|an|the)?\\s*${anyCase(key)}`, "u").test(context);
    default: {
      // A string: a value named in the prompt ("city is Paris", city: "Paris"), else a sensible word.
      // The value: quoted, a run of capitalised words ("New York"), or one word.
      const value = `(?:"([^"]+)"|'([^']+)'|(\\p{Lu}[\\p{L}\\p{N}-]*(?:\\s+\\p{Lu}[\\p{L}\\p{N}-]*)*)|([\\p{L}\\p{N}-]+))`;
      const mentioned = new RegExp(`\\b${anyCase(key)}\\b\\s*(?:is|=|:)\\s*${value}`, "u").exec(context) ?? new RegExp(`\\b(?:in|for)\\s+(\\p{Lu}[\\p{L}-]+)`, "u").exec(context);
      const found = mentioned?.slice(1).find((g) => g !== undefined);
      return found ? found.trim() : key === "name" ? "Ada" : `example ${key}`;
    }
  }
}

export function instanceOf(schema: JsonSchema, context = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) out[key] = exampleFor(prop, key, context);
  return out;
}

// The first balanced {...} in `text` that parses as JSON.
function firstJsonObject(text: string): Record<string, unknown> | null {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) {
        try {
          const value = JSON.parse(text.slice(start, i + 1));
          if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
        } catch {
          // not JSON: keep looking
        }
        break;
      }
    }
  }
  return null;
}

// ─── Answers ──────────────────────────────────────────────────────────────────

function arithmetic(prompt: string): string | null {
  const m = /(-?\d+(?:\.\d+)?)\s*(\+|-|\*|x|×|\/|plus|minus|times|divided by)\s*(-?\d+(?:\.\d+)?)/i.exec(prompt);
  if (!m || !/what is|calculate|compute|how much|=\s*\?/i.test(prompt)) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const op = m[2]!.toLowerCase();
  const value = op === "+" || op === "plus" ? a + b : op === "-" || op === "minus" ? a - b : op === "/" || op === "divided by" ? a / b : a * b;
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

function exactInstruction(prompt: string): string | null {
  const patterns = [
    /(?:reply|respond|answer)\s+with\s+exactly(?:\s+the\s+(?:text|words?|phrase))?\s*:?\s*["“']([^"”']+)["”']/i,
    /(?:reply|respond|answer)\s+with\s+exactly(?:\s+the\s+(?:text|words?|phrase))?\s*:\s*(.+?)\s*$/im,
    /(?:reply|respond|answer)\s+with\s+only\s+the\s+word\s+["“']?([\p{L}\p{N}_-]+)["”']?/iu,
    /repeat\s+(?:after\s+me|exactly)\s*:\s*["“']?(.+?)["”']?\s*$/im,
  ];
  for (const p of patterns) {
    const m = p.exec(prompt);
    if (m) return m[1]!;
  }
  return null;
}

function rememberedFact(messages: Message[], prompt: string): string | null {
  const question = /what(?:'s| is| was)\s+my\s+([\p{L}' ]+?)\s*\?/iu.exec(prompt);
  if (!question) return null;
  const subject = question[1]!.trim().toLowerCase();
  for (const m of messages.slice(0, -1)) {
    if (m.role !== "user") continue;
    const fact = new RegExp(`my\\s+${subject.replace(/\s+/g, "\\s+")}\\s+is\\s+["']?([\\p{L}\\p{N} -]+?)["']?(?:[.,!;\\n]|$)`, "iu").exec(textOf(m.content));
    if (fact) return fact[1]!.trim();
  }
  return "I don't know; you haven't told me.";
}

function counting(prompt: string): string | null {
  const m = /count\s+from\s+(\d+)\s+to\s+(\d+)/i.exec(prompt);
  if (!m) return null;
  const from = Number(m[1]);
  const to = Math.min(Number(m[2]), from + 5000);
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).join(", ");
}

function jsonAnswer(prompt: string): string | null {
  if (!/\bjson\b/i.test(prompt)) return null;
  const schema = firstJsonObject(prompt);
  if (schema && (schema.properties || schema.type === "object")) return JSON.stringify(instanceOf(schema as JsonSchema, prompt));
  const keys = /keys?\s+((?:["'`]?\w+["'`]?(?:,\s*|\s+and\s+)?)+)/i.exec(prompt);
  if (keys) {
    const names = keys[1]!.match(/\w+/g)!.filter((w) => w !== "and");
    return JSON.stringify(Object.fromEntries(names.map((n) => [n, exampleFor({ type: "string" }, n, prompt)])));
  }
  return schema ? JSON.stringify(schema) : JSON.stringify({ answer: "ok" });
}

// Rules a system prompt can set, applied to every text answer.
function applySystemRules(text: string, system: string): string {
  let out = text;
  if (/\b(?:uppercase|upper case|capital letters|all caps)\b/i.test(system)) out = out.toUpperCase();
  if (/\b(?:lowercase|lower case)\b/i.test(system)) out = out.toLowerCase();
  const prefix = /(?:start|begin)\s+(?:every|each|all|your)\s+(?:reply|replies|response|responses|answer|answers)\s+with\s+["“']([^"”']+)["”']/i.exec(system);
  if (prefix && !out.startsWith(prefix[1]!)) out = `${prefix[1]} ${out}`;
  const suffix = /(?:end|finish)\s+(?:every|each|all|your)\s+(?:reply|replies|response|responses|answer|answers)\s+with\s+["“']([^"”']+)["”']/i.exec(system);
  if (suffix && !out.endsWith(suffix[1]!)) out = `${out} ${suffix[1]}`;
  return out;
}

function wrongVersionOf(text: string): string {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return String(Number(text) + 7);
  if (text.trim().startsWith("{")) return JSON.stringify({ unexpected: true });
  return text.length > 0 ? `${text.split("").reverse().join("")}?` : "nope";
}

export function reply(input: ConverseInput, opts: { modelName: string; distortion: Distortion; toolUseId: string }): ModelReply {
  const system = (input.system ?? []).map((s) => s.text ?? "").join("\n");
  const last = input.messages[input.messages.length - 1];
  const prompt = last ? textOf(last.content) : "";
  const inputTokens = inputTokenCount(input);
  const maxTokens = input.inferenceConfig?.maxTokens ?? 4096;

  // A tool call when the configuration forces one (any / a named tool), or when
  // the prompt asks for a tool by name under "auto".
  const tools = (input.toolConfig?.tools ?? []).filter((t): t is NamedTool => "toolSpec" in t && typeof t.toolSpec?.name === "string");
  const choice = input.toolConfig?.toolChoice;
  const answeredToolResult = last?.content.some((b) => "toolResult" in b);
  if (tools.length > 0 && !answeredToolResult) {
    const named = choice?.tool?.name;
    const asked = tools.find((t) => prompt.toLowerCase().includes(t.toolSpec.name.toLowerCase()));
    // "Use the tool" with one tool on offer is as good as naming it.
    const told = !asked && tools.length === 1 && /\buse (?:the|a|your) tools?\b/i.test(prompt) ? tools[0] : undefined;
    const tool = named ? tools.find((t) => t.toolSpec.name === named) : choice?.any ? tools[0] : (asked ?? told);
    if (tool) {
      const toolInput = instanceOf(tool.toolSpec.inputSchema.json, prompt);
      if (opts.distortion === "wrong_answer") delete toolInput[Object.keys(toolInput)[0] ?? ""];
      const outputTokens = countTokens(JSON.stringify(toolInput)) + countTokens(tool.toolSpec.name);
      return {
        content: [{ toolUse: { toolUseId: opts.toolUseId, name: tool.toolSpec.name, input: toolInput } }],
        stopReason: "tool_use",
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      };
    }
  }

  let text: string;
  if (answeredToolResult) {
    const result = last!.content.find((b) => "toolResult" in b) as { toolResult: { content: { text?: string; json?: unknown }[] } };
    const value = result.toolResult.content.map((c) => c.text ?? JSON.stringify(c.json)).join(" ");
    text = `The tool returned: ${value}`;
  } else {
    text =
      exactInstruction(prompt) ??
      arithmetic(prompt) ??
      jsonAnswer(prompt) ??
      rememberedFact(input.messages, prompt) ??
      counting(prompt) ??
      (/^\s*(hi|hello|hey)\b/i.test(prompt) ? "Hello! How can I help you today?" : `This is ${opts.modelName}. I read your message and I am ready to help.`);
  }

  if (opts.distortion === "wrong_answer") text = wrongVersionOf(text);
  if (opts.distortion === "no_output") text = "";
  if (opts.distortion === "malformed_json" && text.trim().startsWith("{")) text = text.slice(0, Math.max(1, text.length - 2)) + ",";
  text = applySystemRules(text, system);

  let stopReason: ModelReply["stopReason"] = "end_turn";
  for (const stop of input.inferenceConfig?.stopSequences ?? []) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0) {
      text = text.slice(0, at);
      stopReason = "stop_sequence";
    }
  }
  if (countTokens(text) > maxTokens) {
    text = truncateToTokens(text, maxTokens);
    stopReason = "max_tokens";
  }
  const outputTokens = countTokens(text);
  // bad_usage: token counts that do not add up.
  return { content: [{ text }], stopReason, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens + (opts.distortion === "bad_usage" ? 7 : 0) } };
}
