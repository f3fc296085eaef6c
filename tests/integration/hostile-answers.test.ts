// Verdicts that survive hostile answers (issue 27): the battery against the
// simulator's corrupting layer (simulator/corrupt.ts, chosen by fault rules)
// and the service faults a proxy can cause, each corruption aimed at a model
// of the kind it breaks. No pair with a corrupted capability is GOOD or
// EXCELLENT, no pair whose primary capability is broken passes, every pair
// ends (certifyPair returns a verdict: nothing escapes to loop in the queue),
// and the category says what happened.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { certifyPair, type PairOutcome } from "@/lib/certification/certify-pair";
import { certificationConfigSchema } from "@/lib/certification/config";
import { parseModelsCsv } from "@/lib/catalog/aws-tables";
import type { FaultRule } from "@/simulator/faults";
import { startSimulator, type TestSimulator } from "../helpers/simulator";

const TEXT = "amazon.nova-micro-v1:0";
const EMBEDDING = "amazon.titan-embed-text-v2:0";
const IMAGE = "amazon.titan-image-generator-v2:0";
const UNDOCUMENTED_EMBEDDING = "twelvelabs.marengo-embed-3-0-v1:0";
const catalog = new Map(parseModelsCsv().map((m) => [m.bedrockModelId, m]));

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator({ sdkMaxAttempts: 1, callTimeoutMs: 5_000 });
});
afterAll(() => sim.close());
beforeEach(() => sim.simulator.reset());

async function certify(bedrockModelId: string, rules: FaultRule[], config: Record<string, unknown> = {}): Promise<PairOutcome> {
  sim.simulator.setFaults({ rules });
  const row = catalog.get(bedrockModelId)!;
  const region = row.inRegion.find((r) => !r.legacy)?.region ?? "us-east-1";
  return certifyPair(
    { bedrock: sim.bedrock, callTimeoutMs: 5_000 },
    {
      region,
      model: { id: bedrockModelId, bedrockModelId, name: row.name, streaming: row.streaming, outputModalities: row.outputModalities, lifecycle: "ACTIVE" },
      availability: { availability: "IN_REGION", legacy: false, profileIds: [] },
    },
    certificationConfigSchema.parse({ maxAttempts: 2, retryBaseDelayMs: 0, ...config }),
    new AbortController().signal,
  );
}

const test = (o: PairOutcome, name: string) => o.testResults.tests.find((t) => t.name === name)!;
const notGood = (o: PairOutcome) => expect(["EXCELLENT", "GOOD"]).not.toContain(o.rating);

it("with no fault, each model here is EXCELLENT (what follows is the corruption's doing)", async () => {
  for (const id of [TEXT, EMBEDDING, IMAGE]) expect({ id, rating: (await certify(id, [])).rating }).toEqual({ id, rating: "EXCELLENT" });
});

