import "server-only";
// The video battery (Nova Reel, Luma Ray), through asynchronous invocation:
// StartAsyncInvoke with a prompt fresh every run is accepted, the invocation
// reaches Completed (GetAsyncInvoke, polled) and names its output under the
// location asked for, and ListAsyncInvokes lists it. The output goes to the
// S3 location of the job's config (asyncOutputS3Uri): on AWS the certifying
// role must be able to write there.
import { setTimeout as sleep } from "node:timers/promises";
import { GetAsyncInvokeCommand, ListAsyncInvokesCommand, StartAsyncInvokeCommand } from "@aws-sdk/client-bedrock-runtime";
import { VIDEO_TESTS } from "../config";
import { callBedrock } from "../bedrock-call";
import type { TestResult } from "../results";
import { runBattery, runTest, timed, type Battery } from "./harness";
import { nonce, pickOne } from "./probes";

const SUBJECTS = ["A paper boat drifting down a rainy street", "A hot-air balloon rising over a valley at dawn", "A cat watching snow fall through a window"] as const;

function modelInput(modelId: string, prompt: string): Record<string, unknown> {
  if (modelId.startsWith("luma.")) return { prompt, aspect_ratio: "16:9", duration: "5s", resolution: "720p" };
  return { taskType: "TEXT_VIDEO", textToVideoParams: { text: prompt }, videoGenerationConfig: { durationSeconds: 6, fps: 24, dimension: "1280x720" } };
}

export async function runVideoBattery(b: Battery): Promise<TestResult[]> {
  const runtime = b.bedrock.runtime(b.call.region);
  const prompt = `${pickOne(SUBJECTS)} (${nonce("RUN")})`;
  const location = b.config.asyncOutputS3Uri.replace(/\/$/, "");
  let arn: string | null = null;

  const tests: Record<(typeof VIDEO_TESTS)[number], () => Promise<TestResult>> = {
    reachability: () =>
      runTest("reachability", async () => {
        const { value, ms } = await timed(() =>
          callBedrock(b.call, (signal) =>
            runtime.send(
              new StartAsyncInvokeCommand({ modelId: b.invokedId, modelInput: modelInput(b.model.bedrockModelId, prompt) as never, outputDataConfig: { s3OutputDataConfig: { s3Uri: location } } }),
              { abortSignal: signal },
            ),
          ),
        );
        arn = value.invocationArn ?? null;
        return { passed: arn !== null, detail: arn ? `Accepted as ${arn}` : "No invocation ARN came back", latencyMs: ms };
      }),
    completes: () =>
      runTest("completes", async () => {
        if (!arn) return { passed: false, detail: "Nothing was started", latencyMs: null };
        const started = performance.now();
        for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
          const inv = await callBedrock(b.call, (signal) => runtime.send(new GetAsyncInvokeCommand({ invocationArn: arn! }), { abortSignal: signal }));
          const elapsed = performance.now() - started;
          if (inv.status === "Completed") {
            const uri = inv.outputDataConfig?.s3OutputDataConfig?.s3Uri ?? "";
            const under = uri.startsWith(`${location}/`) || uri === location;
            return {
              passed: under,
              detail: under ? `Completed in ${Math.round(elapsed / 1000)} s, output at ${uri}` : `Completed, but its output (${uri || "none"}) is not under ${location}`,
              latencyMs: elapsed,
              metrics: { renderMs: Math.round(elapsed) },
            };
          }
          if (inv.status === "Failed") return { passed: false, detail: `Failed: ${inv.failureMessage ?? "no reason given"}`, latencyMs: elapsed };
          if (elapsed > b.config.videoTimeoutMs)
            return { passed: false, detail: `Still ${inv.status} after ${Math.round(elapsed / 1000)} s (limit ${Math.round(b.config.videoTimeoutMs / 1000)} s)`, latencyMs: elapsed };
          await sleep(wait, undefined, { signal: b.call.signal });
        }
      }),
    listed: () =>
      runTest("listed", async () => {
        if (!arn) return { passed: false, detail: "Nothing was started", latencyMs: null };
        const list = await callBedrock(b.call, (signal) => runtime.send(new ListAsyncInvokesCommand({ maxResults: 100 }), { abortSignal: signal }));
        const found = (list.asyncInvokeSummaries ?? []).some((s) => s.invocationArn === arn);
        return { passed: found, detail: found ? "ListAsyncInvokes lists the invocation" : "ListAsyncInvokes does not list the invocation", latencyMs: null };
      }),
  };
  return runBattery(VIDEO_TESTS, b.config, tests, "Not run: the invocation was not accepted");
}
