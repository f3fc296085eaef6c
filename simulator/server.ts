// The Bedrock-compatible HTTP/1.1 server: Bedrock Runtime (Converse,
// ConverseStream, InvokeModel) and the control plane (ListFoundationModels,
// GetFoundationModel, GetFoundationModelAvailability, ListInferenceProfiles) on
// one port, answering per Region (taken from the SigV4 credential scope), plus a
// small admin API under /_simulator for faults and statistics.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { INVALID_MODEL_MESSAGE, SimulatorCatalog, type SimModel } from "./catalog";
import { createAsyncInvokes } from "./async-invoke";
import { eventFrame, exceptionFrame } from "./eventstream";
import { effectiveFaults, parseFaultsConfig, type EffectiveFaults, type FaultsConfig, type Operation } from "./faults";
import { invokeModel } from "./invoke-model";
import { inputTokenCount, reply, type ConverseInput, type Distortion, type ModelReply } from "./model-brain";
import { reasonsFirst, refusal } from "./aws-features";
import { parseModels } from "./tables";
import { corruptInvokeBody, corruptText, type Corruption } from "./corrupt";

const TEXT_CORRUPTIONS = new Set<Corruption>(["negate", "refuse", "json-flip"]);
const INVOKE_CORRUPTIONS = new Set<Corruption>(["body-nan", "body-empty", "body-truncated", "vector-null", "fake-jpeg", "tiny-png"]);
import { checkSignature, DEFAULT_KEYS, parseKeys, type SimulatorKeys } from "./sigv4";
import { countTokens, truncateToTokens } from "./tokens";
import { SeededStreams } from "./random";
import { chunkText } from "./tokens";

export type SimulatorOptions = {
  catalog: SimulatorCatalog;
  faults: FaultsConfig;
  seed: number;
  log?: (line: string) => void;
  // Access key id → secret: the credentials whose signatures it accepts.
  keys?: SimulatorKeys;
};

export type SimulatorStats = {
  // latencyMs: the latency and generation time the simulator meant those calls
  // to take (what a benchmark's ideal is made of); serviceMs: the time it
  // actually spent on them (later timers on a busy machine, its own work).
  calls: { operation: string; region: string; modelId: string; outcome: string; count: number; latencyMs: number; serviceMs: number }[];
  inFlight: Record<string, number>;
  maxInFlight: Record<string, number>;
};

type ErrorAnswer = { status: number; errorType: string; message: string };

