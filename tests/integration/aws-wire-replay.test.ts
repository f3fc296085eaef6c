// Real Amazon Bedrock traffic is the contract. Every exchange recorded against
// AWS in data/aws-wire/ (19, from pydantic-ai's test suite: its README says
// what each shows) is answered by a loopback server with the recorded status,
// headers and body (for streams the exact bytes AWS sent, CRCs included) and
// read by the product's own SDK clients (lib/bedrock/clients.ts) and the
// battery's own parsing: the text, the reasoning, tool calls, the stop reason,
// usage that adds up, vectors of the documented dimension, the error category.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand, type ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBedrockClients, type BedrockClients } from "@/lib/bedrock/clients";
import { classifyBedrockError } from "@/lib/bedrock/classify-error";
import { embeddingDimensionSpec } from "@/lib/catalog/embedding-dimensions";
import { hasReasoning, readStream, textOf, usageAddsUp } from "@/lib/certification/battery/converse-answer";
import { vectorOf } from "@/lib/certification/battery/embedding";

type Exchange = {
  source: string;
  request: { method: string; uri: string; operation: "converse" | "converse-stream" | "invoke"; model: string; body: Record<string, unknown> };
  response: { status: number; headers: Record<string, string>; kind: string; body: unknown; raw_b64?: string };
};

const DIR = path.join(import.meta.dirname, "../../data/aws-wire");
const exchanges = new Map(
  readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Exchange]),
);

let current: Exchange | null = null;
let requested: { method: string; path: string } | null = null;
let server: Server;
let bedrock: BedrockClients;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const e = current!;
      requested = { method: req.method!, path: req.url! };
      const headers = { ...e.response.headers };
      delete headers["content-length"];
      delete headers["transfer-encoding"];
      // The recorder dropped x-amzn-errortype; AWS sends it with every error,
      // in its coral form (data/aws-wire/README.md). Put it back as AWS sends it.
      if (e.response.status >= 400) headers["x-amzn-errortype"] = "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/";
      const bytes = e.response.raw_b64 ? Buffer.from(e.response.raw_b64, "base64") : Buffer.from(JSON.stringify(e.response.body));
      res.writeHead(e.response.status, { ...headers, "content-length": bytes.length });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  bedrock = createBedrockClients({
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "replay", secretAccessKey: "replay" },
    callTimeoutMs: 5_000,
    connectTimeoutMs: 1_000,
    sdkMaxAttempts: 1,
  });
});

