// Which model answers where, and how Bedrock refuses when it does not: built from
// a catalog file in the format of data/bedrock-model-regions.csv.
import { geoPrefix as geoProfilePrefix, kindOf, type SimKind, type SimModelRow, type SimRegion } from "./tables";
import { provisionedVariants } from "./aws-features";

// The modalities the API reports (ModelModality, and the speech, audio and
// video ones it returns beyond the published enum). The AWS table also lists
// "PDF" for document chat, which is a Converse content block, not a modality.
const API_MODALITIES = new Set(["TEXT", "IMAGE", "EMBEDDING", "AUDIO", "VIDEO", "SPEECH"]);
const apiModalities = (list: string[]) => list.map((m) => m.toUpperCase()).filter((m) => API_MODALITIES.has(m));

export type SimModel = SimModelRow & { bedrockModelId: string; kind: SimKind };

export type Resolution = { ok: true; model: SimModel; via: "in-region" | "inference-profile"; invokedId: string } | { ok: false; status: number; errorType: string; message: string; model?: SimModel };

const PROFILE_PREFIXES = ["us", "eu", "apac", "global", "us-gov", "jp", "au", "ca"];

export const INVALID_MODEL_MESSAGE = "The provided model identifier is invalid.";

export class SimulatorCatalog {
  readonly regions: Map<string, SimRegion>;
  readonly models: Map<string, SimModel>;

  constructor(regions: SimRegion[], models: SimModelRow[]) {
    this.regions = new Map(regions.map((r) => [r.code, r]));
    this.models = new Map(models.flatMap((m) => (m.bedrockModelId ? [[m.bedrockModelId, { ...m, bedrockModelId: m.bedrockModelId, kind: kindOf(m) }] as const] : [])));
  }

  offering(model: SimModel, region: string) {
    return {
      inRegion: model.inRegion.find((r) => r.region === region),
      profile: model.profileOnly.find((r) => r.region === region),
    };
  }

  // Bedrock's identifier forms: a model id, a foundation-model ARN, an
  // inference-profile id (`us.<model id>`) or an inference-profile ARN.
  parseIdentifier(identifier: string): { modelId: string; profilePrefix?: string } {
    const arn = /^arn:aws[\w-]*:bedrock:[\w-]*:\d*:(foundation-model|inference-profile)\/(.+)$/.exec(identifier);
    const id = arn ? arn[2]! : identifier;
    if (this.models.has(id)) return { modelId: id };
    const dot = PROFILE_PREFIXES.find((p) => id.startsWith(`${p}.`) && this.models.has(id.slice(p.length + 1)));
    return dot ? { modelId: id.slice(dot.length + 1), profilePrefix: dot } : { modelId: id };
  }

