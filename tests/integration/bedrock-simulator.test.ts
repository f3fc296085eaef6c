// The real AWS SDK (through lib/bedrock) against the simulator over loopback
// HTTP: every operation, answers a certification can check, every error type
// reaching the classifier, the SDK's own retries, streams, aborts, deadlines
// and inference-profile ids.
import { inflateSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand, type ConverseCommandInput, type ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { GetFoundationModelAvailabilityCommand, ListFoundationModelsCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BedrockCallAborted, BedrockCallTimeout, createBedrockClients, withDeadline } from "@/lib/bedrock/clients";
import { classifyBedrockError } from "@/lib/bedrock/classify-error";
import { BUNDLED_MODELS_FILE } from "@/lib/catalog/aws-tables";
import type { FaultRule } from "@/simulator/faults";
import { startSimulator, type TestSimulator } from "../helpers/simulator";

const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"; // in-Region in us-east-1, eu-central-1, ap-northeast-1
const THREE_REGIONS = ["us-east-1", "eu-central-1", "ap-northeast-1"];

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
afterEach(() => sim.simulator.setFaults({ rules: [] }));

const faults = (...rules: FaultRule[]) => sim.simulator.setFaults({ rules });
const userText = (text: string) => ({ role: "user" as const, content: [{ text }] });
const converse = (region: string, input: Partial<ConverseCommandInput> & { messages: ConverseCommandInput["messages"] }, modelId = SONNET) =>
  sim.bedrock.runtime(region).send(new ConverseCommand({ modelId, ...input }));
const textOf = (r: Awaited<ReturnType<typeof converse>>) => r.output?.message?.content?.map((c) => c.text ?? "").join("") ?? "";

async function collect(stream: AsyncIterable<ConverseStreamOutput>) {
  const events: { type: string; value: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  for await (const event of stream) {
    const [type, value] = Object.entries(event).find(([, v]) => v !== undefined)!;
    events.push({ type, value });
  }
  return events;
}

// The SDK's error as thrown, read field by field by the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function errorOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

describe.each(THREE_REGIONS)("Converse in %s answers like a capable model", (region) => {
  it("follows an exact instruction", async () => {
    const r = await converse(region, { messages: [userText('Reply with exactly: "certified-ok-7731"')] });
    expect(textOf(r)).toBe("certified-ok-7731");
    expect(r.stopReason).toBe("end_turn");
  });

  it("does arithmetic and counts tokens consistently", async () => {
    const r = await converse(region, { messages: [userText("What is 48 * 17? Reply with only the number.")] });
    expect(textOf(r)).toBe("816");
    expect(r.usage!.inputTokens! + r.usage!.outputTokens!).toBe(r.usage!.totalTokens);
    expect(r.metrics!.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe("Converse behaviours", () => {
  it("returns JSON that parses and fits the requested schema", async () => {
    const schema = { type: "object", properties: { city: { type: "string" }, population: { type: "integer" }, capital: { type: "boolean" } }, required: ["city", "population", "capital"] };
    const r = await converse("us-east-1", { messages: [userText(`Return only JSON matching this JSON schema: ${JSON.stringify(schema)}. The city is Paris with population 2100000.`)] });
    expect(JSON.parse(textOf(r))).toEqual({ city: "Paris", population: 2100000, capital: true });
  });

  it("calls the tool the tool choice forces, with input fitting its schema", async () => {
    const r = await converse("us-east-1", {
      messages: [userText("What is the weather in Lisbon?")],
      toolConfig: {
        tools: [{ toolSpec: { name: "get_weather", description: "Weather for a city", inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } } }],
        toolChoice: { tool: { name: "get_weather" } },
      },
    });
    expect(r.stopReason).toBe("tool_use");
    const toolUse = r.output!.message!.content![0]!.toolUse!;
    expect(toolUse).toMatchObject({ name: "get_weather", input: { city: "Lisbon" } });
    expect(toolUse.toolUseId).toMatch(/^tooluse_/);
  });

  it("honours the system prompt", async () => {
    const r = await converse("us-east-1", { system: [{ text: 'You are terse. End every reply with "OVER".' }], messages: [userText("What is 2 + 2?")] });
    expect(textOf(r)).toBe("4 OVER");
  });

  it("remembers an earlier turn", async () => {
    const r = await converse("us-east-1", {
      messages: [userText("My favourite colour is teal. Please remember it."), { role: "assistant", content: [{ text: "Noted." }] }, userText("What is my favourite colour?")],
    });
    expect(textOf(r)).toBe("teal");
  });

  it("counts each call's meant latency (what a benchmark's ideal is made of) apart from the time it took", async () => {
    sim.simulator.reset();
    sim.simulator.setFaults({ rules: [{ regions: ["us-east-1"], latency: { firstTokenMs: 120 } }] });
    try {
      await converse("us-east-1", { messages: [userText("Reply with exactly: ok")] });
      await converse("us-east-1", { messages: [userText("Reply with exactly: ok")] });
      const [stat] = sim.simulator.stats().calls.filter((c) => c.region === "us-east-1" && c.operation === "Converse");
      expect(stat).toMatchObject({ count: 2, latencyMs: 240 });
      expect(stat!.serviceMs).toBeGreaterThanOrEqual(240);
    } finally {
      sim.simulator.reset();
    }
  });

  it("stops at maxTokens with stopReason max_tokens", async () => {
    const r = await converse("us-east-1", { messages: [userText("Count from 1 to 500.")], inferenceConfig: { maxTokens: 10 } });
    expect(r.stopReason).toBe("max_tokens");
    expect(r.usage!.outputTokens).toBe(10);
    expect(r.usage!.totalTokens).toBe(r.usage!.inputTokens! + 10);
  });

  it("refuses tool use on a model without it, and Converse on an embedding model", async () => {
    const tools = { tools: [{ toolSpec: { name: "t", inputSchema: { json: { type: "object", properties: {} } } } }], toolChoice: { any: {} } };
    const noTools = await errorOf(converse("us-east-1", { messages: [userText("hi")], toolConfig: tools }, "meta.llama3-8b-instruct-v1:0"));
    expect(noTools).toMatchObject({ name: "ValidationException", message: "This model doesn't support tool use." });
    const embedding = await errorOf(converse("us-east-1", { messages: [userText("hi")] }, "amazon.titan-embed-text-v2:0"));
    expect(classifyBedrockError(embedding, { modelId: "amazon.titan-embed-text-v2:0", region: "us-east-1" }).category).toBe("INVALID_REQUEST");
  });
});

describe("ConverseStream", () => {
  it("sends messageStart, deltas, contentBlockStop, messageStop, then metadata with usage and latency", async () => {
    const prompt = [userText("Count from 1 to 40.")];
    const out = await sim.bedrock.runtime("eu-central-1").send(new ConverseStreamCommand({ modelId: SONNET, messages: prompt }));
    const events = await collect(out.stream!);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("messageStart");
    expect(types.slice(-3)).toEqual(["contentBlockStop", "messageStop", "metadata"]);
    expect(new Set(types.slice(1, -3))).toEqual(new Set(["contentBlockDelta"]));
    const text = events
      .filter((e) => e.type === "contentBlockDelta")
      .map((e) => e.value.delta.text)
      .join("");
    const plain = await converse("eu-central-1", { messages: prompt });
    expect(text).toBe(textOf(plain));
    const meta = events.at(-1)!.value;
    expect(meta.usage.inputTokens + meta.usage.outputTokens).toBe(meta.usage.totalTokens);
    expect(meta.metrics.latencyMs).toBeGreaterThanOrEqual(0);
    expect(events.at(-2)!.value.stopReason).toBe("end_turn");
  });

  it("streams a forced tool call as contentBlockStart, an input delta and stop", async () => {
    const out = await sim.bedrock.runtime("us-east-1").send(
      new ConverseStreamCommand({
        modelId: SONNET,
        messages: [userText("Look up order 42")],
        toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object", properties: { order: { type: "integer" } } } } } }], toolChoice: { any: {} } },
      }),
    );
    const events = await collect(out.stream!);
    expect(events.map((e) => e.type)).toEqual(["messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
    expect(events[1]!.value.start.toolUse.name).toBe("lookup");
    expect(JSON.parse(events[2]!.value.delta.toolUse.input)).toEqual({ order: 42 });
    expect(events[4]!.value.stopReason).toBe("tool_use");
  });

  it("an exception frame mid-stream is thrown from the iterator and classified", async () => {
    faults({ models: [SONNET], streamErrorRate: 1 });
    const out = await sim.bedrock.runtime("us-east-1").send(new ConverseStreamCommand({ modelId: SONNET, messages: [userText("Count from 1 to 100.")] }));
    const seen: string[] = [];
    const err = await errorOf(
      (async () => {
        for await (const e of out.stream!) seen.push(Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined)!);
      })(),
    );
    expect(seen[0]).toBe("messageStart");
    expect(seen).not.toContain("messageStop");
    expect(err.name).toBe("ModelStreamErrorException");
    expect(classifyBedrockError(err, { modelId: SONNET, region: "us-east-1" })).toMatchObject({ category: "MODEL_ERROR", retryable: false });
  });

  it("an abort mid-stream ends the call at once and reaches the server", async () => {
    faults({ models: [SONNET], streamStallRate: 1, streamStallMs: 20_000 });
    const controller = new AbortController();
    const started = Date.now();
    const seen: string[] = [];
    const err = await errorOf(
      withDeadline(
        async (signal) => {
          const out = await sim.bedrock.runtime("us-east-1").send(new ConverseStreamCommand({ modelId: SONNET, messages: [userText("Count from 1 to 200.")] }), { abortSignal: signal });
          for await (const e of out.stream!) {
            seen.push(Object.keys(e)[0]!);
            if (seen.length === 2) setTimeout(() => controller.abort(), 50);
          }
        },
        { timeoutMs: 10_000, signal: controller.signal },
      ),
    );
    expect(err).toBeInstanceOf(BedrockCallAborted);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(classifyBedrockError(err, { modelId: SONNET, region: "us-east-1" })).toMatchObject({ category: "CANCELLED", retryable: false });
    await expect.poll(() => sim.simulator.stats().calls.find((c) => c.operation === "ConverseStream" && c.outcome === "client-aborted")?.count).toBe(1);
  });
});

describe("errors reach the classifier with the right category and retry flag", () => {
  const cases: { name: string; rule: FaultRule; errorName: string; category: string; retryable: boolean }[] = [
    { name: "access denied", rule: { accessDenied: true }, errorName: "AccessDeniedException", category: "ACCESS_DENIED", retryable: false },
    // Converse models no quota error: Bedrock says it with a throttle.
    { name: "quota exceeded", rule: { quotaExceededRate: 1 }, errorName: "ThrottlingException", category: "QUOTA_EXCEEDED", retryable: true },
    { name: "model not ready", rule: { notReadyRate: 1 }, errorName: "ModelNotReadyException", category: "MODEL_NOT_READY", retryable: true },
    { name: "model timeout", rule: { modelTimeoutRate: 1 }, errorName: "ModelTimeoutException", category: "MODEL_TIMEOUT", retryable: true },
    { name: "model error", rule: { modelErrorRate: 1 }, errorName: "ModelErrorException", category: "MODEL_ERROR", retryable: false },
    { name: "service unavailable", rule: { serviceUnavailableRate: 1 }, errorName: "ServiceUnavailableException", category: "SERVICE_UNAVAILABLE", retryable: true },
    { name: "internal server error", rule: { internalErrorRate: 1 }, errorName: "InternalServerException", category: "SERVICE_UNAVAILABLE", retryable: true },
    { name: "throttling", rule: { throttleRate: 1 }, errorName: "ThrottlingException", category: "THROTTLED", retryable: true },
  ];
  it.each(cases)("$name", async ({ rule, errorName, category, retryable }) => {
    faults({ models: [SONNET], regions: ["eu-central-1"], ...rule });
    const err = await errorOf(converse("eu-central-1", { messages: [userText("hi")] }));
    expect(err.name).toBe(errorName);
    const c = classifyBedrockError(err, { modelId: SONNET, region: "eu-central-1" });
    expect(c).toMatchObject({ category, retryable, awsErrorName: errorName });
    expect(c.message.length).toBeGreaterThan(20);
    // Faults are scoped: the same model elsewhere is fine.
    expect(textOf(await converse("us-east-1", { messages: [userText('Reply with exactly: "fine"')] }))).toBe("fine");
  });

  it("not offered in the Region", async () => {
    const err = await errorOf(converse("sa-east-1", { messages: [userText("hi")] }));
    expect(err).toMatchObject({ name: "ValidationException", message: "The provided model identifier is invalid." });
    expect(classifyBedrockError(err, { modelId: SONNET, region: "sa-east-1" })).toMatchObject({ category: "NOT_OFFERED_IN_REGION", retryable: false });
  });

  it("reachable only through an inference profile", async () => {
    const err = await errorOf(converse("us-east-2", { messages: [userText("hi")] }));
    expect(err.name).toBe("ValidationException");
    expect(err.message).toMatch(/on-demand throughput isn.t supported/);
    const c = classifyBedrockError(err, { modelId: SONNET, region: "us-east-2" });
    expect(c).toMatchObject({ category: "INFERENCE_PROFILE_REQUIRED", retryable: false });
    expect(c.message).toContain(`us.${SONNET}`);
  });

  it("legacy or end of life", async () => {
    const err = await errorOf(converse("us-east-1", { messages: [userText("hi")] }, "anthropic.claude-3-haiku-20240307-v1:0"));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(classifyBedrockError(err, { modelId: "x", region: "us-east-1" })).toMatchObject({ category: "MODEL_END_OF_LIFE", retryable: false });
  });

  it("invalid request", async () => {
    const err = await errorOf(converse("us-east-1", { messages: [{ role: "assistant", content: [{ text: "I speak first" }] }] }));
    expect(classifyBedrockError(err, { modelId: SONNET, region: "us-east-1" })).toMatchObject({ category: "INVALID_REQUEST", retryable: false });
  });

  it("network: nothing listens at the endpoint", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const clients = createBedrockClients({
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "simulator", secretAccessKey: "simulator" },
      callTimeoutMs: 2_000,
      connectTimeoutMs: 500,
      sdkMaxAttempts: 1,
    });
    const err = await errorOf(clients.runtime("us-east-1").send(new ConverseCommand({ modelId: SONNET, messages: [userText("hi")] })));
    clients.destroy();
    expect(classifyBedrockError(err, { modelId: SONNET, region: "us-east-1" })).toMatchObject({ category: "NETWORK", retryable: true });
  });

  it("our deadline: a hung call ends at the deadline as TIMEOUT", async () => {
    faults({ models: [SONNET], hangRate: 1, hangMs: 10_000 });
    const started = Date.now();
    const call = (signal: AbortSignal) => sim.bedrock.runtime("us-east-1").send(new ConverseCommand({ modelId: SONNET, messages: [userText("hi")] }), { abortSignal: signal });
    const err = await errorOf(withDeadline(call, { timeoutMs: 300 }));
    expect(err).toBeInstanceOf(BedrockCallTimeout);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(classifyBedrockError(err, { modelId: SONNET, region: "us-east-1" })).toMatchObject({ category: "TIMEOUT", retryable: true });
  });
});

describe("the SDK's own retries", () => {
  it("retries throttling up to its attempt limit, then surfaces it", async () => {
    faults({ models: [SONNET], regions: ["ap-northeast-1"], throttleRate: 1 });
    // This call's own throttles (the statistics hold every earlier test's calls
    // too), waited for rather than read once: the simulator counts a call in
    // its own request handler, not when the client sees the answer.
    const throttled = () =>
      sim.simulator
        .stats()
        .calls.filter((c) => c.operation === "Converse" && c.region === "ap-northeast-1" && c.modelId === SONNET && c.outcome === "ThrottlingException")
        .reduce((n, c) => n + c.count, 0);
    const before = throttled();
    const err = await errorOf(converse("ap-northeast-1", { messages: [userText("hi")] }));
    expect(err.name).toBe("ThrottlingException");
    expect(err.$metadata.attempts).toBe(3);
    await expect.poll(() => throttled() - before).toBe(3);
  });

  it("a throttled call that succeeds on retry returns the answer", async () => {
    faults({ models: [SONNET], regions: ["eu-central-1"], throttleRate: 0.5 });
    const attempts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await converse("eu-central-1", { messages: [userText("What is 1 + 1?")] }).catch((e) => e);
      if (r.output) {
        expect(textOf(r)).toBe("2");
        attempts.push(r.$metadata.attempts);
      }
    }
    expect(attempts.some((a) => a > 1)).toBe(true);
  });

  it("does not retry what cannot succeed (access denied)", async () => {
    faults({ models: [SONNET], accessDenied: true });
    const err = await errorOf(converse("us-east-1", { messages: [userText("hi")] }));
    expect(err.$metadata.attempts).toBe(1);
  });

  it("fault draws are reproducible with a seed", async () => {
    const run = async () => {
      sim.simulator.setFaults({ rules: [{ models: [SONNET], throttleRate: 0.4 }] });
      const clients = createBedrockClients({
        endpoint: sim.url,
        credentials: { accessKeyId: "simulator", secretAccessKey: "simulator" },
        callTimeoutMs: 5_000,
        connectTimeoutMs: 500,
        sdkMaxAttempts: 1,
      });
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await clients
            .runtime("us-east-1")
            .send(new ConverseCommand({ modelId: SONNET, messages: [userText("hi")] }))
            .then(
              () => "ok",
              (e) => e.name,
            ),
        );
      }
      clients.destroy();
      return outcomes;
    };
    const first = await run();
    expect(first).toContain("ThrottlingException");
    expect(first).toContain("ok");
    expect(await run()).toEqual(first);
  });
});

describe("inference-profile ids", () => {
  const msg = { messages: [userText('Reply with exactly: "via-profile"')] };
  it("a geo profile works where the table lists it; the wrong geography or scope does not", async () => {
    expect(textOf(await converse("us-east-2", msg, `us.${SONNET}`))).toBe("via-profile");
    expect(textOf(await converse("eu-west-1", msg, `eu.${SONNET}`))).toBe("via-profile");
    expect((await errorOf(converse("us-east-2", msg, `eu.${SONNET}`))).message).toBe("The provided model identifier is invalid.");
    expect((await errorOf(converse("us-east-2", msg, `global.${SONNET}`))).name).toBe("ValidationException");
  });

  it("a global profile and ARN forms work", async () => {
    const sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    expect(textOf(await converse("us-west-1", msg, `global.${sonnet45}`))).toBe("via-profile");
    expect(textOf(await converse("us-west-1", msg, `arn:aws:bedrock:us-west-1:123456789012:inference-profile/us.${sonnet45}`))).toBe("via-profile");
    expect(textOf(await converse("us-east-1", msg, `arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`))).toBe("via-profile");
  });
});

describe("InvokeModel", () => {
  const invoke = async (region: string, modelId: string, body: unknown) => {
    const out = await sim.bedrock.runtime(region).send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: "application/json", accept: "application/json" }));
    return JSON.parse(new TextDecoder().decode(out.body));
  };

  it("embeds with the model's dimension, deterministically and normalised", async () => {
    const a = await invoke("us-east-1", "amazon.titan-embed-text-v2:0", { inputText: "The quick brown fox" });
    expect(a.embedding).toHaveLength(1024);
    expect(Math.hypot(...a.embedding)).toBeCloseTo(1, 4);
    expect((await invoke("us-east-1", "amazon.titan-embed-text-v2:0", { inputText: "The quick brown fox" })).embedding).toEqual(a.embedding);
    expect((await invoke("us-east-1", "amazon.titan-embed-text-v2:0", { inputText: "Another text" })).embedding).not.toEqual(a.embedding);
    expect((await invoke("us-east-1", "amazon.titan-embed-text-v2:0", { inputText: "x", dimensions: 256 })).embedding).toHaveLength(256);
    const cohere = await invoke("eu-west-1", "cohere.embed-english-v3", { texts: ["a", "b"], input_type: "search_document" });
    expect(cohere.embeddings).toHaveLength(2);
    expect(cohere.embeddings[0]).toHaveLength(1024);
  });

  it("generates a decodable PNG image", async () => {
    const out = await invoke("us-west-2", "amazon.titan-image-generator-v2:0", {
      taskType: "TEXT_IMAGE",
      textToImageParams: { text: "a lighthouse" },
      imageGenerationConfig: { width: 64, height: 48, numberOfImages: 1 },
    });
    const png = Buffer.from(out.images[0], "base64");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(64);
    expect(png.readUInt32BE(20)).toBe(48);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString("ascii")).toBe("IDAT");
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength((64 * 3 + 1) * 48);
  });

  it("rejects a body the model cannot read", async () => {
    const err = await errorOf(invoke("us-east-1", "amazon.titan-embed-text-v2:0", { prompt: 3 }));
    expect(err.name).toBe("ValidationException");
  });
});

