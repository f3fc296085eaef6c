// Parsers for the AWS catalog tables bundled in data/ (and any file of the same
// format): the Regions with Bedrock, and the models with the Regions they are
// offered in. The seed, the simulator and the catalog sync all read them here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";

export const BUNDLED_DATA_DIR = path.join(process.cwd(), "data");
export const BUNDLED_REGIONS_FILE = path.join(BUNDLED_DATA_DIR, "bedrock-regions.csv");
export const BUNDLED_MODELS_FILE = path.join(BUNDLED_DATA_DIR, "bedrock-model-regions.csv");

const REGION_CODE = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

export type RegionRow = {
  code: string;
  name: string;
  partition: string;
  geography: string;
  runtimeEndpoint: string | null;
};

// Cross-Region inference profile scopes: `geo` profiles carry a geography
// prefix (us., eu., apac., ...), `global` ones the global. prefix.
export type ProfileScope = "geo" | "global";

export type ModelRow = {
  provider: string;
  name: string;
  bedrockModelId: string | null;
  inputModalities: string[];
  outputModalities: string[];
  streaming: boolean | null;
  // Regions where the plain model id works on demand.
  inRegion: { region: string; legacy: boolean }[];
  // Regions where the model is reachable only through an inference profile;
  // `legacy` when the table marks that Region's geo profile as legacy.
  profileOnly: { region: string; scopes: ProfileScope[]; legacy: boolean }[];
};

const GEOGRAPHY_BY_PREFIX: Record<string, string> = {
  us: "North America",
  ca: "North America",
  mx: "North America",
  sa: "South America",
  eu: "Europe",
  il: "Middle East",
  me: "Middle East",
  af: "Africa",
  ap: "Asia Pacific",
};

export function geographyOf(regionCode: string): string {
  if (regionCode.startsWith("us-gov-")) return "AWS GovCloud (US)";
  const prefix = regionCode.split("-")[0] ?? "";
  return GEOGRAPHY_BY_PREFIX[prefix] ?? "Other";
}

const regionCsvRow = z.object({
  region_code: z.string().regex(REGION_CODE, "not an AWS Region code"),
  display_name: z.string().min(1),
  partition: z.string().min(1),
  bedrock_runtime_endpoint: z.string(),
});

const modelCsvRow = z.object({
  provider: z.string().min(1),
  model_name: z.string().min(1),
  model_id: z.string(),
  input_modalities: z.string(),
  output_modalities: z.string(),
  streaming: z.enum(["Yes", "No", ""]),
  regions_in_region: z.string(),
  regions_cross_region_only: z.string(),
});

function readCsv(file: string): Record<string, string>[] {
  return parseCsv(readFileSync(file, "utf8"));
}

function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true, trim: true });
}

function rowError(file: string, index: number, error: z.ZodError | string): Error {
  const detail = typeof error === "string" ? error : error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  // +2: the header is line 1 and rows count from 0.
  return new Error(`${path.basename(file)} line ${index + 2}: ${detail}`);
}

export function parseRegionsCsv(file: string = BUNDLED_REGIONS_FILE): RegionRow[] {
  return readCsv(file).map((raw, i) => {
    const parsed = regionCsvRow.safeParse(raw);
    if (!parsed.success) throw rowError(file, i, parsed.error);
    const r = parsed.data;
    return {
      code: r.region_code,
      name: r.display_name,
      partition: r.partition,
      geography: geographyOf(r.region_code),
      runtimeEndpoint: r.bedrock_runtime_endpoint || null,
    };
  });
}

const splitList = (value: string, separator: RegExp) =>
  value
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

export function parseInRegionList(value: string): ModelRow["inRegion"] {
  return splitList(value, /\s+/).map((token) => {
    const match = /^([a-z0-9-]+)(\(legacy\))?$/.exec(token);
    if (!match || !REGION_CODE.test(match[1]!)) throw new Error(`bad in-Region entry "${token}"`);
    return { region: match[1]!, legacy: Boolean(match[2]) };
  });
}

export function parseProfileOnlyList(value: string): ModelRow["profileOnly"] {
  return splitList(value, /\s+/).map((token) => {
    const match = /^([a-z0-9-]+)\[((?:geo|geo-legacy|global)(?:\+(?:geo|geo-legacy|global))*)\]$/.exec(token);
    if (!match || !REGION_CODE.test(match[1]!)) throw new Error(`bad cross-Region entry "${token}"`);
    const tags = match[2]!.split("+");
    const scopes = [...new Set(tags.map((t) => (t === "global" ? "global" : "geo")))] as ProfileScope[];
    return { region: match[1]!, scopes, legacy: tags.includes("geo-legacy") };
  });
}

export function parseModelsCsv(file: string = BUNDLED_MODELS_FILE): ModelRow[] {
  return parseModelsCsvText(readFileSync(file, "utf8"), file);
}

// The models table from text (the simulator's PUT /_simulator/catalog); `file` names it in errors.
export function parseModelsCsvText(text: string, file = "catalog.csv"): ModelRow[] {
  return parseCsv(text).map((raw, i) => {
    const parsed = modelCsvRow.safeParse(raw);
    if (!parsed.success) throw rowError(file, i, parsed.error);
    const m = parsed.data;
    try {
      return {
        provider: m.provider,
        name: m.model_name,
        bedrockModelId: m.model_id || null,
        inputModalities: splitList(m.input_modalities, /;/),
        outputModalities: splitList(m.output_modalities, /;/),
        streaming: m.streaming === "" ? null : m.streaming === "Yes",
        inRegion: parseInRegionList(m.regions_in_region),
        profileOnly: parseProfileOnlyList(m.regions_cross_region_only),
      };
    } catch (err) {
      throw rowError(file, i, (err as Error).message);
    }
  });
}

// A model is legacy when every Region that offers it, in-Region or through a
// profile, lists it as legacy.
export function isLegacyModel(model: ModelRow): boolean {
  const listings = [...model.inRegion, ...model.profileOnly];
  return listings.length > 0 && listings.every((r) => r.legacy);
}
