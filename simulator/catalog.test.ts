import { describe, expect, it } from "vitest";
import type { SimModelRow as ModelRow } from "./tables";
import { INVALID_MODEL_MESSAGE, SimulatorCatalog } from "./catalog";

const region = (code: string) => ({ code, name: code, partition: "aws", geography: "x", runtimeEndpoint: null });
const model = (id: string, inRegion: ModelRow["inRegion"], profileOnly: ModelRow["profileOnly"] = []): ModelRow => ({
  provider: "Acme",
  name: id,
  bedrockModelId: id,
  inputModalities: ["Text"],
  outputModalities: ["Text"],
  streaming: true,
  inRegion,
  profileOnly,
});

const catalog = new SimulatorCatalog(["us-east-1", "us-east-2", "eu-west-1", "ap-south-1"].map(region), [
  model(
    "acme.a-v1",
    [
      { region: "us-east-1", legacy: false },
      { region: "eu-west-1", legacy: true },
    ],
    [{ region: "us-east-2", scopes: ["geo"], legacy: false }],
  ),
  model("acme.b-v1", [], [{ region: "ap-south-1", scopes: ["global"], legacy: false }]),
]);

describe("SimulatorCatalog.resolve", () => {
  it("serves a model in-Region", () => {
    expect(catalog.resolve("us-east-1", "acme.a-v1")).toMatchObject({ ok: true, via: "in-region" });
  });
  it("answers a legacy listing with ResourceNotFound", () => {
    expect(catalog.resolve("eu-west-1", "acme.a-v1")).toMatchObject({ ok: false, status: 404, errorType: "ResourceNotFoundException" });
  });
  it("answers a profile-only model's plain id with the on-demand ValidationException", () => {
    const r = catalog.resolve("us-east-2", "acme.a-v1");
    expect(r).toMatchObject({ ok: false, status: 400, errorType: "ValidationException" });
    expect(!r.ok && r.message).toMatch(/on-demand throughput isn’t supported/);
  });
  it("serves the profile of the Region's geography only", () => {
    expect(catalog.resolve("us-east-2", "us.acme.a-v1")).toMatchObject({ ok: true, via: "inference-profile" });
    expect(catalog.resolve("us-east-2", "eu.acme.a-v1")).toMatchObject({ ok: false, message: INVALID_MODEL_MESSAGE });
    expect(catalog.resolve("ap-south-1", "global.acme.b-v1")).toMatchObject({ ok: true });
    expect(catalog.resolve("ap-south-1", "apac.acme.b-v1")).toMatchObject({ ok: false });
  });
  it("treats ARNs like ids", () => {
    expect(catalog.resolve("us-east-1", "arn:aws:bedrock:us-east-1::foundation-model/acme.a-v1")).toMatchObject({ ok: true });
    expect(catalog.resolve("us-east-2", "arn:aws:bedrock:us-east-2:123456789012:inference-profile/us.acme.a-v1")).toMatchObject({ ok: true });
  });
  it("rejects unknown models and Regions where the model is not offered", () => {
    expect(catalog.resolve("us-east-1", "acme.nope")).toMatchObject({ ok: false, message: INVALID_MODEL_MESSAGE });
    expect(catalog.resolve("ap-south-1", "acme.a-v1")).toMatchObject({ ok: false, message: INVALID_MODEL_MESSAGE });
  });
});

describe("listings", () => {
  it("lists offered models with their inference types and lifecycle", () => {
    expect(catalog.listFoundationModels("eu-west-1", {}).map((m) => [m.modelId, m.inferenceTypesSupported, m.modelLifecycle.status])).toEqual([["acme.a-v1", ["ON_DEMAND"], "LEGACY"]]);
    expect(catalog.listFoundationModels("us-east-2", { byInferenceType: "ON_DEMAND" })).toEqual([]);
    expect(catalog.listFoundationModels("us-east-2", { byProvider: "acme" })).toHaveLength(1);
  });
  it("lists the profiles callable from a Region", () => {
    expect(catalog.listInferenceProfiles("us-east-2").map((p) => p.inferenceProfileId)).toEqual(["us.acme.a-v1"]);
    expect(catalog.listInferenceProfiles("ap-south-1").map((p) => p.inferenceProfileId)).toEqual(["global.acme.b-v1"]);
  });
});
