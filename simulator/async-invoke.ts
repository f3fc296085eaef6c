// StartAsyncInvoke, GetAsyncInvoke and ListAsyncInvokes, as Bedrock Runtime
// serves them for video models (Nova Reel, Luma Ray): an invocation is
// accepted at once, InProgress while it "renders", then Completed with its
// output location (or Failed, when a wrong-answer fault hits it). Kept in
// memory per simulator.
import { randomBytes } from "node:crypto";
import type { Distortion } from "./model-brain";

export type AsyncInvocation = {
  invocationArn: string;
  modelArn: string;
  clientRequestToken?: string;
  status: "InProgress" | "Completed" | "Failed";
  failureMessage?: string;
  submitTime: string;
  lastModifiedTime: string;
  endTime?: string;
  outputDataConfig: { s3OutputDataConfig: { s3Uri: string } };
  region: string;
  doneAt: number;
  fails: boolean;
};

export type AsyncStart = { ok: true; invocationArn: string } | { ok: false; status: number; errorType: string; message: string };

export function createAsyncInvokes(renderMs: () => number) {
  const invocations = new Map<string, AsyncInvocation>();

  // The invocation as of now: it finishes once its render time has passed.
  function current(inv: AsyncInvocation): Omit<AsyncInvocation, "region" | "doneAt" | "fails"> {
    if (inv.status === "InProgress" && Date.now() >= inv.doneAt) {
      const end = new Date(inv.doneAt).toISOString();
      Object.assign(inv, inv.fails ? { status: "Failed", failureMessage: "The model could not render the video." } : { status: "Completed" }, { endTime: end, lastModifiedTime: end });
    }
    const { region: _r, doneAt: _d, fails: _f, ...visible } = inv;
    return visible;
  }

  return {
    start(region: string, model: { bedrockModelId: string }, body: Record<string, unknown>, distortion: Distortion): AsyncStart {
      const s3Uri = (body.outputDataConfig as { s3OutputDataConfig?: { s3Uri?: unknown } } | undefined)?.s3OutputDataConfig?.s3Uri;
      if (typeof s3Uri !== "string" || !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(s3Uri))
        return { ok: false, status: 400, errorType: "ValidationException", message: "outputDataConfig.s3OutputDataConfig.s3Uri must be an s3:// URI of a bucket" };
      if (typeof body.modelInput !== "object" || body.modelInput === null) return { ok: false, status: 400, errorType: "ValidationException", message: "modelInput is required" };
      const id = randomBytes(6).toString("hex");
      const now = new Date().toISOString();
      const invocationArn = `arn:aws:bedrock:${region}:123456789012:async-invoke/${id}`;
      invocations.set(invocationArn, {
        invocationArn,
        modelArn: `arn:aws:bedrock:${region}::foundation-model/${model.bedrockModelId}`,
        ...(typeof body.clientRequestToken === "string" ? { clientRequestToken: body.clientRequestToken } : {}),
        status: "InProgress",
        submitTime: now,
        lastModifiedTime: now,
        // The output goes to a folder of its own under the given location.
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `${s3Uri.replace(/\/$/, "")}/${id}` } },
        region,
        doneAt: Date.now() + renderMs(),
        fails: distortion !== null,
      });
      return { ok: true, invocationArn };
    },
    get(region: string, arn: string) {
      const inv = invocations.get(arn);
      return inv && inv.region === region ? current(inv) : null;
    },
    list(region: string, statusEquals?: string | null) {
      return [...invocations.values()]
        .filter((i) => i.region === region)
        .map(current)
        .filter((i) => !statusEquals || i.status === statusEquals)
        .sort((a, b) => b.submitTime.localeCompare(a.submitTime));
    },
    reset: () => invocations.clear(),
  };
}