describe("dead capabilities are broken, not 'not tried'", () => {
  it.each([
    ["ConverseStream answers 500 every time", [{ operations: ["ConverseStream"], internalErrorRate: 1 }], "SERVICE_UNAVAILABLE"],
    ["ConverseStream answers 503 every time", [{ operations: ["ConverseStream"], serviceUnavailableRate: 1 }], "SERVICE_UNAVAILABLE"],
    ["the socket resets mid-stream", [{ operations: ["ConverseStream"], corrupt: "stream-reset" }], "NETWORK"],
  ] as [string, FaultRule[], string][])("%s: streaming broken, named, never GOOD", async (_what, rules, category) => {
    const o = await certify(TEXT, rules);
    expect(o.testResults.capabilities?.streaming).toBe("broken");
    expect(test(o, "streaming")).toMatchObject({ outcome: "error", errorCategory: category });
    notGood(o);
    expect(o.passed).toBe(true);
    expect(o.errorMessage).toMatch(/^Certified except streaming: streaming \(/);
  });
});

describe("bodies that are not JSON end the pair, classified", () => {
  it.each(["body-nan", "body-empty", "body-truncated"] as const)("%s: FAILED MALFORMED_RESPONSE, no exception", async (corrupt) => {
    const o = await certify(EMBEDDING, [{ operations: ["InvokeModel"], corrupt }]);
    expect(o).toMatchObject({ status: "FAILED", passed: false, errorCategory: "MALFORMED_RESPONSE" });
    expect(test(o, "reachability").detail).toMatch(/not JSON/);
  });
});

describe("answers that hold the checked tokens and say something else", () => {
  it.each([
    ["the sum, negated (system prompt)", "system_prompt", [{ operations: ["Converse"], prompt: "What is \\d+ \\+ \\d+", corrupt: "negate" }]],
    ["the colour, negated (two turns)", "multi_turn", [{ operations: ["Converse"], prompt: "favourite colour", corrupt: "negate" }]],
    ["JSON with its boolean flipped", "json", [{ operations: ["Converse"], prompt: "JSON schema", corrupt: "json-flip" }]],
  ] as [string, string, FaultRule[]][])("%s: that capability broken, never GOOD", async (_what, capability, rules) => {
    const o = await certify(TEXT, rules);
    expect(o.testResults.capabilities?.[capability as "json"]).toBe("broken");
    notGood(o);
  });

  it("the nonce refused ('I refuse to reply with PING-…'): not passed", async () => {
    const o = await certify(TEXT, [{ operations: ["Converse"], prompt: "PING-", corrupt: "refuse" }]);
    expect(test(o, "reachability").outcome).toBe("failed");
    expect(o.passed).toBe(false);
  });

  it("every text answer negated: text broken, so not passed", async () => {
    const o = await certify(TEXT, [{ operations: ["Converse", "ConverseStream"], corrupt: "negate" }]);
    expect(o.passed).toBe(false);
    expect(o.errorCategory).toBe("WRONG_ANSWER");
  });
});

describe("images must decode and show something; embeddings must mean something", () => {
  it.each(["fake-jpeg", "tiny-png"] as const)("%s: images broken, not passed", async (corrupt) => {
    const o = await certify(IMAGE, [{ operations: ["InvokeModel"], corrupt }]);
    expect(o.testResults.capabilities?.image).toBe("broken");
    expect(o.passed).toBe(false);
  });

  it("a vector with a null element: embeddings broken, not passed", async () => {
    const o = await certify(EMBEDDING, [{ operations: ["InvokeModel"], corrupt: "vector-null" }]);
    expect(test(o, "vector_sanity").outcome).toBe("failed");
    expect(o.passed).toBe(false);
  });

  it("a random vector on every call: not stable, not passed", async () => {
    const o = await certify(EMBEDDING, [{ operations: ["InvokeModel"], wrongAnswerRate: 1, wrongAnswerKind: "random_vector" }]);
    expect(test(o, "determinism")).toMatchObject({ outcome: "failed" });
    expect(o.passed).toBe(false);
  });

  it("a dimension AWS does not document: compared with itself, shown, never EXCELLENT", async () => {
    const o = await certify(UNDOCUMENTED_EMBEDDING, []);
    expect(test(o, "dimension")).toMatchObject({ outcome: "skipped", detail: expect.stringMatching(/^Unverified: \d+ dimensions/) });
    expect(test(o, "determinism").outcome).toBe("passed");
    expect(o.passed).toBe(true);
    expect(o.rating).toBe("GOOD");
  });
});

describe("slow is not fine", () => {
  it("every call slower than the floor: at most FAIR, saying slow", async () => {
    const o = await certify(TEXT, [{ latency: { firstTokenMs: 400 } }], { tests: ["reachability", "exact_instruction", "json_output"], samples: 1, thresholds: { slowMedianMs: 300 } });
    expect(o.passed).toBe(true);
    expect(o.rating).toBe("FAIR");
    expect(o.errorMessage).toMatch(/Slow: the median call took 0\.\d s/);
  });
});

describe("withdrawn while the battery runs", () => {
  it("a model that stops answering here mid-battery ends neutral, not FAILED, nothing broken", async () => {
    const o = await certify(TEXT, [{ prompt: "favourite colour", withdrawn: true }]);
    expect(o).toMatchObject({ status: "COMPLETED", passed: null, rating: null, availability: "NOT_OFFERED", errorCategory: "NOT_OFFERED_IN_REGION" });
    expect(o.errorMessage).toMatch(/stopped answering here during the battery/);
  });
});
