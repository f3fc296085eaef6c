// The simulator held to AWS's own shapes: every response of every operation,
// every event of a stream, every error, checked against the published service
// models (simulator/aws/*.json) on the wire, not through the SDK (which would
// quietly drop what it does not know).
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultRule } from "@/simulator/faults";
import { errorOf, eventShape, serviceModel, validateShape } from "../helpers/aws-shapes";
import { signedFetch, startSimulator, type TestSimulator } from "../helpers/simulator";

const runtime = serviceModel("bedrock-runtime");
const control = serviceModel("bedrock");
const TEXT = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const EMBEDDING = "amazon.titan-embed-text-v2:0";
const IMAGE = "amazon.titan-image-generator-v2:0";
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.simulator.reset());

// A request as the SDK sends it: the Region comes from the SigV4 scope.
async function call(method: string, path: string, body?: unknown, region = "us-east-1") {
  const res = await signedFetch(sim.url, method, path, body === undefined ? undefined : JSON.stringify(body), region);
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
// AWS names the error type in its coral form, "Name:http://internal.amazon.com/coral/com.amazon.bedrock/":
// the name is what comes before the first colon (what the SDK reads).
function errorType(headers: Headers): string {
  const raw = headers.get("x-amzn-errortype")!;
  expect(raw).toMatch(/^\w+:http:\/\/internal\.amazon\.com\/coral\/com\.amazon\.bedrock\/$/);
  return raw.split(":")[0]!;
}
const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

const codec = new EventStreamCodec(toUtf8, fromUtf8);
function frames(bytes: Uint8Array) {
  const out: { messageType: string; type: string; payload: unknown }[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    const message = codec.decode(bytes.subarray(at, at + length));
    const h = (k: string) => message.headers[k]?.value as string | undefined;
    out.push({ messageType: h(":message-type")!, type: h(":event-type") ?? h(":exception-type")!, payload: JSON.parse(toUtf8(message.body)) });
    at += length;
  }
  return out;
}

const converseBody = (text: string, extra: Record<string, unknown> = {}) => ({ messages: [{ role: "user", content: [{ text }] }], inferenceConfig: { maxTokens: 64 }, ...extra });
const toolConfig = {
  tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } } }],
  toolChoice: { tool: { name: "get_weather" } },
};

