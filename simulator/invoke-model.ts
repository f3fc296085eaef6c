// InvokeModel bodies in each provider's native format: embeddings (Titan,
// Cohere, Nova), images (Titan/Nova Canvas, Stability) and plain text completion.
// Vectors and images are derived from the input, so the same input gives the
// same output and different inputs differ.
import { randomUUID } from "node:crypto";
import type { SimModel } from "./catalog";
import { reply, type Distortion } from "./model-brain";
import { encodePng } from "./png";
import { hash32, mulberry32 } from "./random";
import { countTokens } from "./tokens";

export type InvokeOutcome = { ok: true; body: unknown } | { ok: false; status: number; errorType: string; message: string };

const invalid = (message: string): InvokeOutcome => ({ ok: false, status: 400, errorType: "ValidationException", message });

// A model AWS documents no dimension for answers with this one here; the
// certification does not know it (it reports such a dimension as unverified).
const UNDOCUMENTED_DIMENSION = 768;

// The simulator's own table of embedding dimensions, from AWS's model pages
// (Titan Text Embeddings v1/v2, Titan Multimodal, Nova 2 Multimodal, Cohere
// Embed v3/v4): the default, and the ones a request may ask for. It shares
// nothing with the product's table, so the certification's dimension check
// is not checked against itself.
const DIMENSIONS: [RegExp, number, number[]?][] = [
  [/^amazon\.titan-embed-text-v2/, 1024, [256, 512, 1024]],
  [/^amazon\.titan-embed-image-v1/, 1024, [256, 384, 1024]],
  [/^amazon\.titan-embed-(text-v1|g1)/, 1536],
  [/^amazon\.nova-2-multimodal-embeddings/, 3072, [256, 384, 1024, 3072]],
  [/^cohere\.embed-v4/, 1536, [256, 512, 1024, 1536]],
  [/^cohere\.embed-(english|multilingual)-v3/, 1024],
];

export function embeddingDimension(modelId: string, requested?: number): number | string {
  const [, fallback, allowed] = DIMENSIONS.find(([p]) => p.test(modelId)) ?? [null, UNDOCUMENTED_DIMENSION];
  if (requested === undefined) return fallback;
  if (allowed && !allowed.includes(requested)) return `dimensions must be one of ${allowed.join(", ")}`;
  return requested;
}

// A bag of words, each word its own pseudo-random direction, plus a little of
// the whole text's: the same text gives the same vector, texts that share
// words are closer than texts that do not (as a real embedding model's are).
export function embedText(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  const add = (seed: string, weight: number) => {
    const next = mulberry32(hash32(seed));
    for (let i = 0; i < dimension; i++) v[i]! += weight * (next() * 2 - 1);
  };
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) add(word.replace(/s$/, ""), 1);
  add(text, 0.5);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Math.round((x / norm) * 1e7) / 1e7);
}

function imageFor(prompt: string, width: number, height: number): string {
  const h = hash32(prompt);
  const [r0, g0, b0] = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff];
  return encodePng(width, height, (x, y) => [(r0 + x) & 0xff, (g0 + y) & 0xff, (b0 + ((x * y) >>> 6)) & 0xff]).toString("base64");
}

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function invokeEmbedding(model: SimModel, body: Body, distortion: Distortion): InvokeOutcome {
  const id = model.bedrockModelId;
  // Wrong answers: a vector one element short (garbled), an empty one, a
  // constant one, or a different one for the same text.
  const embed = (text: string, dimension: number): number[] => {
    if (distortion === "no_output") return [];
    if (distortion === "constant_vector") return new Array<number>(dimension).fill(0.5);
    if (distortion === "random_vector") return embedText(`${text}#${randomUUID()}`, dimension);
    return embedText(text, distortion === "wrong_answer" ? Math.max(1, dimension - 1) : dimension);
  };
  if (Array.isArray(body.texts)) {
    if (body.texts.length === 0 || body.texts.some((t: unknown) => typeof t !== "string")) return invalid("texts must be a non-empty list of strings");
    const dim = embeddingDimension(id, body.output_dimension);
    if (typeof dim === "string") return invalid(dim);
    const vectors = body.texts.map((t: string) => embed(t, dim));
    // Cohere Embed v4 answers by type ({float: [[…]]}), v3 a plain list (as AWS does).
    if (/^cohere\.embed-v4/.test(id)) return { ok: true, body: { id: randomUUID(), response_type: "embeddings_by_type", texts: body.texts, embeddings: { float: vectors } } };
    return { ok: true, body: { id: randomUUID(), response_type: "embeddings_floats", texts: body.texts, embeddings: vectors } };
  }
  if (body.singleEmbeddingParams) {
    const p = body.singleEmbeddingParams;
    const text = p.text?.value;
    if (typeof text !== "string") return invalid("singleEmbeddingParams.text.value is required");
    const dim = embeddingDimension(id, p.embeddingDimension);
    if (typeof dim === "string") return invalid(dim);
    return { ok: true, body: { embeddings: [{ embeddingType: "TEXT", embedding: embed(text, dim) }] } };
  }
  const text = body.inputText ?? body.inputImage;
  if (typeof text !== "string" || text.length === 0) return invalid("Malformed input request: inputText is required");
  const dim = embeddingDimension(id, body.dimensions ?? body.embeddingConfig?.outputEmbeddingLength);
  if (typeof dim === "string") return invalid(dim);
  const vector = embed(text, dim);
  // Titan Text Embeddings v2 also answers by type, as AWS does.
  if (/^amazon\.titan-embed-text-v2/.test(id)) return { ok: true, body: { embedding: vector, embeddingsByType: { float: vector }, inputTextTokenCount: countTokens(text) } };
  return { ok: true, body: { embedding: vector, inputTextTokenCount: countTokens(text) } };
}

