// Output dimensions of Bedrock's embedding models, as AWS documents them: the
// default (what a request without a dimension gets) and the ones a request
// may ask for. The certification checks these; a model missing here is not
// given a guess: its dimension test says "unverified" (the simulator, which
// must answer something, picks its own default for such a model).
const EMBEDDING_DIMENSIONS: { pattern: RegExp; default: number; allowed?: number[] }[] = [
  { pattern: /^amazon\.titan-embed-text-v2/, default: 1024, allowed: [256, 512, 1024] },
  { pattern: /^amazon\.titan-embed-image-v1/, default: 1024, allowed: [256, 384, 1024] },
  { pattern: /^amazon\.titan-embed/, default: 1536 },
  { pattern: /^amazon\.nova-2-multimodal-embeddings/, default: 3072, allowed: [256, 384, 1024, 3072] },
  { pattern: /^cohere\.embed-v4/, default: 1536, allowed: [256, 512, 1024, 1536] },
  { pattern: /^cohere\.embed/, default: 1024 },
];

export function embeddingDimensionSpec(modelId: string): { default: number; allowed?: number[] } | null {
  return EMBEDDING_DIMENSIONS.find((d) => d.pattern.test(modelId)) ?? null;
}