describe("control plane", () => {
  it("ListFoundationModels lists in-Region and profile-only models with filters", async () => {
    const control = sim.bedrock.control("us-east-2");
    const all = (await control.send(new ListFoundationModelsCommand({}))).modelSummaries!;
    expect(all.find((m) => m.modelId === SONNET)).toMatchObject({ inferenceTypesSupported: ["INFERENCE_PROFILE"], modelLifecycle: { status: "ACTIVE" } });
    expect(all.find((m) => m.modelId === "amazon.titan-embed-text-v2:0")).toMatchObject({ inferenceTypesSupported: ["ON_DEMAND"], outputModalities: ["EMBEDDING"], responseStreamingSupported: false });
    const anthropic = (await control.send(new ListFoundationModelsCommand({ byProvider: "anthropic" }))).modelSummaries!;
    expect(anthropic.length).toBeGreaterThan(0);
    expect(anthropic.every((m) => m.providerName === "Anthropic")).toBe(true);
    const embeddings = (await control.send(new ListFoundationModelsCommand({ byOutputModality: "EMBEDDING" }))).modelSummaries!;
    expect(embeddings.every((m) => m.outputModalities!.includes("EMBEDDING"))).toBe(true);
    const onDemand = (await control.send(new ListFoundationModelsCommand({ byInferenceType: "ON_DEMAND" }))).modelSummaries!;
    expect(onDemand.length).toBe(all.filter((m) => m.inferenceTypesSupported!.includes("ON_DEMAND")).length);
  });

  it("ListInferenceProfiles pages through the Region's system profiles", async () => {
    const control = sim.bedrock.control("us-east-1");
    const ids: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await control.send(new ListInferenceProfilesCommand({ maxResults: 10, nextToken }));
      ids.push(...page.inferenceProfileSummaries!.map((p) => p.inferenceProfileId!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThan(1);
    expect(ids).toContain("global.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(ids).toContain("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("GetFoundationModelAvailability says where a model is available and authorised", async () => {
    const available = await sim.bedrock.control("eu-central-1").send(new GetFoundationModelAvailabilityCommand({ modelId: SONNET }));
    expect(available).toMatchObject({ regionAvailability: "AVAILABLE", authorizationStatus: "AUTHORIZED" });
    const elsewhere = await sim.bedrock.control("sa-east-1").send(new GetFoundationModelAvailabilityCommand({ modelId: SONNET }));
    expect(elsewhere.regionAvailability).toBe("NOT_AVAILABLE");
    faults({ models: [SONNET], regions: ["eu-central-1"], accessDenied: true });
    const denied = await sim.bedrock.control("eu-central-1").send(new GetFoundationModelAvailabilityCommand({ modelId: SONNET }));
    expect(denied.authorizationStatus).toBe("NOT_AUTHORIZED");
  });
});

describe("admin endpoint", () => {
  it("rejects invalid faults with the field and reason, and applies valid ones", async () => {
    const bad = await fetch(`${sim.url}/_simulator/faults`, { method: "PUT", body: JSON.stringify({ rules: [{ throttleRate: 2, bogus: true }] }) });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: "rules.0.throttleRate" })]));
    const ok = await fetch(`${sim.url}/_simulator/faults`, { method: "PUT", body: JSON.stringify({ rules: [{ models: ["anthropic.*"], regions: ["us-east-1"], accessDenied: true }] }) });
    expect(ok.status).toBe(200);
    expect((await errorOf(converse("us-east-1", { messages: [userText("hi")] }))).name).toBe("AccessDeniedException");
  });

  it("replaces the catalog while it runs, and refuses a table it cannot read without changing anything", async () => {
    const control = sim.bedrock.control("us-east-1");
    const before = (await control.send(new ListFoundationModelsCommand({}))).modelSummaries!.length;
    const bad = await fetch(`${sim.url}/_simulator/catalog`, { method: "PUT", body: "provider,model_name\nonly,two" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].field).toBe("(body)");
    expect((await control.send(new ListFoundationModelsCommand({}))).modelSummaries!.length).toBe(before);

    const csv = readFileSync(BUNDLED_MODELS_FILE, "utf8") + "Mistral AI,Mistral Next,mistral.next-v1:0,Text,Text,Yes,us-east-1,,test\r\n";
    const ok = await fetch(`${sim.url}/_simulator/catalog`, { method: "PUT", body: csv });
    expect(ok.status).toBe(200);
    const after = (await control.send(new ListFoundationModelsCommand({}))).modelSummaries!;
    expect(after.length).toBe(before + 1);
    expect(after.find((m) => m.modelId === "mistral.next-v1:0")).toMatchObject({ providerName: "Mistral AI", inferenceTypesSupported: ["ON_DEMAND"] });
    expect((await sim.bedrock.control("eu-west-1").send(new ListFoundationModelsCommand({}))).modelSummaries!.some((m) => m.modelId === "mistral.next-v1:0")).toBe(false);
    await fetch(`${sim.url}/_simulator/catalog`, { method: "PUT", body: readFileSync(BUNDLED_MODELS_FILE, "utf8") });
  });
});
