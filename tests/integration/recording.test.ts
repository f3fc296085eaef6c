// BEDROCK_RECORD_DIR: the product's own clients write every exchange in
// data/aws-wire/'s format, streams with their exact bytes, and no credential.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBedrockClients, type BedrockClients } from "@/lib/bedrock/clients";
import { decodeFrames } from "@/lib/bedrock/recording";
import { readStream } from "@/lib/certification/battery/converse-answer";
import { startSimulator, type TestSimulator } from "../helpers/simulator";

let sim: TestSimulator;
let clients: BedrockClients;
const dir = mkdtempSync(path.join(tmpdir(), "bedrock-record-"));

beforeAll(async () => {
  sim = await startSimulator();
  clients = createBedrockClients({
    endpoint: sim.url,
    credentials: { accessKeyId: "simulator", secretAccessKey: "simulator" },
    callTimeoutMs: 5_000,
    connectTimeoutMs: 1_000,
    sdkMaxAttempts: 1,
    recordDir: dir,
  });
});
afterAll(async () => {
  clients.destroy();
  await sim.close();
});

type Recorded = {
  request: { method: string; uri: string; operation: string; model: string; body: unknown; headers: Record<string, string> };
  response: { status: number; headers: Record<string, string>; kind: string; body: unknown; raw_b64?: string };
};
const recorded = () =>
  readdirSync(dir)
    .sort()
    .map((f) => ({ file: f, text: readFileSync(path.join(dir, f), "utf8") }));

it("writes Converse, ConverseStream and InvokeModel exchanges as data/aws-wire/ has them, with no credential", async () => {
  const runtime = clients.runtime("us-east-1");
  const model = "amazon.nova-micro-v1:0";
  await runtime.send(new ConverseCommand({ modelId: model, messages: [{ role: "user", content: [{ text: 'Reply with exactly: "REC-1"' }] }] }));
  const streamed = await runtime.send(new ConverseStreamCommand({ modelId: model, messages: [{ role: "user", content: [{ text: "Count from 1 to 12, separated by commas." }] }] }));
  const stats = await readStream(streamed.stream!, performance.now());
  await runtime.send(new InvokeModelCommand({ modelId: "amazon.titan-embed-text-v2:0", contentType: "application/json", body: JSON.stringify({ inputText: "hello" }) }));

  const files = recorded();
  expect(files).toHaveLength(3);
  for (const f of files) {
    expect(f.text).not.toMatch(/Signature=|AWS4-HMAC-SHA256|authorization/i);
  }
  const [converse, stream, invoke] = files.map((f) => JSON.parse(f.text) as Recorded);
  expect(converse!.request).toMatchObject({ method: "POST", operation: "converse", model, body: { messages: [{ role: "user" }] } });
  expect(converse!.response).toMatchObject({ status: 200, kind: "json", body: { stopReason: "end_turn", output: { message: { content: [{ text: "REC-1" }] } } } });
  // The stream: its exact bytes, which decode to the frames listed and to the text the SDK read.
  expect(stream!.request.operation).toBe("converse-stream");
  expect(stream!.response.kind).toBe("stream");
  const frames = decodeFrames(Buffer.from(stream!.response.raw_b64!, "base64"));
  expect(frames).toEqual(stream!.response.body);
  const text = frames.map((f) => (f.payload as { delta?: { text?: string } }).delta?.text ?? "").join("");
  expect(text).toBe(stats.text);
  expect(frames[0]!.headers[":event-type"]).toBe("messageStart");
  expect(invoke!.request).toMatchObject({ operation: "invoke", model: "amazon.titan-embed-text-v2:0", body: { inputText: "hello" } });
  expect((invoke!.response.body as { embedding: number[] }).embedding).toHaveLength(1024);
  expect(invoke!.response.headers["x-amzn-bedrock-invocation-latency"]).toMatch(/^\d+$/);
});