describe("successful responses fit their output shapes", () => {
  it("Converse: text, a forced tool call, max_tokens", async () => {
    for (const body of [
      converseBody('Reply with exactly: "X-1"'),
      converseBody("Weather in Lisbon?", { toolConfig }),
      converseBody("Count from 1 to 500, separated by commas.", { inferenceConfig: { maxTokens: 8 } }),
    ]) {
      const r = await call("POST", `/model/${encodeURIComponent(TEXT)}/converse`, body);
      expect(r.status).toBe(200);
      expect(validateShape(runtime, runtime.operations.Converse!.output!.shape, json(r.bytes))).toEqual([]);
    }
  });

  it("ConverseStream: every event fits its member of ConverseStreamOutput, text and tool use", async () => {
    for (const body of [converseBody("Count from 1 to 20, separated by commas."), converseBody("Weather in Lisbon?", { toolConfig })]) {
      const r = await call("POST", `/model/${encodeURIComponent(TEXT)}/converse-stream`, body);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
      const events = frames(r.bytes);
      expect(events.map((e) => e.type)).toContain("metadata");
      for (const e of events) {
        expect(e.messageType).toBe("event");
        const shape = eventShape(runtime, "ConverseStreamOutput", e.type);
        expect(shape, e.type).toBeDefined();
        expect(validateShape(runtime, shape!, e.payload, e.type)).toEqual([]);
      }
    }
  });

  it("InvokeModel: an embedding and an image, with the content type header", async () => {
    for (const [model, body] of [
      [EMBEDDING, { inputText: "hello" }],
      [IMAGE, { taskType: "TEXT_IMAGE", textToImageParams: { text: "a kite" }, imageGenerationConfig: { width: 64, height: 64 } }],
    ] as const) {
      const r = await call("POST", `/model/${encodeURIComponent(model)}/invoke`, body);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/json");
    }
  });

  it("asynchronous invocation (video): StartAsyncInvoke, GetAsyncInvoke until Completed, ListAsyncInvokes", async () => {
    const start = await call("POST", "/async-invoke", {
      modelId: "amazon.nova-reel-v1:0",
      modelInput: { taskType: "TEXT_VIDEO", textToVideoParams: { text: "a kite" } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://bucket-of-tests/videos" } },
    });
    expect(start.status).toBe(200);
    const started = json(start.bytes) as { invocationArn: string };
    expect(validateShape(runtime, runtime.operations.StartAsyncInvoke!.output!.shape, started)).toEqual([]);
    let status = "InProgress";
    while (status === "InProgress") {
      const got = await call("GET", `/async-invoke/${encodeURIComponent(started.invocationArn)}`);
      const body = json(got.bytes) as { status: string };
      expect(validateShape(runtime, runtime.operations.GetAsyncInvoke!.output!.shape, body)).toEqual([]);
      status = body.status;
      if (status === "InProgress") await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("Completed");
    const list = await call("GET", "/async-invoke");
    expect(validateShape(runtime, runtime.operations.ListAsyncInvokes!.output!.shape, json(list.bytes))).toEqual([]);
  });

  it("the control plane: ListFoundationModels, GetFoundationModel, GetFoundationModelAvailability, ListInferenceProfiles", async () => {
    const cases: [string, string][] = [
      ["ListFoundationModels", "/foundation-models"],
      ["GetFoundationModel", `/foundation-models/${encodeURIComponent(TEXT)}`],
      ["GetFoundationModelAvailability", `/foundation-model-availability/${encodeURIComponent(TEXT)}`],
      ["ListInferenceProfiles", "/inference-profiles"],
    ];
    for (const [operation, path] of cases) {
      for (const region of ["us-east-1", "eu-west-1"]) {
        const r = await call("GET", path, undefined, region);
        expect(r.status, `${operation} ${region}`).toBe(200);
        expect(validateShape(control, control.operations[operation]!.output!.shape, json(r.bytes), operation)).toEqual([]);
      }
    }
  });
});

describe("errors are the operation's own, with AWS's status and shape", () => {
  const FAULTS: [string, FaultRule][] = [
    ["access denied", { accessDenied: true }],
    ["throttling", { throttleRate: 1 }],
    ["quota", { quotaExceededRate: 1 }],
    ["not ready", { notReadyRate: 1 }],
    ["model timeout", { modelTimeoutRate: 1 }],
    ["model error", { modelErrorRate: 1 }],
    ["service unavailable", { serviceUnavailableRate: 1 }],
    ["internal error", { internalErrorRate: 1 }],
  ];
  const OPERATIONS: [string, string, unknown][] = [
    ["Converse", `/model/${encodeURIComponent(TEXT)}/converse`, converseBody("hi")],
    ["ConverseStream", `/model/${encodeURIComponent(TEXT)}/converse-stream`, converseBody("hi")],
    ["InvokeModel", `/model/${encodeURIComponent(EMBEDDING)}/invoke`, { inputText: "hi" }],
  ];
  for (const [name, rule] of FAULTS) {
    it(`${name}: listed for Converse, ConverseStream and InvokeModel, with the modelled status`, async () => {
      sim.simulator.setFaults({ rules: [rule] });
      for (const [operation, path, body] of OPERATIONS) {
        const r = await call("POST", path, body);
        const type = errorType(r.headers);
        const modelled = errorOf(runtime, operation, type);
        expect(modelled.listed, `${operation} answers ${type}, which it does not model`).toBe(true);
        expect(r.status, `${operation} ${type}`).toBe(modelled.status);
        expect(validateShape(runtime, type, json(r.bytes))).toEqual([]);
      }
    });
  }

  it("availability errors: not offered, profile only, unknown model, a bad body", async () => {
    const cases: [string, string, unknown, string][] = [
      ["Converse", `/model/${encodeURIComponent("meta.llama3-8b-instruct-v1:0")}/converse`, converseBody("hi"), "eu-west-1"],
      ["Converse", `/model/${encodeURIComponent(TEXT)}/converse`, converseBody("hi"), "eu-west-1"],
      ["Converse", `/model/${encodeURIComponent("nobody.nothing-v1:0")}/converse`, converseBody("hi"), "us-east-1"],
      ["Converse", `/model/${encodeURIComponent(TEXT)}/converse`, { messages: "nope" }, "us-east-1"],
      ["InvokeModel", `/model/${encodeURIComponent(EMBEDDING)}/invoke`, { nothing: true }, "us-east-1"],
    ];
    for (const [operation, path, body, region] of cases) {
      const r = await call("POST", path, body, region);
      const type = errorType(r.headers);
      const modelled = errorOf(runtime, operation, type);
      expect(modelled.listed, `${operation} ${path} answers ${type}`).toBe(true);
      expect(r.status).toBe(modelled.status);
    }
    const missing = await call("GET", `/foundation-models/${encodeURIComponent("nobody.nothing-v1:0")}`);
    const type = errorType(missing.headers);
    expect(errorOf(control, "GetFoundationModel", type)).toEqual({ listed: true, status: missing.status });
  });

  it("an exception inside a stream is a modelled member of the stream, with its original status and message", async () => {
    sim.simulator.setFaults({ rules: [{ operations: ["ConverseStream"], streamErrorRate: 1 }] });
    const r = await call("POST", `/model/${encodeURIComponent(TEXT)}/converse-stream`, converseBody("Count from 1 to 50, separated by commas."));
    const exception = frames(r.bytes).find((e) => e.messageType === "exception")!;
    expect(exception.type).toBe("modelStreamErrorException");
    const shape = eventShape(runtime, "ConverseStreamOutput", exception.type)!;
    expect(validateShape(runtime, shape, exception.payload)).toEqual([]);
    expect(exception.payload).toMatchObject({ message: expect.any(String), originalStatusCode: expect.any(Number), originalMessage: expect.any(String) });
  });
});
