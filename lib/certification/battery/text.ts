import "server-only";
// The text-model battery, through the Converse and ConverseStream APIs. Each
// test has a deterministic check of what it asked for, with values fresh for
// every run (probes.ts): a nonce, an exact string, arithmetic, a JSON schema
// with given values, a forced tool call, a truncated count, the streamed text
// and the stream's event order, token arithmetic. Content tests are asked
// `samples` times.
import { ConverseCommand, ConverseStreamCommand, type ConverseCommandInput, type ConverseCommandOutput, type ConverseStreamCommandOutput, type TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import { z } from "zod";
import { documentedFeatures, FEATURE_SOURCE } from "@/lib/bedrock/model-features";
import { rejectionOf } from "@/lib/bedrock/rejected-field";
import { TEXT_TESTS } from "../config";
import { callBedrock, CallFailed } from "../bedrock-call";
import type { TestResult } from "../results";
import { clip, runBattery, runTest, sampled, Skip, timed, trace, turn, type Battery, type TestBody, type Trace } from "./harness";
import { between, CITIES, COLOURS, countSequence, nonce, pickOne } from "./probes";
import { namesOnly, negatesOrRefuses, statesNumber } from "./answer-checks";
import { hasReasoning, readStream, textOf, usageAddsUp, type StreamStats } from "./converse-answer";

type ConverseInput = Omit<ConverseCommandInput, "modelId">;

const user = (text: string) => ({ role: "user" as const, content: [{ text }] });
// Models often wrap an exact answer in quotes or end it with a full stop.
const normalise = (text: string) =>
  text
    .trim()
    .replace(/^["'`]+|["'`.]+$/g, "")
    .trim();

// The budget a model that reasons first is given when its reasoning took the
// job's whole maxTokens: room for the reasoning and the answer.
const REASONING_BUDGET = 4_096;

// The last user turn's text (and the system prompt, when there is one), and
// the answer's text or tool call: a test's transcript.
const promptOf = (input: ConverseInput) => {
  const last =
    input.messages
      ?.at(-1)
      ?.content?.map((c) => c.text ?? "")
      .join("") ?? "";
  const system = input.system?.map((s) => ("text" in s ? s.text : "")).join(" ");
  return system ? `[system: ${system}] ${last}` : last;
};
const answerOf = (r: ConverseCommandOutput) => {
  const tool = r.output?.message?.content?.find((c) => c.toolUse)?.toolUse;
  return tool ? `tool ${tool.name} ${JSON.stringify(tool.input)}` : textOf(r);
};

// A counted sequence as a model writes it: trimmed, a final full stop dropped.
const asCount = (text: string) => text.trim().replace(/\.$/, "");

export async function runTextBattery(b: Battery): Promise<TestResult[]> {
  const usages: { source: string; usage: TokenUsage }[] = [];
  const latencies: number[] = [];
  let stream: StreamStats | null = null;

  const features = documentedFeatures(b.model.bedrockModelId);
  // Sent with every call until the model refuses it: then never again in
  // this pair (each test that met the refusal says so).
  const sampling = { temperature: true };
  const inferenceOf = (input: ConverseInput) => ({ maxTokens: b.config.maxTokens, ...(sampling.temperature ? { temperature: 0 } : {}), ...input.inferenceConfig });
  const withoutSampling = (input: ConverseInput): ConverseInput => {
    const { temperature: _t, topP: _p, ...rest } = input.inferenceConfig ?? {};
    return { ...input, inferenceConfig: rest };
  };

  // Asks again, once, without what the model refused: a sampling parameter,
  // a forced tool choice (then auto). Anything else is the call's error.
  async function adapting<T>(input: ConverseInput, notes: Trace, send: (input: ConverseInput) => Promise<T>): Promise<T> {
    try {
      return await send(input);
    } catch (err) {
      const rejected = err instanceof CallFailed && err.classified.category === "INVALID_REQUEST" ? rejectionOf(err.classified.detail) : null;
      if (rejected?.kind !== "parameter") throw err;
      if (rejected.parameter === "sampling" && (sampling.temperature || input.inferenceConfig?.temperature !== undefined)) {
        sampling.temperature = false;
        notes.push(`asked again without temperature: the model refuses it ("${clip((err as CallFailed).classified.detail, 120)}")`);
        return send(withoutSampling(input));
      }
      const choice = input.toolConfig?.toolChoice;
      if (rejected.parameter === "toolChoice" && choice && !choice.auto) {
        notes.push(`asked again with toolChoice auto: the model refuses a forced tool choice ("${clip((err as CallFailed).classified.detail, 120)}")`);
        return send({ ...input, toolConfig: { ...input.toolConfig!, toolChoice: { auto: {} } } });
      }
      throw err;
    }
  }

  // One Converse call, adapted to what the model accepts. A model that spends
  // its whole budget reasoning, with no text left, is asked again with room
  // for the answer (not for the max_tokens test: there the cut is the point).
  const converse = async (input: ConverseInput, notes: Trace = trace(), options: { roomForReasoning?: boolean } = {}) => {
    const once = (attempt: ConverseInput) =>
      adapting(attempt, notes, async (adapted) => {
        const { value, ms } = await timed(() =>
          callBedrock(b.call, (signal) =>
            b.bedrock.runtime(b.call.region).send(new ConverseCommand({ modelId: b.invokedId, ...adapted, inferenceConfig: inferenceOf(adapted) }), { abortSignal: signal }),
          ),
        );
        latencies.push(ms);
        if (value.usage) usages.push({ source: "Converse", usage: value.usage });
        notes.transcript?.push(turn(promptOf(adapted), answerOf(value)));
        return { response: value, ms };
      });
    const first = await once(input);
    const budget = inferenceOf(input).maxTokens;
    if (options.roomForReasoning === false || first.response.stopReason !== "max_tokens" || textOf(first.response).trim() || !hasReasoning(first.response) || budget >= REASONING_BUDGET) return first;
    notes.push(`the model reasoned through its ${budget} tokens with no text left: asked again with ${REASONING_BUDGET}`);
    return once({ ...input, inferenceConfig: { ...input.inferenceConfig, maxTokens: REASONING_BUDGET } });
  };

  const sample = (body: TestBody) => sampled(b.config.samples, body, b.spare);

  const tests: Record<(typeof TEXT_TESTS)[number], () => Promise<TestResult>> = {
    reachability: () =>
      runTest("reachability", async () => {
        // Any answer proves the model reachable; only the right one passes.
        const token = nonce("PING");
        const adapted = trace();
        const { response, ms } = await converse({ messages: [user(`Reply with exactly: "${token}"`)] }, adapted);
        const text = textOf(response);
        // The nonce alone, or said plainly: not refused, not negated ("I refuse to reply with PING-…").
        const right = normalise(text) === token || (normalise(text).includes(token) && !negatesOrRefuses(text));
        return { passed: right, detail: right ? `Answered in ${Math.round(ms)} ms with the nonce "${token}"` : `Expected the nonce "${token}", got "${clip(text, 80)}"`, latencyMs: ms, adapted };
      }),

    exact_instruction: () =>
      runTest(
        "exact_instruction",
        sample(async () => {
          const token = nonce("CERT");
          const adapted = trace();
          const { response, ms } = await converse({ messages: [user(`Reply with exactly: "${token}". Do not add any other words.`)] }, adapted);
          const got = normalise(textOf(response));
          return { passed: got === token, detail: `Expected "${token}", got "${clip(got)}"`, latencyMs: ms, adapted };
        }),
      ),

    system_prompt: () =>
      runTest(
        "system_prompt",
        sample(async () => {
          if (features.systemPrompt === false) throw new Skip(`Not supported by the model: ${FEATURE_SOURCE}`);
          const [x, y] = [between(11, 99), between(11, 99)];
          const signOff = nonce("OVER");
          const adapted = trace();
          const { response, ms } = await converse(
            {
              system: [{ text: `You are a certification probe. End every reply with "${signOff}".` }],
              messages: [user(`What is ${x} + ${y}? Answer with the number.`)],
            },
            adapted,
          );
          const text = textOf(response).trim();
          const body = text.replaceAll(signOff, "");
          // The sum and nothing else ("It is not 119; the sum is 129" names 119 and is wrong).
          const passed = text.replace(/\W+$/, "").endsWith(signOff) && statesNumber(body, x + y, [x, y]);
          return { passed, detail: `Expected ${x + y} ending with "${signOff}", got "${clip(text)}"`, latencyMs: ms, adapted };
        }),
      ),

    two_turn: () =>
      runTest(
        "two_turn",
        sample(async () => {
          const colour = pickOne(COLOURS);
          const adapted = trace();
          const { response, ms } = await converse(
            {
              messages: [
                user(`My favourite colour is ${colour}. Please remember it.`),
                { role: "assistant", content: [{ text: `I will remember that your favourite colour is ${colour}.` }] },
                user("What is my favourite colour? Answer with one word."),
              ],
            },
            adapted,
          );
          const text = textOf(response);
          return { passed: namesOnly(text, colour, COLOURS), detail: `Expected "${colour}" from the first turn, got "${clip(text)}"`, latencyMs: ms, adapted };
        }),
      ),

    json_output: () =>
      runTest(
        "json_output",
        sample(async () => {
          const schema = { type: "object", properties: { city: { type: "string" }, population: { type: "integer" }, capital: { type: "boolean" } }, required: ["city", "population", "capital"] };
          const { city, capital } = pickOne(CITIES);
          const population = between(100_000, 9_000_000);
          const adapted = trace();
          const { response, ms } = await converse(
            {
              messages: [
                user(
                  `Return only a JSON object, with no prose and no code fence, matching this JSON schema: ${JSON.stringify(schema)}. The city is ${city}, population ${population}, and it is ${capital ? "a capital" : "not a capital"}.`,
                ),
              ],
            },
            adapted,
          );
          const raw = textOf(response)
            .trim()
            .replace(/^```(?:json)?\s*|\s*```$/g, "");
          let value: unknown;
          try {
            value = JSON.parse(raw);
          } catch {
            return { passed: false, detail: `Not valid JSON: "${clip(raw)}"`, latencyMs: ms, adapted };
          }
          const parsed = z.object({ city: z.string(), population: z.number().int(), capital: z.boolean() }).safeParse(value);
          if (!parsed.success)
            return { passed: false, detail: `JSON does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, latencyMs: ms, adapted };
          const right = parsed.data.city === city && parsed.data.population === population && parsed.data.capital === capital;
          return {
            passed: right,
            detail: right ? "Valid JSON matching the schema with the given values" : `Valid JSON with wrong values (expected ${city}, ${population}, capital ${capital}): ${clip(raw)}`,
            latencyMs: ms,
            adapted,
          };
        }),
      ),

    tool_use: () =>
      runTest(
        "tool_use",
        sample(async () => {
          if (features.toolUse === false) throw new Skip(`Not supported by the model: ${FEATURE_SOURCE}`);
          const { city } = pickOne(CITIES);
          const adapted = trace();
          // A forced choice where AWS documents it; elsewhere the prompt names
          // the tool and the model chooses (auto), as AWS's tool-use guide does.
          const { response, ms } = await converse(
            {
              messages: [user(`What is the weather in ${city}, in celsius? Use the get_weather tool.`)],
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
                toolChoice: features.forcedToolChoice === false ? { auto: {} } : { tool: { name: "get_weather" } },
              },
            },
            adapted,
          );
          const toolUse = response.output?.message?.content?.find((c) => c.toolUse)?.toolUse;
          const input = toolUse?.input as { city?: unknown; unit?: unknown } | undefined;
          const passed = response.stopReason === "tool_use" && toolUse?.name === "get_weather" && input?.city === city && (input?.unit === "celsius" || input?.unit === "fahrenheit");
          return {
            passed,
            detail: `Expected get_weather for ${city}: stopReason ${response.stopReason}, tool ${toolUse?.name ?? "none"}, input ${clip(JSON.stringify(input ?? null))}`,
            latencyMs: ms,
            adapted,
          };
        }),
      ),

    max_tokens: () =>
      runTest("max_tokens", async () => {
        // The truncated answer must be the start of the right one.
        const limit = 16;
        const from = between(100, 900);
        const adapted = trace();
        const { response, ms } = await converse({ messages: [user(`Count from ${from} to ${from + 500}, separated by commas.`)], inferenceConfig: { maxTokens: limit } }, adapted, {
          roomForReasoning: false,
        });
        const out = response.usage?.outputTokens ?? Number.NaN;
        const text = textOf(response).trim();
        const prefix = text.length > 0 && countSequence(from, from + 500).startsWith(text);
        // A model that reasons first may spend the whole budget reasoning: the
        // cut still came at maxTokens, which is what this test asks.
        const cutInReasoning = text.length === 0 && hasReasoning(response);
        const passed = response.stopReason === "max_tokens" && out <= limit && (prefix || cutInReasoning);
        return {
          passed,
          detail: `maxTokens ${limit}: stopReason ${response.stopReason}, ${out} output tokens, ${
            cutInReasoning ? "cut within the model's reasoning, before any text" : prefix ? `the count from ${from}, cut short` : `not the count from ${from}: "${clip(text, 60)}"`
          }`,
          latencyMs: ms,
          adapted,
        };
      }),

    streaming: () =>
      runTest("streaming", async () => {
        if (b.model.streaming === false) throw new Skip("The catalog says this model does not stream");
        const from = between(100, 900);
        const adapted = trace();
        const input: ConverseInput = { messages: [user(`Count from ${from} to ${from + 29}, separated by commas.`)] };
        const streamOnce = (attempt: ConverseInput) => adapting(attempt, adapted, (adaptedInput) => converseStream(b, { ...adaptedInput, inferenceConfig: inferenceOf(adaptedInput) }));
        stream = await streamOnce(input);
        adapted.transcript?.push(turn(promptOf(input), stream.text));
        if (stream.stopReason === "max_tokens" && !stream.text.trim() && stream.reasoning && inferenceOf(input).maxTokens < REASONING_BUDGET) {
          adapted.push(`the model reasoned through its ${inferenceOf(input).maxTokens} tokens with no text left: asked again with ${REASONING_BUDGET}`);
          stream = await streamOnce({ ...input, inferenceConfig: { maxTokens: REASONING_BUDGET } });
        }
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
        if (stream.usage && !(stream.usage.outputTokens! > 0 && usageAddsUp(stream.usage))) problems.push(`usage does not add up: ${JSON.stringify(stream.usage)}`);
        if (stream.stopReason !== "end_turn") problems.push(`stopReason ${stream.stopReason ?? "missing"}, expected end_turn`);
        // A stream that stops mid-way for longer than a first token may take is stalled.
        if (stream.longestGapMs > b.config.thresholds.maxTimeToFirstTokenMs)
          problems.push(`stalled ${Math.round(stream.longestGapMs)} ms between chunks (limit ${b.config.thresholds.maxTimeToFirstTokenMs} ms)`);
        const tokensPerSecond = stream.usage?.outputTokens && stream.firstToLastDeltaMs > 0 ? (stream.usage.outputTokens * 1000) / stream.firstToLastDeltaMs : undefined;
        const reasoned = stream.reasoning ? " (the model reasoned first: time to first token is its first reasoning token, and tokens/s counts reasoning tokens)" : "";
        return {
          passed: problems.length === 0,
          detail: `${problems.length ? problems.join("; ") : `${o.length} events in order, stopReason ${stream.stopReason}`}${reasoned}`,
          latencyMs: stream.totalMs,
          adapted,
          metrics: {
            ...(stream.ttftMs !== null ? { timeToFirstTokenMs: Math.round(stream.ttftMs) } : {}),
            ...(stream.timeToFirstTextMs !== null ? { timeToFirstTextMs: Math.round(stream.timeToFirstTextMs) } : {}),
            ...(tokensPerSecond !== undefined ? { tokensPerSecond: Math.round(tokensPerSecond * 10) / 10 } : {}),
            ...(stream.serverLatencyMs !== undefined ? { serverLatencyMs: stream.serverLatencyMs } : {}),
            longestGapMs: Math.round(stream.longestGapMs),
          },
        };
      }),

    usage: () =>
      runTest("usage", async () => {
        if (usages.length === 0) throw new Skip("No call reported usage");
        const bad = usages.filter(({ usage: u }) => !(u.inputTokens! >= 0 && u.outputTokens! >= 0 && usageAddsUp(u)));
        return {
          passed: bad.length === 0,
          detail: bad.length
            ? `inputTokens + outputTokens (+ cached input) ≠ totalTokens in ${bad.map((b) => `${b.source} ${JSON.stringify(b.usage)}`).join(", ")}`
            : `${usages.length} usage reports add up`,
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

async function converseStream(b: Battery, input: ConverseInput): Promise<StreamStats> {
  return callBedrock(b.call, async (signal) => {
    const started = performance.now();
    const out: ConverseStreamCommandOutput = await b.bedrock.runtime(b.call.region).send(new ConverseStreamCommand({ modelId: b.invokedId, ...input }), { abortSignal: signal });
    return readStream(out.stream ?? [], started);
  });
}
