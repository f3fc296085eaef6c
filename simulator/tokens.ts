// The simulator's tokenizer: about four characters a token, like the real
// tokenizers on English text. Used for usage counts and maxTokens cut-offs, so
// inputTokens + outputTokens = totalTokens always holds.
export const CHARS_PER_TOKEN = 4;

export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

// The longest prefix of `text` that fits in `maxTokens` tokens.
export function truncateToTokens(text: string, maxTokens: number): string {
  return text.slice(0, Math.max(0, maxTokens) * CHARS_PER_TOKEN);
}

// Splits text into stream chunks of about `tokensPerChunk` tokens.
export function chunkText(text: string, tokensPerChunk = 3): string[] {
  const size = tokensPerChunk * CHARS_PER_TOKEN;
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}