  resolve(region: string, identifier: string): Resolution {
    const invalid = { ok: false as const, status: 400, errorType: "ValidationException", message: INVALID_MODEL_MESSAGE };
    const { modelId, profilePrefix } = this.parseIdentifier(identifier);
    const model = this.models.get(modelId);
    if (!model || !this.regions.has(region)) return invalid;
    const { inRegion, profile } = this.offering(model, region);
    const endOfLife = {
      ok: false as const,
      status: 404,
      errorType: "ResourceNotFoundException",
      message: "This model version has reached the end of its life. Please refer to the AWS documentation for more details.",
      model,
    };

    if (profilePrefix) {
      const scope = profilePrefix === "global" ? "global" : "geo";
      const prefixFits = scope === "global" || profilePrefix === geoProfilePrefix(region);
      // AWS's geography profiles also route models offered in-Region here
      // (us.amazon.nova-micro-v1:0 answers in us-east-1).
      if (!profile && inRegion && scope === "geo" && prefixFits) return inRegion.legacy ? endOfLife : { ok: true, model, via: "inference-profile", invokedId: identifier };
      if (!profile || !profile.scopes.includes(scope) || !prefixFits) return { ...invalid, model };
      if (profile.legacy && scope === "geo") return endOfLife;
      return { ok: true, model, via: "inference-profile", invokedId: identifier };
    }
    if (inRegion) return inRegion.legacy ? endOfLife : { ok: true, model, via: "in-region", invokedId: identifier };
    if (profile) {
      return {
        ok: false,
        status: 400,
        errorType: "ValidationException",
        message: `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
        model,
      };
    }
    return { ...invalid, model };
  }

  // ListFoundationModels: the models offered in a Region, in-Region or only
  // through a profile, with Bedrock's filters.
  listFoundationModels(region: string, filters: { byProvider?: string; byOutputModality?: string; byInferenceType?: string; byCustomizationType?: string }) {
    const out = [];
    for (const model of this.models.values()) {
      const { inRegion, profile } = this.offering(model, region);
      if (!inRegion && !profile) continue;
      const summary = {
        modelArn: `arn:aws:bedrock:${region}::foundation-model/${model.bedrockModelId}`,
        modelId: model.bedrockModelId,
        modelName: model.name,
        providerName: model.provider,
        inputModalities: apiModalities(model.inputModalities),
        outputModalities: apiModalities(model.outputModalities),
        ...(model.streaming === null ? {} : { responseStreamingSupported: model.streaming }),
        customizationsSupported: [] as string[],
        inferenceTypesSupported: inRegion ? ["ON_DEMAND"] : ["INFERENCE_PROFILE"],
        modelLifecycle: { status: (inRegion ?? profile)!.legacy ? "LEGACY" : "ACTIVE" },
      };
      if (filters.byProvider) {
        const p = filters.byProvider.toLowerCase();
        if (model.provider.toLowerCase() !== p && !model.bedrockModelId.toLowerCase().startsWith(`${p}.`)) continue;
      }
      if (filters.byOutputModality && !summary.outputModalities.includes(filters.byOutputModality.toUpperCase())) continue;
      if (filters.byInferenceType && !summary.inferenceTypesSupported.includes(filters.byInferenceType.toUpperCase())) continue;
      if (filters.byCustomizationType) continue; // no model here supports customization
      out.push(summary);
      // Where the model is offered in-Region, AWS also lists its Provisioned
      // Throughput variants: no on-demand use, only bought throughput.
      if (inRegion && !inRegion.legacy && (!filters.byInferenceType || filters.byInferenceType.toUpperCase() === "PROVISIONED")) {
        for (const variant of provisionedVariants(model.bedrockModelId)) {
          out.push({ ...summary, modelArn: `arn:aws:bedrock:${region}::foundation-model/${variant}`, modelId: variant, inferenceTypesSupported: ["PROVISIONED"] });
        }
      }
    }
    return out;
  }

  // ListInferenceProfiles (SYSTEM_DEFINED): the profiles callable from a Region.
  listInferenceProfiles(region: string) {
    const out = [];
    for (const model of this.models.values()) {
      const profile = this.offering(model, region).profile;
      if (!profile) continue;
      for (const scope of profile.scopes) {
        const prefix = scope === "global" ? "global" : geoProfilePrefix(region);
        if (!prefix) continue;
        const id = `${prefix}.${model.bedrockModelId}`;
        // AWS lists the model once per Region the profile routes to.
        const members = [...model.inRegion, ...model.profileOnly.filter((p) => p.scopes.includes(scope))]
          .map((r) => r.region)
          .filter((r) => this.regions.has(r) && (scope === "global" || geoProfilePrefix(r) === prefix));
        out.push({
          inferenceProfileName: `${prefix.toUpperCase()} ${model.name}`,
          description: `Routes requests for ${model.name} across ${scope === "global" ? "commercial AWS Regions" : `the ${prefix} geography`}.`,
          inferenceProfileArn: `arn:aws:bedrock:${region}:000000000000:inference-profile/${id}`,
          models: [...new Set([region, ...members])].sort().map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${model.bedrockModelId}` })),
          inferenceProfileId: id,
          status: profile.legacy && scope === "geo" ? "LEGACY" : "ACTIVE",
          type: "SYSTEM_DEFINED",
        });
      }
    }
    return out;
  }
}
