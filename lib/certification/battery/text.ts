import "server-only";
// The text-model battery, through the Converse and ConverseStream APIs. Each
// test has a deterministic check of what it asked for, with values fresh for
// every run (probes.ts): a nonce, an exact string, arithmetic, a JSON schema
// with given values, a forced tool call, a truncated count, the streamed text
// and the stream's event order, token arithmetic. Content tests are asked
// `samples` times.
import { ConverseCommand, ConverseStreamCommand, type ConverseCommandInput, type ConverseCommandOutput, type TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import { z } from "zod";
import { TEXT_TESTS } from "../config";
import { callBedrock } from "../bedrock-call";
import type { TestResult } from "../results";
import { clip, runBattery, runTest, sampled, Skip, timed, type Battery, type TestBody } from "./harness";
import { between, CITIES, COLOURS, countSequence, nonce, pickOne } from "./probes";

type ConverseInput = Omit<ConverseCommandInput, "modelId">;

const textOf = (r: ConverseCommandOutput) => r.output?.message?.content?.map((c) => c.text ?? "").join("") ?? "";
const user = (text: string) => ({ role: "user" as const, content: [{ text }] });
// Models often wrap an exact answer in quotes or end it with a full stop.
const normalise = (text: string) =>
  text
    .trim()
    .replace(/^["'`]+|["'`.]+$/g, "")
    .trim();

type StreamStats = {
  order: string[];
  text: string;
  usage?: TokenUsage;
  serverLatencyMs?: number;
  stopReason?: string;
  ttftMs: number | null;
  totalMs: number;
  firstToLastDeltaMs: number;
  longestGapMs: number;
};

// A counted sequence as a model writes it: trimmed, a final full stop dropped.
const asCount = (text: string) => text.trim().replace(/\.$/, "");

export async function runTextBattery(b: Battery): Promise<TestResult[]> {
  const usages: { source: string; usage: TokenUsage }[] = [];
  const latencies: number[] = [];
  let stream: StreamStats | null = null;

  const converse = async (input: ConverseInput) => {
    const { value, ms } = await timed(() =>
      callBedrock(b.call, (signal) =>
        b.bedrock.runtime(b.call.region).send(new ConverseCommand({ modelId: b.invokedId, inferenceConfig: { maxTokens: b.config.maxTokens, temperature: 0 }, ...input }), { abortSignal: signal }),
      ),
    );
    latencies.push(ms);
    if (value.usage) usages.push({ source: "Converse", usage: value.usage });
    return { response: value, ms };
  };

  const sample = (body: TestBody) => sampled(b.config.samples, body, b.spare);

  const tests: Record<(typeof TEXT_TESTS)[number], () => Promise<TestResult>> = {
    reachability: () =>
      runTest("reachability", async () => {
        // Any answer proves the model reachable; only the right one passes.
        const token = nonce("PING");
        const { response, ms } = await converse({ messages: [user(`Reply with exactly: "${token}"`)] });
        const text = textOf(response);
        const right = normalise(text).includes(token);
        return { passed: right, detail: right ? `Answered in ${Math.round(ms)} ms with the nonce "${token}"` : `Expected the nonce "${token}", got "${clip(text, 80)}"`, latencyMs: ms };
      }),

    exact_instruction: () =>
      runTest(
        "exact_instruction",
        sample(async () => {
          const token = nonce("CERT");
          const { response, ms } = await converse({ messages: [user(`Reply with exactly: "${token}". Do not add any other words.`)] });
          const got = normalise(textOf(response));
          return { passed: got === token, detail: `Expected "${token}", got "${clip(got)}"`, latencyMs: ms };
        }),
      ),

    system_prompt: () =>
      runTest(
        "system_prompt",
        sample(async () => {
          const [x, y] = [between(11, 99), between(11, 99)];
          const signOff = nonce("OVER");
          const { response, ms } = await converse({
            system: [{ text: `You are a certification probe. End every reply with "${signOff}".` }],
            messages: [user(`What is ${x} + ${y}? Answer with the number.`)],
          });
          const text = textOf(response).trim();
          const body = text.endsWith(signOff) ? text.slice(0, -signOff.length) : text;
          const passed = text.replace(/\W+$/, "").endsWith(signOff) && new RegExp(`(^|\\D)${x + y}(\\D|$)`).test(body);
          return { passed, detail: `Expected ${x + y} ending with "${signOff}", got "${clip(text)}"`, latencyMs: ms };
        }),
      ),

    two_turn: () =>
      runTest(
        "two_turn",
        sample(async () => {
          const colour = pickOne(COLOURS);
          const { response, ms } = await converse({
            messages: [
              user(`My favourite colour is ${colour}. Please remember it.`),
              { role: "assistant", content: [{ text: `I will remember that your favourite colour is ${colour}.` }] },
              user("What is my favourite colour? Answer with one word."),
            ],
          });
          const text = textOf(response);
          const others = COLOURS.filter((c) => c !== colour && text.toLowerCase().includes(c));
          return { passed: text.toLowerCase().includes(colour) && others.length === 0, detail: `Expected "${colour}" from the first turn, got "${clip(text)}"`, latencyMs: ms };
        }),
      ),

    json_output: () =>
      runTest(
        "json_output",
        sample(async () => {
          const schema = { type: "object", properties: { city: { type: "string" }, population: { type: "integer" }, capital: { type: "boolean" } }, required: ["city", "population", "capital"] };
          const { city, capital } = pickOne(CITIES);
          const population = between(100_000, 9_000_000);
          const { response, ms } = await converse({
            messages: [
              user(
                `Return only a JSON object, with no prose and no code fence, matching this JSON schema: ${JSON.stringify(schema)}. The city is ${city}, population ${population}, and it is ${capital ? "a capital" : "not a capital"}.`,
              ),
            ],
          });
          const raw = textOf(response)
            .trim()
            .replace(/^```(?:json)?\s*|\s*```$/g, "");
          let value: unknown;
          try {
            value = JSON.parse(raw);
          } catch {
            return { passed: false, detail: `Not valid JSON: "${clip(raw)}"`, latencyMs: ms };
          }
          const parsed = z.object({ city: z.string(), population: z.number().int(), capital: z.boolean() }).safeParse(value);
          if (!parsed.success) return { passed: false, detail: `JSON does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, latencyMs: ms };
          const right = parsed.data.city === city && parsed.data.population === population;
          return {
            passed: right,
            detail: right ? "Valid JSON matching the schema with the given values" : `Valid JSON with wrong values (expected ${city}, ${population}): ${clip(raw)}`,
            latencyMs: ms,
          };
        }),
      ),

    tool_use: () =>
      runTest(
        "tool_use",
        sample(async () => {
          const { city } = pickOne(CITIES);
          const { response, ms } = await converse({
            messages: [user(`What is the weather in ${city}, in celsius?`)],
            toolConfig: {
              tools: [
                {
                  toolSpec: {
                    name: "get_weather",
                    description: "Current weather for a city",
                    inputSchema: { json: { type: "object", properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } }, required: ["city", "unit"] } },
                  },
                },
              ],
              toolChoice: { tool: { name: "get_weather" } },
            },
          });
          const toolUse = response.output?.message?.content?.find((c) => c.toolUse)?.toolUse;
          const input = toolUse?.input as { city?: unknown; unit?: unknown } | undefined;
          const passed = response.stopReason === "tool_use" && toolUse?.name === "get_weather" && input?.city === city && (input?.unit === "celsius" || input?.unit === "fahrenheit");
          return {
            passed,
            detail: `Expected get_weather for ${city}: stopReason ${response.stopReason}, tool ${toolUse?.name ?? "none"}, input ${clip(JSON.stringify(input ?? null))}`,
            latencyMs: ms,
          };
        }),
      ),

    max_tokens: () =>
      runTest("max_tokens", async () => {
        // The truncated answer must be the start of the right one.
        const limit = 16;
        const from = between(100, 900);
        const { response, ms } = await converse({ messages: [user(`Count from ${from} to ${from + 500}, separated by commas.`)], inferenceConfig: { maxTokens: limit, temperature: 0 } });
        const out = response.usage?.outputTokens ?? Number.NaN;
        const text = textOf(response).trim();
        const prefix = text.length > 0 && countSequence(from, from + 500).startsWith(text);
        const passed = response.stopReason === "max_tokens" && out <= limit && prefix;
        return {
          passed,
          detail: `maxTokens ${limit}: stopReason ${response.stopReason}, ${out} output tokens, ${prefix ? `the count from ${from}, cut short` : `not the count from ${from}: "${clip(text, 60)}"`}`,
          latencyMs: ms,
        };
      }),

    streaming: () =>
      runTest("streaming", async () => {
        if (b.model.streaming === false) throw new Skip("The catalog says this model does not stream");
        const from = between(100, 900);
        stream = await converseStream(b, from);
        if (stream.usage) usages.push({ source: "ConverseStream", usage: stream.usage });
        const o = stream.order;
        const problems: string[] = [];
        if (o[0] !== "messageStart") problems.push("first event is not messageStart");
        if (!o.includes("contentBlockDelta")) problems.push("no contentBlockDelta");
        const stop = o.lastIndexOf("contentBlockStop");
        const messageStop = o.indexOf("messageStop");
        if (stop < 0 || messageStop < 0 || stop > messageStop) problems.push("contentBlockStop must come before messageStop");
        if (o.at(-1) !== "metadata") problems.push("last event is not metadata");
        if (!stream.usage || stream.serverLatencyMs === undefined) problems.push("metadata lacks usage or metrics.latencyMs");
        if (!stream.text) problems.push("no text streamed");
        else if (asCount(stream.text) !== countSequence(from, from + 29)) problems.push(`streamed text is not the count from ${from} to ${from + 29}: "${clip(stream.text, 60)}"`);
        if (stream.usage && !(stream.usage.outputTokens! > 0 && stream.usage.inputTokens! + stream.usage.outputTokens! === stream.usage.totalTokens))
          problems.push(`usage does not add up: ${JSON.stringify(stream.usage)}`);
        if (stream.stopReason !== "end_turn") problems.push(`stopReason ${stream.stopReason ?? "missing"}, expected end_turn`);
        // A stream that stops mid-way for longer than a first token may take is stalled.
        if (stream.longestGapMs > b.config.thresholds.maxTimeToFirstTokenMs)
          problems.push(`stalled ${Math.round(stream.longestGapMs)} ms between chunks (limit ${b.config.thresholds.maxTimeToFirstTokenMs} ms)`);
        const tokensPerSecond = stream.usage?.outputTokens && stream.firstToLastDeltaMs > 0 ? (stream.usage.outputTokens * 1000) / stream.firstToLastDeltaMs : undefined;
        return {
          passed: problems.length === 0,
          detail: problems.length ? problems.join("; ") : `${o.length} events in order, stopReason ${stream.stopReason}`,
          latencyMs: stream.totalMs,
          metrics: {
            ...(stream.ttftMs !== null ? { timeToFirstTokenMs: Math.round(stream.ttftMs) } : {}),
            ...(tokensPerSecond !== undefined ? { tokensPerSecond: Math.round(tokensPerSecond * 10) / 10 } : {}),
            ...(stream.serverLatencyMs !== undefined ? { serverLatencyMs: stream.serverLatencyMs } : {}),
            longestGapMs: Math.round(stream.longestGapMs),
          },
        };
      }),

    usage: () =>
      runTest("usage", async () => {
        if (usages.length === 0) throw new Skip("No call reported usage");
        const bad = usages.filter(({ usage: u }) => !(u.inputTokens! > 0 && u.outputTokens! >= 0 && u.inputTokens! + u.outputTokens! === u.totalTokens));
        return {
          passed: bad.length === 0,
          detail: bad.length ? `inputTokens + outputTokens ≠ totalTokens in ${bad.map((b) => `${b.source} ${JSON.stringify(b.usage)}`).join(", ")}` : `${usages.length} usage reports add up`,
          latencyMs: null,
        };
      }),

    latency: () =>
      runTest("latency", async () => {
        const t = b.config.thresholds;
        if (latencies.length === 0) throw new Skip("No call was timed");
        const slowest = Math.max(...latencies);
        const problems: string[] = [];
        if (slowest > t.maxLatencyMs) problems.push(`slowest call ${Math.round(slowest)} ms > ${t.maxLatencyMs} ms`);
        const s = stream as StreamStats | null;
        const tps = s?.usage?.outputTokens && s.firstToLastDeltaMs > 0 ? (s.usage.outputTokens * 1000) / s.firstToLastDeltaMs : null;
        if (s?.ttftMs != null && s.ttftMs > t.maxTimeToFirstTokenMs) problems.push(`time to first token ${Math.round(s.ttftMs)} ms > ${t.maxTimeToFirstTokenMs} ms`);
        if (tps !== null && tps < t.minTokensPerSecond) problems.push(`${tps.toFixed(1)} tokens/s < ${t.minTokensPerSecond}`);
        const sorted = [...latencies].sort((a, b) => a - b);
        return {
          passed: problems.length === 0,
          detail: problems.length ? problems.join("; ") : `slowest call ${Math.round(slowest)} ms within ${t.maxLatencyMs} ms`,
          latencyMs: null,
          metrics: {
            p50LatencyMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
            maxLatencyMs: Math.round(slowest),
            ...(s?.ttftMs != null ? { timeToFirstTokenMs: Math.round(s.ttftMs) } : {}),
            ...(tps !== null ? { tokensPerSecond: Math.round(tps * 10) / 10 } : {}),
          },
        };
      }),
  };

  // Each test that calls the model stands alone; usage and latency read them all.
  return runBattery(TEXT_TESTS, b.config, tests, "Not run: the model could not be reached", { spare: b.spare, last: ["usage", "latency"] });
}

async function converseStream(b: Battery, from: number): Promise<StreamStats> {
  return callBedrock(b.call, async (signal) => {
    const started = performance.now();
    const out = await b.bedrock.runtime(b.call.region).send(
      new ConverseStreamCommand({
        modelId: b.invokedId,
        messages: [user(`Count from ${from} to ${from + 29}, separated by commas.`)],
        inferenceConfig: { maxTokens: b.config.maxTokens, temperature: 0 },
      }),
      { abortSignal: signal },
    );
    const stats: StreamStats = { order: [], text: "", ttftMs: null, totalMs: 0, firstToLastDeltaMs: 0, longestGapMs: 0 };
    let firstDelta = 0;
    let lastDelta = 0;
    for await (const event of out.stream ?? []) {
      const type = Object.keys(event).find((k) => (event as unknown as Record<string, unknown>)[k] !== undefined) ?? "unknown";
      stats.order.push(type);
      if (event.contentBlockDelta?.delta?.text !== undefined) {
        const now = performance.now();
        if (stats.ttftMs === null) {
          stats.ttftMs = now - started;
          firstDelta = now;
        }
        if (lastDelta) stats.longestGapMs = Math.max(stats.longestGapMs, now - lastDelta);
        lastDelta = now;
        stats.text += event.contentBlockDelta.delta.text;
      }
      if (event.messageStop) stats.stopReason = event.messageStop.stopReason;
      if (event.metadata) {
        stats.usage = event.metadata.usage;
        stats.serverLatencyMs = event.metadata.metrics?.latencyMs;
      }
    }
    stats.totalMs = performance.now() - started;
    stats.firstToLastDeltaMs = lastDelta - firstDelta;
    return stats;
  });
}
