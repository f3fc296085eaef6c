// What a pair's tests say of each capability of the model: certified, broken,
// not supported (the model said so) or not tried. A broken capability is
// never hidden behind a high score: it caps the rating at FAIR (scoring.ts),
// and the cell says "certified except streaming". Client-safe, pure.
import type { TestResult } from "./results";

export const CAPABILITIES = ["text", "system_prompt", "multi_turn", "json", "tool_use", "streaming", "embedding", "image", "rerank", "video"] as const;
export type Capability = (typeof CAPABILITIES)[number];
export type CapabilityStatus = "certified" | "broken" | "not_supported" | "not_tried";
export type Capabilities = Partial<Record<Capability, CapabilityStatus>>;

export const CAPABILITY_LABEL: Record<Capability, string> = {
  text: "text",
  system_prompt: "system prompt",
  multi_turn: "multi-turn",
  json: "JSON output",
  tool_use: "tool use",
  streaming: "streaming",
  embedding: "embeddings",
  image: "images",
  rerank: "reranking",
  video: "video",
};

// Which capability each test of each battery exercises (usage and latency are
// qualities of every call, not capabilities).
const CAPABILITY_OF: Record<string, Record<string, Capability>> = {
  text: {
    reachability: "text",
    exact_instruction: "text",
    max_tokens: "text",
    system_prompt: "system_prompt",
    two_turn: "multi_turn",
    json_output: "json",
    tool_use: "tool_use",
    streaming: "streaming",
  },
  embedding: { reachability: "embedding", dimension: "embedding", vector_sanity: "embedding", determinism: "embedding" },
  image: { reachability: "image", image_decodes: "image" },
  rerank: { reachability: "rerank", ranking: "rerank", scores: "rerank" },
  video: { reachability: "video", completes: "video", listed: "video" },
};

// Errors that never reached the model (the account's limits, a cancel): the
// capability was not tried. Every other error is the capability's: a service
// error or a reset socket on every one of a test's attempts (callBedrock
// retries those) is a capability that never once worked, which is broken,
// whatever the cause (issue 27: dead streaming hid behind "not tried").
const NEVER_REACHED = new Set(["THROTTLED", "QUOTA_EXCEEDED", "CANCELLED"]);

// What a battery is for: a pair passes only if this capability is certified.
export const PRIMARY_CAPABILITY: Record<string, Capability> = { text: "text", embedding: "embedding", image: "image", rerank: "rerank", video: "video" };

export function capabilitiesOf(battery: string, tests: TestResult[]): Capabilities {
  const map = CAPABILITY_OF[battery] ?? {};
  const out: Capabilities = {};
  const rank: Record<CapabilityStatus, number> = { broken: 3, certified: 2, not_supported: 1, not_tried: 0 };
  for (const t of tests) {
    const capability = map[t.name];
    if (!capability) continue;
    const status: CapabilityStatus =
      t.outcome === "passed"
        ? "certified"
        : t.outcome === "failed"
          ? "broken"
          : t.outcome === "error"
            ? NEVER_REACHED.has(t.errorCategory ?? "")
              ? "not_tried"
              : "broken"
            : t.detail.startsWith("Not supported by the model") || t.detail.startsWith("The catalog says this model does not")
              ? "not_supported"
              : "not_tried";
    // A capability is as good as its worst test (broken wins, then certified).
    const current = out[capability];
    if (current === undefined || rank[status] > rank[current]) out[capability] = status;
  }
  return out;
}

export const brokenOf = (c: Capabilities | null | undefined): Capability[] => CAPABILITIES.filter((k) => c?.[k] === "broken");

// "certified except streaming, JSON output", for a pair that passed.
export function exceptionsNote(broken: readonly string[]): string | null {
  if (broken.length === 0) return null;
  return `certified except ${broken.map((b) => CAPABILITY_LABEL[b as Capability] ?? b).join(", ")}`;
}
