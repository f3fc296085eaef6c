// The simulator reads its catalog files itself: the Regions with Bedrock and
// the models with the Regions that offer them, in the format of
// data/bedrock-regions.csv and data/bedrock-model-regions.csv (data/README.md).
// It shares no code with the product (lib/): a double that read the product's
// own tables would agree with the product by construction
// (simulator/isolation.test.ts fails on any import from lib/).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";

export const DATA_DIR = path.join(process.cwd(), "data");
export const REGIONS_FILE = path.join(DATA_DIR, "bedrock-regions.csv");
export const MODELS_FILE = path.join(DATA_DIR, "bedrock-model-regions.csv");
export const DEFAULT_PORT = 4599;

export type SimRegion = { code: string; partition: string };
export type SimModelRow = {
  provider: string;
  name: string;
  bedrockModelId: string | null;
  inputModalities: string[];
  outputModalities: string[];
  streaming: boolean | null;
  inRegion: { region: string; legacy: boolean }[];
  profileOnly: { region: string; scopes: ("geo" | "global")[]; legacy: boolean }[];
};

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
const rows = (text: string) => parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
const list = (value: string | undefined, separator: RegExp) =>
  (value ?? "")
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

function fail(file: string, i: number, why: string): never {
  throw new Error(`${path.basename(file)} line ${i + 2}: ${why}`);
}

export function readRegions(file = REGIONS_FILE): SimRegion[] {
  return rows(readFileSync(file, "utf8")).map((r, i) => {
    if (!REGION.test(r.region_code ?? "")) fail(file, i, `region_code: not an AWS Region code`);
    return { code: r.region_code!, partition: r.partition || "aws" };
  });
}

export function readModels(file = MODELS_FILE): SimModelRow[] {
  return parseModels(readFileSync(file, "utf8"), file);
}

export function parseModels(text: string, file = "catalog.csv"): SimModelRow[] {
  return rows(text).map((r, i) => {
    for (const column of ["provider", "model_name", "model_id", "regions_in_region", "regions_cross_region_only"]) if (!(column in r)) fail(file, i, `${column}: missing`);
    if (!r.provider || !r.model_name) fail(file, i, "provider and model_name are required");
    if (!["Yes", "No", ""].includes(r.streaming ?? "")) fail(file, i, `streaming: expected Yes, No or blank`);
    const inRegion = list(r.regions_in_region, /\s+/).map((token) => {
      const m = /^([a-z0-9-]+)(\(legacy\))?$/.exec(token);
      if (!m || !REGION.test(m[1]!)) fail(file, i, `bad in-Region entry "${token}"`);
      return { region: m[1]!, legacy: Boolean(m[2]) };
    });
    const profileOnly = list(r.regions_cross_region_only, /\s+/).map((token) => {
      const m = /^([a-z0-9-]+)\[((?:geo|geo-legacy|global)(?:\+(?:geo|geo-legacy|global))*)\]$/.exec(token);
      if (!m || !REGION.test(m[1]!)) fail(file, i, `bad cross-Region entry "${token}"`);
      const tags = m[2]!.split("+");
      return { region: m[1]!, scopes: [...new Set(tags.map((t) => (t === "global" ? "global" : "geo")))] as ("geo" | "global")[], legacy: tags.includes("geo-legacy") };
    });
    return {
      provider: r.provider!,
      name: r.model_name!,
      bedrockModelId: r.model_id || null,
      inputModalities: list(r.input_modalities, /;/),
      outputModalities: list(r.output_modalities, /;/),
      streaming: r.streaming === "" || r.streaming === undefined ? null : r.streaming === "Yes",
      inRegion,
      profileOnly,
    };
  });
}

// How Bedrock serves a model: which API and body format answers it.
export type SimKind = "text" | "embedding" | "image" | "video" | "speech" | "rerank";

export function kindOf(model: { bedrockModelId: string | null; outputModalities: string[] }): SimKind {
  const out = model.outputModalities.map((m) => m.toLowerCase());
  const id = (model.bedrockModelId ?? "").toLowerCase();
  if (out.includes("embedding") || (out.length === 0 && id.includes("embed"))) return "embedding";
  if (id.includes("rerank")) return "rerank";
  if (out.includes("speech") || id.includes("sonic")) return "speech";
  if (out.includes("text")) return "text";
  if (out.includes("image") || (out.length === 0 && /image|canvas|stable-|sd3/.test(id))) return "image";
  if (out.includes("video") || (out.length === 0 && /reel|ray-/.test(id))) return "video";
  return "text";
}

// The geography prefix of a Region's cross-Region inference profiles (us., eu., apac., …).
export function geoPrefix(region: string): string | null {
  if (region.startsWith("us-gov-")) return "us-gov";
  const head = region.split("-")[0];
  if (head === "us" || head === "ca" || head === "mx" || head === "sa") return "us";
  if (head === "eu" || head === "il" || head === "me") return "eu";
  if (head === "ap") return "apac";
  return null;
}