function invokeImage(body: Body, distortion: Distortion): InvokeOutcome {
  const prompt: unknown = body.textToImageParams?.text ?? body.prompt ?? body.text_prompts?.[0]?.text;
  if (typeof prompt !== "string" || prompt.length === 0) return invalid("Malformed input request: a text prompt is required");
  const config = body.imageGenerationConfig ?? {};
  const width = Math.min(Number(config.width ?? body.width ?? 512), 1024);
  const height = Math.min(Number(config.height ?? body.height ?? 512), 1024);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) return invalid("width and height must be integers from 16 to 1024");
  const count = Math.min(Number(config.numberOfImages ?? 1), 5);
  const images = distortion === "no_output" ? [] : Array.from({ length: count }, (_, i) => (distortion === "wrong_answer" ? "bm90IGFuIGltYWdl" : imageFor(`${prompt}#${i}`, width, height)));
  if (Array.isArray(body.text_prompts)) return { ok: true, body: { result: "success", artifacts: images.map((b) => ({ base64: b, finishReason: "SUCCESS", seed: 0 })) } };
  return { ok: true, body: { images, error: null } };
}

// Rerank (Cohere Rerank 3.5, Amazon Rerank 1.0): documents scored by how many
// of the query's words they share, best first. A wrong answer reverses the
// order; no_output answers no results.
const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
function invokeRerank(body: Body, distortion: Distortion): InvokeOutcome {
  if (typeof body.query !== "string" || body.query.length === 0) return invalid("Malformed input request: query is required");
  if (!Array.isArray(body.documents) || body.documents.length === 0 || body.documents.length > 1000) return invalid("Malformed input request: documents must list 1 to 1000 documents");
  const texts: string[] = body.documents.map((d: unknown) => (typeof d === "string" ? d : JSON.stringify(d)));
  const query = words(body.query);
  const scored = texts.map((t, index) => {
    const shared = [...words(t)].filter((w) => query.has(w)).length;
    return { index, relevance_score: Math.round((shared / Math.max(1, query.size)) * 1e4) / 1e4 };
  });
  scored.sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  if (distortion === "wrong_answer") scored.reverse();
  const topN = Number.isInteger(body.top_n) && body.top_n > 0 ? body.top_n : scored.length;
  return { ok: true, body: { id: randomUUID(), results: distortion === "no_output" ? [] : scored.slice(0, topN) } };
}

function invokeText(model: SimModel, body: Body, distortion: Distortion): InvokeOutcome {
  const prompt: unknown = body.inputText ?? body.prompt ?? body.messages?.at?.(-1)?.content;
  const text = typeof prompt === "string" ? prompt : Array.isArray(prompt) ? prompt.map((p: { text?: string }) => p.text ?? "").join("\n") : null;
  if (text === null) return invalid("Malformed input request: no prompt found");
  const maxTokens = body.max_tokens ?? body.max_gen_len ?? body.textGenerationConfig?.maxTokenCount;
  const out = reply(
    { messages: [{ role: "user", content: [{ text }] }], system: body.system ? [{ text: String(body.system) }] : [], inferenceConfig: { maxTokens } },
    { modelName: model.name, distortion, toolUseId: "unused" },
  );
  const answer = (out.content[0] as { text: string }).text;
  if (body.messages) {
    return {
      ok: true,
      body: {
        id: `msg_${randomUUID()}`,
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: answer }],
        stop_reason: out.stopReason,
        usage: { input_tokens: out.usage.inputTokens, output_tokens: out.usage.outputTokens },
      },
    };
  }
  if (body.inputText) {
    return {
      ok: true,
      body: {
        inputTextTokenCount: out.usage.inputTokens,
        results: [{ tokenCount: out.usage.outputTokens, outputText: answer, completionReason: out.stopReason === "max_tokens" ? "LENGTH" : "FINISH" }],
      },
    };
  }
  return {
    ok: true,
    body: { generation: answer, prompt_token_count: out.usage.inputTokens, generation_token_count: out.usage.outputTokens, stop_reason: out.stopReason === "max_tokens" ? "length" : "stop" },
  };
}

export function invokeModel(model: SimModel, rawBody: string, distortion: Distortion): InvokeOutcome {
  let body: Body;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return invalid("Malformed input request: the body is not valid JSON");
  }
  if (typeof body !== "object" || body === null) return invalid("Malformed input request: the body must be a JSON object");
  switch (model.kind) {
    case "embedding":
      return invokeEmbedding(model, body, distortion);
    case "image":
      return invokeImage(body, distortion);
    case "text":
      return invokeText(model, body, distortion);
    case "rerank":
      return invokeRerank(body, distortion);
    default:
      return invalid(`This model (${model.bedrockModelId}) is not supported by InvokeModel; use the API for its modality (asynchronous or bidirectional streaming invocation).`);
  }
}