class HttpError extends Error {
  constructor(readonly answer: ErrorAnswer) {
    super(answer.message);
  }
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function regionOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization ?? "";
  const scope = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/.exec(auth);
  return scope ? scope[1]! : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError({ status: 413, errorType: "ValidationException", message: "Request body too large." });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

// AWS names an error type in the coral form: "Name:http://internal.amazon.com/coral/com.amazon.bedrock/".
const coral = (errorType: string) => `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "x-amzn-requestid": randomUUID(), ...headers });
  res.end(payload);
}

function sendError(res: ServerResponse, e: ErrorAnswer) {
  if (res.headersSent) return res.destroy();
  sendJson(res, e.status, { message: e.message }, { "x-amzn-errortype": coral(e.errorType) });
}

const validation = (message: string): HttpError => new HttpError({ status: 400, errorType: "ValidationException", message });

function parseConverseInput(raw: string): ConverseInput {
  let body: unknown;
  try {
    body = JSON.parse(raw || "{}");
  } catch {
    throw validation("Malformed request body.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw validation("Malformed request body.");
  const input = body as ConverseInput;
  // The shapes AWS's own validation refuses, with its words: never a 500 here.
  const member = (path: string) => validation(`1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must not be null`);
  if (Array.isArray(input.messages))
    input.messages.forEach((m, i) => {
      if (typeof m !== "object" || m === null || !Array.isArray(m.content) || m.content.some((c) => typeof c !== "object" || c === null)) throw member(`messages.${i + 1}.member.content`);
    });
  if (input.system !== undefined && (!Array.isArray(input.system) || input.system.some((b) => typeof b !== "object" || b === null))) throw member("system");
  if (input.toolConfig !== undefined && (typeof input.toolConfig !== "object" || input.toolConfig === null || !Array.isArray(input.toolConfig.tools) || input.toolConfig.tools.length === 0))
    throw validation("1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (input.inferenceConfig !== undefined && (typeof input.inferenceConfig !== "object" || input.inferenceConfig === null)) throw member("inferenceConfig");
  if (!Array.isArray(input.messages) || input.messages.length === 0) throw validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  if (input.messages[0]!.role !== "user") throw validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  for (let i = 1; i < input.messages.length; i++) {
    if (input.messages[i]!.role === input.messages[i - 1]!.role)
      throw validation("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.");
  }
  const maxTokens = input.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1))
    throw validation("1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1");
  const choice = input.toolConfig?.toolChoice;
  if (choice?.tool && !input.toolConfig!.tools.some((t) => "toolSpec" in t && t.toolSpec?.name === choice.tool!.name))
    throw validation(`The tool ${choice.tool.name} named in toolChoice is not in tools.`);
  return input;
}

// A model that reasons before it answers (aws-features.ts): a reasoning block
// first, then the text, both counted as output tokens and both within
// maxTokens, as Bedrock's reasoning models answer; a small budget may end
// inside the reasoning with no text at all.
function reasonedReply(input: ConverseInput, options: Parameters<typeof reply>[1]): ModelReply {
  const maxTokens = input.inferenceConfig?.maxTokens ?? 4096;
  const thought = "The user wants a precise answer. Let me read the request carefully, work out exactly what is asked, and reply with just that.";
  const reasoning = truncateToTokens(thought, maxTokens);
  const reasoningTokens = countTokens(reasoning);
  const left = maxTokens - reasoningTokens;
  const block = { reasoningContent: { reasoningText: { text: reasoning } } };
  if (left < 1) {
    const inputTokens = inputTokenCount(input);
    return { content: [block], stopReason: "max_tokens", usage: { inputTokens, outputTokens: reasoningTokens, totalTokens: inputTokens + reasoningTokens } };
  }
  const answer = reply({ ...input, inferenceConfig: { ...input.inferenceConfig, maxTokens: left } }, options);
  const outputTokens = answer.usage.outputTokens + reasoningTokens;
  return { ...answer, content: [block, ...answer.content], usage: { ...answer.usage, outputTokens, totalTokens: answer.usage.totalTokens + reasoningTokens } };
}

// Prompt caching: what comes before a cachePoint block is cached input. The
// first request with a given prefix writes it, later ones read it, and AWS
// counts both in totalTokens (and names them twice: *Tokens and *TokenCount).
const promptCache = new Set<string>();
function withPromptCache(input: ConverseInput, answer: ModelReply): ModelReply {
  const blocks = [...(input.system ?? []), ...input.messages.flatMap((m) => m.content)] as Record<string, unknown>[];
  const at = blocks.findLastIndex((b) => "cachePoint" in b);
  if (at < 0) return answer;
  const prefix = JSON.stringify(blocks.slice(0, at));
  const cached = countTokens(prefix);
  const read = promptCache.has(prefix);
  promptCache.add(prefix);
  const usage = {
    ...answer.usage,
    inputTokens: Math.max(1, answer.usage.inputTokens - cached),
    cacheReadInputTokens: read ? cached : 0,
    cacheReadInputTokenCount: read ? cached : 0,
    cacheWriteInputTokens: read ? 0 : cached,
    cacheWriteInputTokenCount: read ? 0 : cached,
  };
  return { ...answer, usage: { ...usage, totalTokens: usage.inputTokens + cached + usage.outputTokens } };
}

export function createSimulator(options: SimulatorOptions) {
  // Replaceable while running (PUT /_simulator/catalog): Bedrock's catalog changes under its users.
  let catalog = options.catalog;
  const keys = options.keys ?? parseKeys(DEFAULT_KEYS);
  const log = options.log ?? (() => {});
  const initialFaults = options.faults;
  let faults = options.faults;
  const random = new SeededStreams(options.seed);
  // Hits of the rules that have a maxHits, since the faults were set.
  let hits = new WeakMap<object, number>();
  const take = (rule: object & { maxHits?: number }) => {
    const n = hits.get(rule) ?? 0;
    if (n >= (rule.maxHits ?? Infinity)) return false;
    hits.set(rule, n + 1);
    return true;
  };
  const faultsFor = (request: Parameters<typeof effectiveFaults>[1]) => effectiveFaults(faults, request, take);
  // The faults a request would meet, without spending a rule's hits.
  const peekFaults = (request: Parameters<typeof effectiveFaults>[1]) => effectiveFaults(faults, request, (rule) => (hits.get(rule) ?? 0) < (rule.maxHits ?? Infinity));
  // A video "renders" for a moment: the base latency of the faults, at least 300 ms.
  const asyncInvokes = createAsyncInvokes(() => Math.max(300, peekFaults({ operation: "StartAsyncInvoke", region: "-" }).latency.firstTokenMs * 3));
  const calls = new Map<string, { count: number; latencyMs: number; serviceMs: number }>();
  // The waits the current request means to make, added up (see `pause`).
  const requestClock = new AsyncLocalStorage<{ latencyMs: number }>();
  const pause = (ms: number, signal: AbortSignal) => {
    const clock = requestClock.getStore();
    if (clock) clock.latencyMs += ms;
    return sleep(ms, undefined, { signal });
  };
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();

  const count = (operation: string, region: string, modelId: string, outcome: string, time = { latencyMs: 0, serviceMs: 0 }) => {
    const key = `${operation}\u0000${region}\u0000${modelId}\u0000${outcome}`;
    const seen = calls.get(key) ?? { count: 0, latencyMs: 0, serviceMs: 0 };
    calls.set(key, { count: seen.count + 1, latencyMs: seen.latencyMs + time.latencyMs, serviceMs: seen.serviceMs + time.serviceMs });
  };

  // Back to the start-up faults, with statistics and random streams cleared.
  function reset() {
    faults = initialFaults;
    hits = new WeakMap();
    random.reset();
    asyncInvokes.reset();
    calls.clear();
    maxInFlight.clear();
  }

  function stats(): SimulatorStats {
    return {
      calls: [...calls].map(([key, seen]) => {
        const [operation, region, modelId, outcome] = key.split("\u0000") as [string, string, string, string];
        return { operation, region, modelId, outcome, count: seen.count, latencyMs: Math.round(seen.latencyMs), serviceMs: Math.round(seen.serviceMs) };
      }),
      inFlight: Object.fromEntries(inFlight),
      maxInFlight: Object.fromEntries(maxInFlight),
    };
  }

  // The service-side faults a request may meet, in the order Bedrock would
  // report them; `hang` answers only after hangMs.
  async function injectServiceFaults(f: EffectiveFaults, stream: string, signal: AbortSignal) {
    if (f.withdrawn) throw new HttpError({ status: 400, errorType: "ValidationException", message: INVALID_MODEL_MESSAGE });
    if (f.accessDenied) throw new HttpError({ status: 403, errorType: "AccessDeniedException", message: "You don't have access to the model with the specified model ID." });
    if (random.chance(`${stream}|throttle`, f.throttleRate)) throw new HttpError({ status: 429, errorType: "ThrottlingException", message: "Too many requests, please wait before trying again." });
    if (random.chance(`${stream}|quota`, f.quotaExceededRate)) {
      // InvokeModel models ServiceQuotaExceededException; Converse and
      // ConverseStream do not: there a spent quota is a ThrottlingException
      // that says so, as Bedrock answers a spent daily token quota.
      if (stream.startsWith("InvokeModel|"))
        throw new HttpError({ status: 400, errorType: "ServiceQuotaExceededException", message: "Your request exceeds the service quota for your account. Request a quota increase." });
      throw new HttpError({ status: 429, errorType: "ThrottlingException", message: "Too many tokens per day, please wait before trying again." });
    }
    if (random.chance(`${stream}|notReady`, f.notReadyRate))
      throw new HttpError({ status: 429, errorType: "ModelNotReadyException", message: "Model is not ready to serve inference requests. Please try again later." });
    if (random.chance(`${stream}|hang`, f.hangRate)) {
      await pause(f.hangMs ?? 120_000, signal);
      throw new HttpError({ status: 408, errorType: "ModelTimeoutException", message: "Model has timed out in processing the request. Try your request again." });
    }
    if (random.chance(`${stream}|modelTimeout`, f.modelTimeoutRate))
      throw new HttpError({ status: 408, errorType: "ModelTimeoutException", message: "Model has timed out in processing the request. Try your request again." });
    if (random.chance(`${stream}|modelError`, f.modelErrorRate))
      throw new HttpError({ status: 424, errorType: "ModelErrorException", message: "The model encountered an error processing the request." });
    if (random.chance(`${stream}|unavailable`, f.serviceUnavailableRate))
      throw new HttpError({ status: 503, errorType: "ServiceUnavailableException", message: "Bedrock is unable to process your request." });
    if (random.chance(`${stream}|internal`, f.internalErrorRate))
      throw new HttpError({ status: 500, errorType: "InternalServerException", message: "The server encountered an internal error while processing the request." });
  }

  // A distorted answer is counted as an outcome of its own ("wrong_answer",
  // "malformed_json") beside the call's: tests know which pairs got one.
  function counted(operation: string, region: string, modelId: string, d: Distortion): Distortion {
    if (d) count(operation, region, modelId, d);
    return d;
  }

  function distortion(f: EffectiveFaults, stream: string): Distortion {
    if (random.chance(`${stream}|wrong`, f.wrongAnswerRate)) return !f.wrongAnswerKind || f.wrongAnswerKind === "garbled" ? "wrong_answer" : f.wrongAnswerKind;
    if (random.chance(`${stream}|malformed`, f.malformedJsonRate)) return "malformed_json";
    return null;
  }

  const firstTokenDelay = (f: EffectiveFaults, stream: string) => f.latency.firstTokenMs + (f.latency.jitterMs ? random.next(`${stream}|jitter`) * f.latency.jitterMs : 0);
  const generationMs = (f: EffectiveFaults, tokens: number) => (Number.isFinite(f.latency.tokensPerSecond) ? (tokens / f.latency.tokensPerSecond) * 1000 : 0);

  function checkConverseSupport(model: SimModel, input: ConverseInput, operation: Operation) {
    if (model.kind !== "text") throw validation("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
    if (operation === "ConverseStream" && model.streaming === false) throw validation("The model is unsupported for streaming.");
    const refused = refusal(model.bedrockModelId, input, operation as "Converse" | "ConverseStream");
    if (refused) throw validation(refused);
  }

  async function handleModelOperation(operation: Operation, raw: string, res: ServerResponse, region: string, identifier: string, signal: AbortSignal) {
    const resolution = catalog.resolve(region, identifier);
    if (!resolution.ok) throw new HttpError(resolution);
    const model = resolution.model;
    const stream = `${operation}|${model.bedrockModelId}|${region}`;
    const f = faultsFor({ operation, modelId: model.bedrockModelId, region, body: raw });
    const started = performance.now();

    if (operation === "InvokeModel") {
      await injectServiceFaults(f, stream, signal);
      const outcome = invokeModel(model, raw, counted(operation, region, model.bedrockModelId, distortion(f, stream)));
      if (!outcome.ok) throw new HttpError(outcome);
      await pause(firstTokenDelay(f, stream), signal);
      if (f.corrupt && INVOKE_CORRUPTIONS.has(f.corrupt)) {
        count(operation, region, model.bedrockModelId, `corrupt-${f.corrupt}`);
        const bytes = corruptInvokeBody(outcome.body, f.corrupt);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(bytes), "x-amzn-requestid": randomUUID() });
        return res.end(bytes);
      }
      // AWS's InvokeModel headers: the model's own latency and token counts.
      return sendJson(res, 200, outcome.body, {
        "x-amzn-bedrock-invocation-latency": String(Math.round(performance.now() - started)),
        "x-amzn-bedrock-input-token-count": String(countTokens(raw)),
        ...(model.kind === "text" ? { "x-amzn-bedrock-output-token-count": String(countTokens(JSON.stringify(outcome.body))) } : {}),
      });
    }

    const input = parseConverseInput(raw);
    checkConverseSupport(model, input, operation);
    await injectServiceFaults(f, stream, signal);
    const options = {
      modelName: model.name,
      distortion: counted(operation, region, model.bedrockModelId, distortion(f, stream)),
      toolUseId: `tooluse_${randomUUID().replaceAll("-", "").slice(0, 22)}`,
    };
    // Reasoning models reason always; others when the request turns it on
    // (Claude's thinking, a reasoning_config), as on AWS.
    const extra = (input as { additionalModelRequestFields?: { thinking?: { type?: string }; reasoning_config?: unknown } }).additionalModelRequestFields;
    const reasons = reasonsFirst(model.bedrockModelId) || extra?.thinking?.type === "enabled" || (extra?.reasoning_config !== undefined && extra.reasoning_config !== "none");
    const answer = withPromptCache(input, reasons ? reasonedReply(input, options) : reply(input, options));
    if (f.corrupt && TEXT_CORRUPTIONS.has(f.corrupt)) {
      count(operation, region, model.bedrockModelId, `corrupt-${f.corrupt}`);
      answer.content = corruptText(answer.content, f.corrupt) as ModelReply["content"];
    }

    if (operation === "Converse") {
      await pause(firstTokenDelay(f, stream) + generationMs(f, answer.usage.outputTokens), signal);
      return sendJson(res, 200, {
        output: { message: { role: "assistant", content: answer.content } },
        stopReason: answer.stopReason,
        usage: { ...answer.usage, serverToolUsage: {} },
        metrics: { latencyMs: Math.round(performance.now() - started) },
      });
    }

    // ConverseStream: messageStart, per block (start,) deltas and stop,
    // messageStop, then metadata with usage and latency.
    const firstToken = firstTokenDelay(f, stream);
    if (firstToken > 0) await pause(firstToken, signal);
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": randomUUID() });
    const write = (frame: Uint8Array) => res.write(frame);
    // A stalled stream pauses once, halfway (docs/simulator.md).
    let stallAt: number | null = random.chance(`${stream}|stall`, f.streamStallRate) ? 0.5 : null;
    const failAt = random.chance(`${stream}|streamError`, f.streamErrorRate) ? 0.5 : null;
    write(eventFrame("messageStart", { role: "assistant" }));
    for (const [index, block] of answer.content.entries()) {
      if ("reasoningContent" in block) {
        for (const text of chunkText(block.reasoningContent.reasoningText.text)) write(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { text } } }));
        write(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { signature: randomUUID().replaceAll("-", "") } } }));
      } else if ("toolUse" in block) {
        write(eventFrame("contentBlockStart", { contentBlockIndex: index, start: { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name } } }));
        write(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: JSON.stringify(block.toolUse.input) } } }));
      } else {
        const chunks = chunkText(block.text);
        for (const [i, text] of chunks.entries()) {
          const progress = chunks.length > 1 ? i / chunks.length : 0.5;
          if (stallAt !== null && progress >= stallAt) {
            stallAt = null;
            await pause(f.streamStallMs ?? 30_000, signal);
            log(`stream stalled ${stream}`);
          }
          if (f.corrupt === "stream-reset" && progress >= 0.5) {
            count(operation, region, model.bedrockModelId, "corrupt-stream-reset");
            return res.destroy();
          }
          if (failAt !== null && progress >= failAt) {
            write(
              exceptionFrame("modelStreamErrorException", {
                message: "The model stream failed while generating the response.",
                originalStatusCode: 500,
                originalMessage: "The model stopped generating.",
              }),
            );
            count(operation, region, model.bedrockModelId, "stream-error");
            return res.end();
          }
          // Pace the chunks only when a speed is set: a zero-length timer still
          // costs a turn of the event loop per chunk.
          const pace = generationMs(f, 3);
          if (pace > 0) await pause(pace, signal);
          write(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { text } }));
        }
      }
      write(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    }
    write(eventFrame("messageStop", { stopReason: answer.stopReason }));
    write(eventFrame("metadata", { usage: { ...answer.usage, serverToolUsage: {} }, metrics: { latencyMs: Math.round(performance.now() - started) } }));
    res.end();
  }

  // Video models: StartAsyncInvoke (a model operation: availability and
  // faults as for InvokeModel), then GetAsyncInvoke and ListAsyncInvokes.
  async function handleAsyncInvoke(operation: Operation, raw: string, res: ServerResponse, url: URL, region: string, path: string[], signal: AbortSignal) {
    if (operation === "StartAsyncInvoke") {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw validation("Malformed input request: the body is not valid JSON");
      }
      if (typeof body.modelId !== "string") throw validation("modelId is required");
      const resolution = catalog.resolve(region, body.modelId);
      if (!resolution.ok) throw new HttpError(resolution);
      const model = resolution.model;
      if (model.kind !== "video") throw validation("This model doesn't support asynchronous invocation. Try again with a video model.");
      const stream = `${operation}|${model.bedrockModelId}|${region}`;
      const f = faultsFor({ operation, modelId: model.bedrockModelId, region, body: raw });
      await injectServiceFaults(f, stream, signal);
      const d = counted(operation, region, model.bedrockModelId, distortion(f, stream));
      // no_output: accepted, but no invocation ARN comes back.
      if (d === "no_output") return sendJson(res, 200, {});
      const started = asyncInvokes.start(region, model, body, d);
      if (!started.ok) throw new HttpError(started);
      return sendJson(res, 200, { invocationArn: started.invocationArn });
    }
    const f = faultsFor({ operation, region });
    const stream = `${operation}|-|${region}`;
    if (random.chance(`${stream}|throttle`, f.throttleRate)) throw new HttpError({ status: 429, errorType: "ThrottlingException", message: "Too many requests, please wait before trying again." });
    if (operation === "GetAsyncInvoke") {
      const found = asyncInvokes.get(region, decodeURIComponent(path[1]!));
      if (!found) throw validation("The invocation ARN is not valid or was not found in this Region.");
      return sendJson(res, 200, found);
    }
    // A wrong answer: a list that forgets every invocation.
    const forget = distortion(f, stream) !== null;
    return sendJson(res, 200, { asyncInvokeSummaries: forget ? [] : asyncInvokes.list(region, url.searchParams.get("statusEquals")) });
  }

  async function handleControlPlane(operation: Operation, url: URL, res: ServerResponse, region: string, path: string[], signal: AbortSignal) {
    const pathModel = path[1] ? catalog.parseIdentifier(decodeURIComponent(path[1])).modelId : undefined;
    const f = faultsFor({ operation, region, modelId: pathModel });
    const stream = `${operation}|${pathModel ?? "-"}|${region}`;
    // The control plane answers after the same configured latency as the runtime.
    const delay = firstTokenDelay(f, stream);
    if (delay > 0) await pause(delay, signal);
    if (random.chance(`${stream}|throttle`, f.throttleRate)) throw new HttpError({ status: 429, errorType: "ThrottlingException", message: "Too many requests, please wait before trying again." });
    if (random.chance(`${stream}|internal`, f.internalErrorRate))
      throw new HttpError({ status: 500, errorType: "InternalServerException", message: "The server encountered an internal error while processing the request." });

    if (operation === "ListFoundationModels") {
      const q = url.searchParams;
      const all = catalog.listFoundationModels(region, {
        byProvider: q.get("byProvider") ?? undefined,
        byOutputModality: q.get("byOutputModality") ?? undefined,
        byInferenceType: q.get("byInferenceType") ?? undefined,
        byCustomizationType: q.get("byCustomizationType") ?? undefined,
      });
      // A bad answer: the first share of the list left out (all of it at 1).
      const kept = f.listingDrop ? all.slice(Math.ceil(all.length * f.listingDrop)) : all;
      if (f.listingDrop) count(operation, region, "-", "listing-drop");
      return sendJson(res, 200, { modelSummaries: kept });
    }
    if (operation === "ListInferenceProfiles") {
      const all = catalog.listInferenceProfiles(region);
      const max = Math.min(Number(url.searchParams.get("maxResults") ?? 100) || 100, 1000);
      const offset = Number(Buffer.from(url.searchParams.get("nextToken") ?? "MA==", "base64").toString("utf8")) || 0;
      const page = all.slice(offset, offset + max);
      const next = offset + max < all.length ? Buffer.from(String(offset + max)).toString("base64") : undefined;
      return sendJson(res, 200, { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) });
    }
    const modelId = decodeURIComponent(path[1] ?? "");
    const model = catalog.models.get(catalog.parseIdentifier(modelId).modelId);
    if (!model) throw new HttpError({ status: 404, errorType: "ResourceNotFoundException", message: `The model ${modelId} does not exist.` });
    const { inRegion, profile } = catalog.offering(model, region);
    if (operation === "GetFoundationModel") {
      if (!inRegion && !profile) throw new HttpError({ status: 404, errorType: "ResourceNotFoundException", message: `The model ${modelId} is not available in this Region.` });
      return sendJson(res, 200, { modelDetails: catalog.listFoundationModels(region, {}).find((s) => s.modelId === model.bedrockModelId) });
    }
    const denied = peekFaults({ operation: "Converse", modelId: model.bedrockModelId, region }).accessDenied;
    return sendJson(res, 200, {
      modelId: model.bedrockModelId,
      agreementAvailability: { status: "AVAILABLE" },
      authorizationStatus: denied ? "NOT_AUTHORIZED" : "AUTHORIZED",
      entitlementAvailability: inRegion || profile ? "AVAILABLE" : "NOT_AVAILABLE",
      regionAvailability: inRegion || profile ? "AVAILABLE" : "NOT_AVAILABLE",
    });
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string) {
    if (path === "/_simulator/health" && req.method === "GET") return sendJson(res, 200, { status: "ok", models: catalog.models.size, regions: catalog.regions.size });
    if (path === "/_simulator/faults" && req.method === "GET") return sendJson(res, 200, faults);
    if (path === "/_simulator/faults" && req.method === "PUT") {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return sendJson(res, 400, { error: "invalid_json", errors: [{ field: "(body)", reason: "not valid JSON" }] });
      }
      const parsed = parseFaultsConfig(body);
      if (!parsed.ok) return sendJson(res, 400, { error: "invalid_faults", errors: parsed.errors });
      faults = parsed.config;
      hits = new WeakMap();
      random.reset();
      log(`faults replaced: ${faults.rules.length} rule(s)`);
      return sendJson(res, 200, faults);
    }
    if (path === "/_simulator/catalog" && req.method === "PUT") {
      // The models table, in the format of data/bedrock-model-regions.csv; the Regions stay.
      try {
        catalog = new SimulatorCatalog([...catalog.regions.values()], parseModels(await readBody(req)));
      } catch (err) {
        return sendJson(res, 400, { error: "invalid_catalog", errors: [{ field: "(body)", reason: (err as Error).message.slice(0, 300) }] });
      }
      log(`catalog replaced: ${catalog.models.size} models`);
      return sendJson(res, 200, { models: catalog.models.size, regions: catalog.regions.size });
    }
    if (path === "/_simulator/stats" && req.method === "GET") return sendJson(res, 200, stats());
    if (path === "/_simulator/reset" && req.method === "POST") {
      reset();
      return sendJson(res, 200, { status: "reset" });
    }
    return sendJson(res, 404, { error: "not_found" });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://simulator");
    if (url.pathname.startsWith("/_simulator/")) return handleAdmin(req, res, url.pathname);

    const region = regionOf(req);
    if (!region) throw new HttpError({ status: 403, errorType: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
    if (!catalog.regions.has(region)) {
      // Real Bedrock has no endpoint there: the connection fails.
      log(`no Bedrock endpoint in ${region}: dropping the connection`);
      return req.socket.destroy();
    }

    const path = url.pathname.split("/").filter(Boolean);
    const routes: [string, RegExp, Operation][] = [
      ["POST", /^\/model\/[^/]+\/converse$/, "Converse"],
      ["POST", /^\/model\/[^/]+\/converse-stream$/, "ConverseStream"],
      ["POST", /^\/model\/[^/]+\/invoke$/, "InvokeModel"],
      ["GET", /^\/foundation-models$/, "ListFoundationModels"],
      ["GET", /^\/foundation-models\/[^/]+$/, "GetFoundationModel"],
      ["GET", /^\/foundation-model-availability\/[^/]+$/, "GetFoundationModelAvailability"],
      ["GET", /^\/inference-profiles$/, "ListInferenceProfiles"],
      ["POST", /^\/async-invoke$/, "StartAsyncInvoke"],
      ["GET", /^\/async-invoke\/[^/]+$/, "GetAsyncInvoke"],
      ["GET", /^\/async-invoke$/, "ListAsyncInvokes"],
    ];
    const operation = routes.find(([method, pattern]) => method === req.method && pattern.test(url.pathname))?.[2];
    if (!operation) throw new HttpError({ status: 404, errorType: "UnknownOperationException", message: `Unknown operation ${req.method} ${url.pathname}` });
    // The model a call is about, as the caller named it (for the statistics).
    const modelId = path[1] ? decodeURIComponent(path[1]) : "";

    inFlight.set(region, (inFlight.get(region) ?? 0) + 1);
    maxInFlight.set(region, Math.max(maxInFlight.get(region) ?? 0, inFlight.get(region)!));
    // A client that goes away (abort, deadline) stops the simulated work.
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    let outcome = "ok";
    const started = performance.now();
    const clock = { latencyMs: 0 };
    try {
      await requestClock.run(clock, async () => {
        // Every request is signed with a key the simulator knows, as AWS checks.
        const raw = await readBody(req);
        const problem = await checkSignature(req, raw, keys);
        if (problem) throw new HttpError(problem);
        if (peekFaults({ operation, region, modelId: path[1] ? catalog.parseIdentifier(decodeURIComponent(path[1])).modelId : undefined }).expiredToken)
          throw new HttpError({ status: 403, errorType: "ExpiredTokenException", message: "The security token included in the request is expired" });
        if (path[0] === "model") await handleModelOperation(operation, raw, res, region, modelId, gone.signal);
        else if (path[0] === "async-invoke") await handleAsyncInvoke(operation, raw, res, url, region, path, gone.signal);
        else await handleControlPlane(operation, url, res, region, path, gone.signal);
      });
    } catch (err) {
      outcome = err instanceof HttpError ? err.answer.errorType : gone.signal.aborted ? "client-aborted" : "error";
      throw err;
    } finally {
      inFlight.set(region, inFlight.get(region)! - 1);
      count(operation, region, modelId, outcome, { latencyMs: clock.latencyMs, serviceMs: performance.now() - started });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendError(res, err.answer);
      if ((err as Error)?.name === "AbortError") return res.destroy();
      log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
      sendError(res, { status: 500, errorType: "InternalServerException", message: "The server encountered an internal error while processing the request." });
    });
  });
  // Keep-alive connections from SDK clients should not hold a shutdown open.
  server.keepAliveTimeout = 5_000;

  return {
    server,
    stats,
    reset,
    setCatalog(next: SimulatorCatalog) {
      catalog = next;
    },
    setFaults(config: FaultsConfig) {
      faults = config;
      hits = new WeakMap();
      random.reset();
    },
    async listen(port: number, host = "127.0.0.1"): Promise<string> {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      return `http://${host}:${address.port}`;
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