afterAll(async () => {
  bedrock.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// Sends the recorded request through the product's client, with AWS's answer waiting.
async function replay(name: string) {
  const e = exchanges.get(name);
  if (!e) throw new Error(`no recorded exchange ${name}`);
  current = e;
  const client = bedrock.runtime("us-east-1");
  const input = { modelId: e.request.model, ...e.request.body } as ConverseCommandInput;
  const sent = async <T>(p: Promise<T>) => {
    const out = await p;
    // The same operation on the same model as AWS was asked.
    expect(requested).toEqual({ method: "POST", path: new URL(e.request.uri).pathname });
    return out;
  };
  return { e, client, input, sent };
}

describe("Converse: AWS's answers read by the battery", () => {
  const cases: { name: string; text: RegExp | ""; stopReason: string; reasoning: boolean; tool?: string }[] = [
    { name: "model", text: /^Hello! How can I assist you today\?/, stopReason: "end_turn", reasoning: false },
    { name: "model_max_tokens", text: /^The capital of France is$/, stopReason: "max_tokens", reasoning: false },
    { name: "cache_usage_includes_cache_tokens", text: /^5$/, stopReason: "end_turn", reasoning: false },
    { name: "model_thinking_part_deepseek", text: /Crossing the street safely/, stopReason: "end_turn", reasoning: true },
    { name: "thinking_high_qwen_variant", text: "", stopReason: "end_turn", reasoning: true },
    { name: "moonshotai_tool_call", text: "", stopReason: "tool_use", reasoning: true, tool: "get_temperature" },
    { name: "native_output_mistral", text: /^\{ "city": "Paris", "country": "France", "population": \d+ \}$/, stopReason: "end_turn", reasoning: false },
  ];
  it.each(cases)("$name", async ({ name, text, stopReason, reasoning, tool }) => {
    const { client, input, sent } = await replay(name);
    const out = await sent(client.send(new ConverseCommand(input)));
    if (text === "") expect(textOf(out)).toBe("");
    else expect(textOf(out)).toMatch(text);
    expect(out.stopReason).toBe(stopReason);
    expect(hasReasoning(out)).toBe(reasoning);
    // Token counts that add up, cached input included (1,504 read in the cache case).
    expect(usageAddsUp(out.usage!)).toBe(true);
    expect(out.metrics?.latencyMs).toBeGreaterThan(0);
    if (tool) expect(out.output?.message?.content?.find((c) => c.toolUse)?.toolUse).toMatchObject({ name: tool, input: { city: "London" } });
  });

  it("the cached-input exchange would not add up without its cache tokens", async () => {
    const { client, input, sent } = await replay("cache_usage_includes_cache_tokens");
    const out = await sent(client.send(new ConverseCommand(input)));
    expect(out.usage).toMatchObject({ inputTokens: 13, outputTokens: 5, cacheReadInputTokens: 1504, totalTokens: 1522 });
    expect(usageAddsUp({ ...out.usage!, cacheReadInputTokens: 0 })).toBe(false);
  });
});

describe("ConverseStream: AWS's exact bytes read by the battery", () => {
  const cases: { name: string; text: RegExp | ""; stopReason: string; reasoning: boolean; tools?: string[]; usageAddsUp: boolean }[] = [
    { name: "model_stream", text: /^The capital of France is Paris\./, stopReason: "end_turn", reasoning: false, usageAddsUp: true },
    { name: "model_stream_empty_text_delta", text: /^Hello! How can I help you today\?$/, stopReason: "end_turn", reasoning: true, usageAddsUp: true },
    { name: "model_thinking_part_stream", text: /^Hello! It's nice to meet you/, stopReason: "end_turn", reasoning: true, usageAddsUp: true },
    { name: "model_thinking_part_redacted_stream", text: /^I notice you've sent/, stopReason: "end_turn", reasoning: true, usageAddsUp: true },
    { name: "model_code_execution_tool_stream", text: "", stopReason: "tool_use", reasoning: false, tools: ["nova_code_interpreter", "final_result"], usageAddsUp: true },
  ];
  it.each(cases)("$name", async ({ name, text, stopReason, reasoning, tools, usageAddsUp: adds }) => {
    const { client, input, sent } = await replay(name);
    const started = performance.now();
    const out = await sent(client.send(new ConverseStreamCommand(input)));
    const stats = await readStream(out.stream!, started);
    expect(stats.order[0]).toBe("messageStart");
    expect(stats.order.at(-1)).toBe("metadata");
    expect(stats.order.indexOf("messageStop")).toBeGreaterThan(stats.order.lastIndexOf("contentBlockStop"));
    if (text === "") expect(stats.text.trim()).toBe("");
    else expect(stats.text).toMatch(text);
    expect(stats.stopReason).toBe(stopReason);
    expect(stats.reasoning).toBe(reasoning);
    if (tools) expect(stats.toolUses.map((t) => t.name)).toEqual(tools);
    expect(usageAddsUp(stats.usage!)).toBe(adds);
    // The first token is any content (reasoning first for a reasoning model); text comes at or after it.
    expect(stats.ttftMs).not.toBeNull();
    if (text !== "") expect(stats.timeToFirstTextMs!).toBeGreaterThanOrEqual(stats.ttftMs!);
  });
});

describe("InvokeModel: each provider's embedding, of the dimension AWS documents", () => {
  const cases = [
    { name: "embed_titan_v1_minimal", model: "amazon.titan-embed-text-v1", dimension: 1536 },
    { name: "embed_titan_v2_minimal", model: "amazon.titan-embed-text-v2:0", dimension: 1024 },
    { name: "embed_cohere_v3_minimal", model: "cohere.embed-english-v3", dimension: 1024 },
    { name: "embed_cohere_v4_minimal", model: "cohere.embed-v4:0", dimension: 1536 },
    { name: "embed_nova_minimal", model: "amazon.nova-2-multimodal-embeddings-v1:0", dimension: 3072 },
  ];
  it.each(cases)("$name", async ({ name, model, dimension }) => {
    const { e, client, sent } = await replay(name);
    const out = await sent(client.send(new InvokeModelCommand({ modelId: e.request.model, contentType: "application/json", accept: "application/json", body: JSON.stringify(e.request.body) })));
    const vector = vectorOf(JSON.parse(new TextDecoder().decode(out.body)));
    expect(vector?.length).toBe(dimension);
    expect(vector!.every((x) => typeof x === "number" && Number.isFinite(x))).toBe(true);
    // The product's dimension table agrees with what AWS really returned.
    expect(embeddingDimensionSpec(model)?.default).toBe(dimension);
  });
});

describe("errors: AWS's refusal classified as the admin needs it", () => {
  it.each(["error", "streaming_error"])("%s: an invalid model identifier is 'not offered in the Region'", async (name) => {
    const { e, client, input, sent } = await replay(name);
    const command = e.request.operation === "converse" ? new ConverseCommand(input) : new ConverseStreamCommand(input);
    const err = await sent(
      client.send(command as ConverseCommand).then(
        () => null,
        (x: unknown) => x,
      ),
    );
    expect(err).toMatchObject({ name: "ValidationException", message: "The provided model identifier is invalid.", $metadata: { httpStatusCode: 400 } });
    expect(classifyBedrockError(err, { modelId: e.request.model, region: "us-east-1" }).category).toBe("NOT_OFFERED_IN_REGION");
  });
});

it("covers every recorded exchange", () => {
  expect([...exchanges.keys()].sort()).toHaveLength(19);
});
