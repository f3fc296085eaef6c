import "server-only";
// The image battery, through InvokeModel: an image comes back for a prompt
// fresh every run, and decodes to the size asked for.
import { IMAGE_TESTS } from "../config";
import { decodeImage, isBlank } from "../image-check";
import type { TestResult } from "../results";
import { invokeJson, runBattery, runTest, type Battery } from "./harness";
import { nonce, pickOne } from "./probes";

const SUBJECTS = ["A lighthouse on a rocky coast at dawn", "A red kite over a wheat field", "A tram in a snowy street", "A teapot on a windowsill"] as const;
const SIZE = 512;
// The least a model that takes no size may draw.
const MIN_SIDE = 64;
// Stability models choose their own size; Titan and Nova draw the size asked for.
const asksSize = (modelId: string) => !modelId.startsWith("stability.");

function requestBody(modelId: string, prompt: string): unknown {
  if (!asksSize(modelId)) return { prompt, output_format: "png" };
  return { taskType: "TEXT_IMAGE", textToImageParams: { text: prompt }, imageGenerationConfig: { numberOfImages: 1, width: SIZE, height: SIZE } };
}

export async function runImageBattery(b: Battery): Promise<TestResult[]> {
  let image: string | null = null;
  let latency = 0;
  const prompt = `${pickOne(SUBJECTS)}, watercolour (${nonce("RUN")})`;
  const tests: Record<(typeof IMAGE_TESTS)[number], () => Promise<TestResult>> = {
    reachability: () =>
      runTest("reachability", async () => {
        const { value, ms } = await invokeJson(b, requestBody(b.model.bedrockModelId, prompt));
        latency = ms;
        const body = value as { images?: unknown[]; artifacts?: { base64?: unknown }[] } | null;
        const found = body?.images?.[0] ?? body?.artifacts?.[0]?.base64;
        image = typeof found === "string" ? found : null;
        return {
          passed: typeof image === "string" && image.length > 0,
          detail: image ? `Returned an image of ${Math.round((image.length * 3) / 4 / 1024)} KiB` : "The response has no image",
          latencyMs: ms,
        };
      }),
    image_decodes: () =>
      runTest("image_decodes", async () => {
        if (!image) return { passed: false, detail: "No image came back to decode", latencyMs: null };
        try {
          const decoded = decodeImage(Buffer.from(image, "base64"));
          // The size asked for; a model that takes no size must still draw a real picture.
          const sized = asksSize(b.model.bedrockModelId) ? decoded.width === SIZE && decoded.height === SIZE : decoded.width >= MIN_SIDE && decoded.height >= MIN_SIDE;
          const blank = isBlank(decoded);
          const problems = [
            ...(sized ? [] : [asksSize(b.model.bedrockModelId) ? `not the ${SIZE}×${SIZE} asked for` : `smaller than ${MIN_SIDE}×${MIN_SIDE}`]),
            ...(blank ? [`blank (${decoded.distinctColours} colours, luminance spread ${decoded.luminanceStdDev.toFixed(1)})`] : []),
          ];
          return {
            passed: problems.length === 0,
            detail: `A ${decoded.format.toUpperCase()} of ${decoded.width}×${decoded.height} that decodes whole${problems.length ? `, but ${problems.join(" and ")}` : ""}`,
            latencyMs: null,
            metrics: { width: decoded.width, height: decoded.height, distinctColours: decoded.distinctColours },
          };
        } catch (err) {
          return { passed: false, detail: `The image does not decode: ${(err as Error).message}`, latencyMs: null };
        }
      }),
    latency: () =>
      runTest("latency", async () => ({
        passed: latency <= b.config.thresholds.maxLatencyMs,
        detail: `generation took ${Math.round(latency)} ms (limit ${b.config.thresholds.maxLatencyMs} ms)`,
        latencyMs: null,
      })),
  };

  return runBattery(IMAGE_TESTS, b.config, tests, "Not run: no image came back");
}
