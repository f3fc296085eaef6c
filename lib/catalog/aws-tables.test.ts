import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { geographyOf, isLegacyModel, parseInRegionList, parseModelsCsv, parseProfileOnlyList, parseRegionsCsv } from "./aws-tables";

function tempCsv(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "catalog-")), "table.csv");
  writeFileSync(file, content);
  return file;
}

describe("bundled AWS tables", () => {
  it("has the 33 commercial Regions among all Bedrock Regions", () => {
    const regions = parseRegionsCsv();
    expect(regions.filter((r) => r.partition === "aws")).toHaveLength(33);
    expect(regions.find((r) => r.code === "eu-west-1")).toMatchObject({
      name: "Europe (Ireland)",
      geography: "Europe",
      runtimeEndpoint: "bedrock-runtime.eu-west-1.amazonaws.com",
    });
  });

  it("has 120 models, every published id unique", () => {
    const models = parseModelsCsv();
    expect(models).toHaveLength(120);
    const ids = models.flatMap((m) => (m.bedrockModelId ? [m.bedrockModelId] : []));
    expect(ids).toHaveLength(118);
    expect(new Set(ids).size).toBe(118);
  });

  it("reads a model's in-Region, legacy and profile-only Regions", () => {
    const haiku = parseModelsCsv().find((m) => m.bedrockModelId === "anthropic.claude-3-haiku-20240307-v1:0")!;
    expect(haiku.streaming).toBe(true);
    expect(haiku.inRegion).toContainEqual({ region: "us-east-1", legacy: true });
    expect(haiku.inRegion).toContainEqual({ region: "ca-central-1", legacy: false });
    expect(haiku.profileOnly).toContainEqual({ region: "us-east-2", scopes: ["geo"], legacy: true });
  });
});

describe("list parsing", () => {
  it("parses profile scopes", () => {
    expect(parseProfileOnlyList("us-east-1[geo+global] ap-south-1[global] us-east-2[geo-legacy+global]")).toEqual([
      { region: "us-east-1", scopes: ["geo", "global"], legacy: false },
      { region: "ap-south-1", scopes: ["global"], legacy: false },
      { region: "us-east-2", scopes: ["geo", "global"], legacy: true },
    ]);
  });

  it("rejects malformed entries", () => {
    expect(() => parseInRegionList("us-east-1(old)")).toThrow(/bad in-Region entry/);
    expect(() => parseProfileOnlyList("us-east-1[regional]")).toThrow(/bad cross-Region entry/);
    expect(() => parseInRegionList("useast1")).toThrow();
  });

  it("maps Region codes to geographies", () => {
    expect(geographyOf("ap-southeast-7")).toBe("Asia Pacific");
    expect(geographyOf("il-central-1")).toBe("Middle East");
    expect(geographyOf("us-gov-west-1")).toBe("AWS GovCloud (US)");
    expect(geographyOf("mx-central-1")).toBe("North America");
  });

  it("calls a model legacy only when every listing is legacy", () => {
    const base = { provider: "p", name: "n", bedrockModelId: "x", inputModalities: [], outputModalities: [], streaming: null };
    expect(isLegacyModel({ ...base, inRegion: [{ region: "us-east-1", legacy: true }], profileOnly: [] })).toBe(true);
    expect(
      isLegacyModel({
        ...base,
        inRegion: [{ region: "us-east-1", legacy: true }],
        profileOnly: [{ region: "us-east-2", scopes: ["geo"], legacy: false }],
      }),
    ).toBe(false);
    expect(isLegacyModel({ ...base, inRegion: [], profileOnly: [] })).toBe(false);
  });
});

describe("files of the same format", () => {
  const header = "provider,model_name,model_id,input_modalities,output_modalities,streaming,regions_in_region,regions_cross_region_only,source";

  it("loads any file with the bundled columns", () => {
    const file = tempCsv(`${header}\nAcme,Acme One,acme.one-v1:0,Text,Text,No,us-east-1 eu-west-1(legacy),us-west-2[geo],test\n`);
    expect(parseModelsCsv(file)).toEqual([
      {
        provider: "Acme",
        name: "Acme One",
        bedrockModelId: "acme.one-v1:0",
        inputModalities: ["Text"],
        outputModalities: ["Text"],
        streaming: false,
        inRegion: [
          { region: "us-east-1", legacy: false },
          { region: "eu-west-1", legacy: true },
        ],
        profileOnly: [{ region: "us-west-2", scopes: ["geo"], legacy: false }],
      },
    ]);
  });

  it("names the file and line of a bad row", () => {
    const file = tempCsv(`${header}\nAcme,Acme One,acme.one,Text,Text,Maybe,,,x\n`);
    expect(() => parseModelsCsv(file)).toThrow(/table\.csv line 2: streaming/);
  });
});
