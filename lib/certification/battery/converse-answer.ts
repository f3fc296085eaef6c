// How the text battery reads what Converse and ConverseStream answer: the
// text (reasoning apart), whether the model reasoned, token counts that add
// up (cached input included), and a stream's events, timings and usage. The
// replay suite (tests/integration/aws-wire-replay.test.ts) feeds it AWS's
// recorded answers through the real SDK: this is the code it holds to them.
import type { ContentBlock, ConverseOutput, ConverseStreamOutput, TokenUsage } from "@aws-sdk/client-bedrock-runtime";

type Answer = { output?: ConverseOutput };

const blocksOf = (answer: Answer): ContentBlock[] => answer.output?.message?.content ?? [];

// The answer's text: its text blocks only (reasoning blocks come before it).
export const textOf = (answer: Answer): string =>
  blocksOf(answer)
    .map((c) => c.text ?? "")
    .join("");

export const hasReasoning = (answer: Answer): boolean => blocksOf(answer).some((c) => c.reasoningContent !== undefined);

// totalTokens counts the cached input too (read and written): AWS's
// cache_usage_includes_cache_tokens exchange has 13 + 5 + 1,504 read = 1,522.
export function usageAddsUp(u: TokenUsage): boolean {
  const input = (u.inputTokens ?? 0) + (u.cacheReadInputTokens ?? 0) + (u.cacheWriteInputTokens ?? 0);
  return u.totalTokens === input + (u.outputTokens ?? 0);
}

export type StreamStats = {
  // The events' types, in order.
  order: string[];
  // The text deltas, joined (reasoning apart).
  text: string;
  // The model reasoned (reasoningContent deltas), and how many deltas.
  reasoning: boolean;
  toolUses: { name: string; input: string }[];
  usage?: TokenUsage;
  serverLatencyMs?: number;
  stopReason?: string;
  // From the request to the first content delta of any kind (reasoning,
  // text, tool input): what a user waits for the model to start.
  ttftMs: number | null;
  // From the request to the first non-empty text delta.
  timeToFirstTextMs: number | null;
  totalMs: number;
  // The span of every content delta (reasoning included): tokens/s is output
  // tokens (which count reasoning) over this span.
  firstToLastDeltaMs: number;
  longestGapMs: number;
};

const eventType = (event: ConverseStreamOutput) => Object.keys(event).find((k) => (event as unknown as Record<string, unknown>)[k] !== undefined) ?? "unknown";

export async function readStream(events: AsyncIterable<ConverseStreamOutput> | Iterable<ConverseStreamOutput>, startedAt: number, now: () => number = () => performance.now()): Promise<StreamStats> {
  const stats: StreamStats = { order: [], text: "", reasoning: false, toolUses: [], ttftMs: null, timeToFirstTextMs: null, totalMs: 0, firstToLastDeltaMs: 0, longestGapMs: 0 };
  let firstDelta = 0;
  let lastDelta = 0;
  const tools = new Map<number, { name: string; input: string }>();
  for await (const event of events) {
    stats.order.push(eventType(event));
    const start = event.contentBlockStart;
    if (start?.start?.toolUse) tools.set(start.contentBlockIndex ?? 0, { name: start.start.toolUse.name ?? "", input: "" });
    const delta = event.contentBlockDelta?.delta;
    if (delta) {
      const at = now();
      if (stats.ttftMs === null) {
        stats.ttftMs = at - startedAt;
        firstDelta = at;
      }
      if (lastDelta) stats.longestGapMs = Math.max(stats.longestGapMs, at - lastDelta);
      lastDelta = at;
      if (delta.text !== undefined) {
        if (delta.text && stats.timeToFirstTextMs === null) stats.timeToFirstTextMs = at - startedAt;
        stats.text += delta.text;
      }
      if (delta.reasoningContent !== undefined) stats.reasoning = true;
      if (delta.toolUse?.input !== undefined) {
        const index = event.contentBlockDelta!.contentBlockIndex ?? 0;
        const tool = tools.get(index) ?? { name: "", input: "" };
        tool.input += delta.toolUse.input;
        tools.set(index, tool);
      }
    }
    if (event.messageStop) stats.stopReason = event.messageStop.stopReason;
    if (event.metadata) {
      stats.usage = event.metadata.usage;
      stats.serverLatencyMs = event.metadata.metrics?.latencyMs;
    }
  }
  stats.toolUses = [...tools.values()];
  stats.totalMs = now() - startedAt;
  stats.firstToLastDeltaMs = lastDelta - firstDelta;
  return stats;
}
