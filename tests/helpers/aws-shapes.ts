// Checks a JSON value against a shape of AWS's published service models
// (simulator/aws/*.json, botocore's API descriptions of Bedrock Runtime and
// the Bedrock control plane): required members, member types, enums, lists,
// maps, unions. For the simulator's wire shapes: it must answer as AWS does.
import { readFileSync } from "node:fs";
import path from "node:path";

type Shape = {
  type: string;
  members?: Record<string, { shape: string; location?: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  union?: boolean;
  error?: { httpStatusCode: number };
  eventstream?: boolean;
  min?: number;
  max?: number;
  document?: boolean;
};
export type ServiceModel = { operations: Record<string, { output?: { shape: string }; errors?: { shape: string }[] }>; shapes: Record<string, Shape> };

const models = new Map<string, ServiceModel>();
export function serviceModel(name: "bedrock-runtime" | "bedrock"): ServiceModel {
  let m = models.get(name);
  if (!m) {
    m = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../simulator/aws", `${name}-service-2.json`), "utf8")) as ServiceModel;
    models.set(name, m);
  }
  return m;
}

// Values AWS itself returns that its published enums lack; kept, with why.
const KNOWN_EXTRA_ENUM_VALUES: Record<string, string[]> = {
  // Nova Sonic, Nova Reel, Nova Premier, Pegasus, Marengo…: ListFoundationModels
  // reports their speech, audio and video modalities (the AWS model table
  // lists them too); the published enum predates those models.
  ModelModality: ["AUDIO", "VIDEO", "SPEECH"],
  // Models reachable only through a cross-Region inference profile are
  // listed with inferenceTypesSupported ["INFERENCE_PROFILE"] by the live API.
  InferenceType: ["INFERENCE_PROFILE"],
  // An assumption, said as one: AWS's Region table marks some geographic
  // profiles legacy, and the published enum has only ACTIVE; the simulator
  // reports such a profile as LEGACY (the catalog sync reads it), the value
  // the model lifecycle uses for the same state.
  InferenceProfileStatus: ["LEGACY"],
};

// Members real AWS traffic carries that the published service model does not
// (../shared/data/aws-wire): every stream event's "p" padding, and the usage's
// serverToolUsage.
const BEYOND_THE_MODEL = (shapeName: string, key: string) =>
  (key === "p" && shapeName.endsWith("Event")) || (shapeName === "TokenUsage" && ["serverToolUsage", "cacheReadInputTokenCount", "cacheWriteInputTokenCount"].includes(key));

export function validateShape(model: ServiceModel, shapeName: string, value: unknown, at = "$"): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${at}: unknown shape ${shapeName}`];
  const problems: string[] = [];
  const type = (t: string, ok: boolean) => (ok ? [] : [`${at}: expected ${t} (${shapeName}), got ${JSON.stringify(value)?.slice(0, 60)}`]);
  // A document is any JSON (a tool's input, a JSON schema).
  if (shape.document) return [];
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return type("an object", false);
      const obj = value as Record<string, unknown>;
      const members = shape.members ?? {};
      // Members bound to headers or the status code are not in the body.
      const body = Object.entries(members).filter(([, m]) => !m.location);
      for (const key of Object.keys(obj)) if (!members[key] && !BEYOND_THE_MODEL(shapeName, key)) problems.push(`${at}.${key}: not a member of ${shapeName}`);
      for (const r of shape.required ?? []) if (!members[r]?.location && obj[r] === undefined) problems.push(`${at}.${r}: required by ${shapeName}, missing`);
      if (shape.union && Object.keys(obj).filter((k) => obj[k] !== undefined).length !== 1) problems.push(`${at}: a union (${shapeName}) must set exactly one member`);
      for (const [key, m] of body) if (obj[key] !== undefined && obj[key] !== null) problems.push(...validateShape(model, m.shape, obj[key], `${at}.${key}`));
      return problems;
    }
    case "list":
      if (!Array.isArray(value)) return type("a list", false);
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${at}: at least ${shape.min} items (${shapeName})`);
      value.forEach((v, i) => problems.push(...validateShape(model, shape.member!.shape, v, `${at}[${i}]`)));
      return problems;
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return type("a map", false);
      for (const [k, v] of Object.entries(value)) problems.push(...validateShape(model, shape.key!.shape, k, `${at}{${k}}`), ...validateShape(model, shape.value!.shape, v, `${at}.${k}`));
      return problems;
    case "string":
      if (typeof value !== "string") return type("a string", false);
      if (shape.enum && !shape.enum.includes(value) && !KNOWN_EXTRA_ENUM_VALUES[shapeName]?.includes(value))
        problems.push(`${at}: "${value}" is not one of ${shapeName} ${JSON.stringify(shape.enum)}`);
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${at}: shorter than ${shape.min} (${shapeName})`);
      return problems;
    case "integer":
    case "long":
      return type("an integer", typeof value === "number" && Number.isInteger(value));
    case "float":
    case "double":
      return type("a number", typeof value === "number" && Number.isFinite(value));
    case "boolean":
      return type("a boolean", typeof value === "boolean");
    case "timestamp":
      // rest-json bodies: epoch seconds, or an ISO 8601 string.
      return type("a timestamp", (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && !Number.isNaN(Date.parse(value))));
    case "blob":
      return type("base64 text", typeof value === "string");
    default:
      return [];
  }
}

// The HTTP status AWS's model gives an error, and whether the operation lists it.
export function errorOf(model: ServiceModel, operation: string, errorType: string): { listed: boolean; status: number | undefined } {
  const listed = (model.operations[operation]?.errors ?? []).some((e) => e.shape === errorType);
  return { listed, status: model.shapes[errorType]?.error?.httpStatusCode };
}

// The member shape of an event stream's event (ConverseStreamOutput.messageStart → MessageStartEvent).
export function eventShape(model: ServiceModel, streamShape: string, event: string): string | undefined {
  return model.shapes[streamShape]?.members?.[event]?.shape;
}
