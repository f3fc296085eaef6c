// The simulator held to AWS's real answers: each request recorded against AWS
// (data/aws-wire/) is sent to the simulator, signed as the SDK signs it, and
// its answer must have the shape AWS's had: every field of the real body
// (content blocks by kind, usage, metrics), every header AWS sends (the
// x-amzn-bedrock-* ones of InvokeModel, the event-stream content type), the
// same status for the same refusal, and the "p" padding on every stream
// event. Values differ (the simulator is no LLM); shapes must not.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedFetch, startSimulator, type TestSimulator } from "../helpers/simulator";

type Exchange = {
  request: { uri: string; operation: string; model: string; body: Record<string, unknown> };
  response: { status: number; headers: Record<string, string>; kind: string; body: unknown };
};

const DIR = path.join(import.meta.dirname, "../../data/aws-wire");
const exchanges = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({ name: f.replace(/\.json$/, ""), ...(JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Exchange) }));

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

// Every key path of a JSON value: objects by key, arrays by their elements'
// paths (content blocks are compared by kind: text, reasoningContent, toolUse).
function paths(value: unknown, at = "$", out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) paths(v, `${at}[]`, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      // Numbered vectors and free-form tool input are values, not shape.
      if (k === "input" || k === "embedding" || k === "float") {
        out.add(`${at}.${k}`);
        continue;
      }
      out.add(`${at}.${k}`);
      paths(v, `${at}.${k}`, out);
    }
  }
  return out;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
function frames(bytes: Uint8Array) {
  const out: { type: string; payload: Record<string, unknown> }[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    const m = codec.decode(bytes.subarray(at, at + length));
    out.push({ type: String(m.headers[":event-type"]?.value ?? m.headers[":exception-type"]?.value), payload: JSON.parse(toUtf8(m.body)) as Record<string, unknown> });
    at += length;
  }
  return out;
}

// Headers that say nothing about Bedrock (the recorder's proxy, the connection).
const TRANSPORT = new Set(["connection", "date", "via", "server-timing", "content-length", "transfer-encoding"]);

// Paths the real answer has that depend on what the real model chose to say, not on the API.
const MODEL_CHOICE: Record<string, RegExp> = {
  // Server-side tools (Nova's code interpreter) are not simulated: their blocks are AWS's own.
  model_code_execution_tool_stream: /toolResult|type$|server_tool/,
  // Claude's redacted thinking is Anthropic's safety behaviour, triggered by a magic string.
  model_thinking_part_redacted_stream: /redactedContent/,
};

describe.each(exchanges)("$name", (e) => {
  it("the simulator answers with AWS's shape", async () => {
    const pathname = new URL(e.request.uri).pathname;
    const res = await signedFetch(sim.url, "POST", pathname, JSON.stringify(e.request.body), "us-east-1");
    expect(res.status, await res.clone().text()).toBe(e.response.status);
    const ignore = MODEL_CHOICE[e.name];

    for (const name of Object.keys(e.response.headers).filter((h) => !TRANSPORT.has(h))) expect(res.headers.has(name), `header ${name}`).toBe(true);
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);

    if (e.response.kind === "stream" || e.response.kind === "eventstream") {
      const real = e.response.body as { headers: Record<string, string>; payload: Record<string, unknown> }[];
      const ours = frames(new Uint8Array(await res.arrayBuffer()));
      for (const f of ours) expect(typeof f.payload.p, `${f.type} has the "p" padding`).toBe("string");
      const kinds = (list: { type: string }[]) => [...new Set(list.map((f) => f.type))].sort();
      expect(kinds(ours)).toEqual(expect.arrayContaining(kinds(real.map((f) => ({ type: f.headers[":event-type"]! })))));
      // Every field of each real event type appears in the simulator's events of that type.
      for (const type of kinds(real.map((f) => ({ type: f.headers[":event-type"]! })))) {
        const want = new Set([...real.filter((f) => f.headers[":event-type"] === type)].flatMap((f) => [...paths(f.payload)]));
        const have = new Set(ours.filter((f) => f.type === type).flatMap((f) => [...paths(f.payload)]));
        for (const p of want) if (!ignore?.test(p)) expect(have.has(p), `${type} ${p}`).toBe(true);
      }
      return;
    }
    const ours = (await res.json()) as unknown;
    const have = paths(ours);
    for (const p of paths(e.response.body)) if (!ignore?.test(p)) expect(have.has(p), p).toBe(true);
  });
});

it("no request of the recorded set made the simulator answer 500", () => {
  const errors = sim.simulator.stats().calls.filter((c) => c.outcome === "error" || c.outcome === "InternalServerException");
  expect(errors).toEqual([]);
});
