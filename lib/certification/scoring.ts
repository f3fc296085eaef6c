// The score of a certification. docs/certification.md states the formula:
//   score = 100 × Σ weight(passed tests) / Σ weight(tests that ran)
// where "ran" means passed, failed or error (skipped tests count for nothing
// either way). A model that could not be reached scores 0.
//   passed  = reachability passed and score ≥ passScore
//   rating  = EXCELLENT ≥ 95, GOOD ≥ 85, FAIR ≥ passScore (when passed);
//             POOR when it answered but did not pass; FAILED when unreachable.
//   A pair passes only if its battery's primary capability (text, embeddings,
//   images, reranking, video) is certified: "certified except text" is not a pass.
//   A broken capability (capabilities.ts) caps a passed pair at FAIR: a model
//   whose streaming never works is not GOOD, whatever its other tests score;
//   so does a slow one (its median call over the kind's floor, config.ts);
//   any other failed check (latency, usage), or a result nobody can verify
//   (an embedding dimension AWS does not document), keeps it below EXCELLENT.
import type { CertificationRating, ErrorCategory } from "@/lib/generated/prisma/enums";
import { brokenOf, capabilitiesOf, PRIMARY_CAPABILITY, type Capabilities } from "./capabilities";
import type { TestResult } from "./results";

export const TEST_WEIGHTS: Record<string, number> = {
  reachability: 10,
  exact_instruction: 15,
  system_prompt: 10,
  two_turn: 10,
  json_output: 15,
  tool_use: 15,
  max_tokens: 5,
  streaming: 10,
  usage: 5,
  latency: 5,
  dimension: 40,
  vector_sanity: 25,
  determinism: 20,
  image_decodes: 60,
  ranking: 50,
  scores: 30,
  completes: 60,
  listed: 20,
};

export type Verdict = {
  score: number;
  passed: boolean;
  rating: CertificationRating;
  errorCategory: ErrorCategory | null;
};

const batteryOf = (tests: TestResult[]) =>
  tests.some((t) => t.name === "dimension")
    ? "embedding"
    : tests.some((t) => t.name === "image_decodes")
      ? "image"
      : tests.some((t) => t.name === "ranking")
        ? "rerank"
        : tests.some((t) => t.name === "completes")
          ? "video"
          : "text";

export type Caps = {
  // The pair's median call was slower than its kind's floor: at most FAIR.
  slow?: boolean;
  // Something the battery could not verify (an undocumented dimension): at most GOOD.
  unverified?: boolean;
};

export function scoreTests(tests: TestResult[], passScore: number, capabilities: Capabilities = capabilitiesOf(batteryOf(tests), tests), caps: Caps = {}): Verdict {
  const reachability = tests.find((t) => t.name === "reachability");
  // Reached: the model answered (a wrong answer to the reachability nonce is
  // still an answer, and a failed test).
  const reachable = reachability?.outcome === "passed" || reachability?.outcome === "failed";
  const ran = tests.filter((t) => t.outcome !== "skipped");
  const total = ran.reduce((sum, t) => sum + (TEST_WEIGHTS[t.name] ?? 10), 0);
  const earned = ran.filter((t) => t.outcome === "passed").reduce((sum, t) => sum + (TEST_WEIGHTS[t.name] ?? 10), 0);
  const score = reachable && total > 0 ? Math.round((1000 * earned) / total) / 10 : 0;
  const primary = PRIMARY_CAPABILITY[batteryOf(tests)]!;
  const passed = reachability?.outcome === "passed" && score >= passScore && capabilities[primary] !== "broken";
  const broken = brokenOf(capabilities).length > 0 || caps.slow === true;
  // EXCELLENT means every check came out right: a slow call or token counts
  // that do not add up keep a pair at GOOD however high its score.
  const flawless = ran.every((t) => t.outcome === "passed") && !caps.unverified;
  const rating: CertificationRating = !reachable ? "FAILED" : !passed ? "POOR" : broken ? "FAIR" : score >= 95 && flawless ? "EXCELLENT" : score >= 85 ? "GOOD" : "FAIR";

  // What failed it: the error that stopped a test, else a wrong answer.
  let errorCategory: ErrorCategory | null = null;
  if (!passed) {
    errorCategory = reachability?.errorCategory ?? tests.find((t) => t.outcome === "error")?.errorCategory ?? (tests.some((t) => t.outcome === "failed") ? "WRONG_ANSWER" : "UNKNOWN");
  }
  return { score, passed, rating, errorCategory };
}
