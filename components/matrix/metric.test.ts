import { describe, expect, it } from "vitest";
import type { Cell } from "./grid-view";
import { bandRanges, formatSpeed, speedBand, speedScale, speedScales } from "./metric";

const cell = (over: Partial<Cell>): Cell => ({ status: "COMPLETED", passed: true, score: 100, rating: "EXCELLENT", errorCategory: null, completedAt: null, availability: "IN_REGION", ...over });

describe("speed view", () => {
  const cells = [100, 200, 300, 400, 500, 600, 700, 800].map((ms) => cell({ timeToFirstTokenMs: ms, tokensPerSecond: ms / 10 }));
  const failed = cell({ passed: false, status: "FAILED", timeToFirstTokenMs: 1 });
  const neutral = cell({ passed: null, availability: "NOT_OFFERED" });

  it("bands by quartile of the passed cells: lower is better for times, higher for tokens per second", () => {
    const ttft = speedScale("ttft", [...cells, failed, neutral, null])!;
    expect(ttft.cuts).toEqual([300, 500, 700]);
    expect(cells.map((c) => speedBand(ttft, c))).toEqual([0, 0, 0, 1, 1, 2, 2, 3]);
    const tps = speedScale("tps", cells)!;
    expect(cells.map((c) => speedBand(tps, c))).toEqual([3, 3, 3, 2, 2, 1, 1, 0]);
  });

  it("only passed cells with a measurement get a band; the verdict view has no scale", () => {
    const ttft = speedScale("ttft", cells)!;
    expect([speedBand(ttft, failed), speedBand(ttft, neutral), speedBand(ttft, cell({ timeToFirstTokenMs: null }))]).toEqual([null, null, null]);
    expect(speedScale("verdict", cells)).toBeNull();
    expect(speedScale("ttft", [failed, neutral])).toBeNull();
  });

  it("fits a 30 px cell and says what each band covers", () => {
    expect([formatSpeed("ttft", 840), formatSpeed("ttft", 1234), formatSpeed("latency", 15_400), formatSpeed("tps", 96.3)]).toEqual(["840", "1.2s", "15s", "96"]);
    expect(bandRanges(speedScale("tps", cells)!).map((b) => b.label)).toEqual(["> 70 tok/s", "50 tok/s – 70 tok/s", "30 tok/s – 50 tok/s", "≤ 30 tok/s"]);
  });
});

describe("per model kind", () => {
  it("bands each kind against its own: a chat model's latency is not compared with an embedding model's", () => {
    const chat = [900, 1_000, 1_100, 1_200].map((ms) => cell({ latencyMs: ms }));
    const embed = [40, 50, 60, 70].map((ms) => cell({ latencyMs: ms }));
    const scales = speedScales("latency", [
      { bedrockModelId: "anthropic.claude", outputModalities: ["Text"], cells: chat },
      { bedrockModelId: "amazon.titan-embed", outputModalities: ["Embedding"], cells: embed },
    ]);
    expect([...scales.keys()].sort()).toEqual(["embedding", "text"]);
    // The fastest chat model is in the best band of its kind, not the worst of all.
    expect(chat.map((c) => speedBand(scales.get("text")!, c))).toEqual([0, 0, 1, 2]);
    expect(embed.map((c) => speedBand(scales.get("embedding")!, c))).toEqual([0, 0, 1, 2]);
    // Banded together, not one chat model would have been in the best band.
    const together = speedScale("latency", [...chat, ...embed])!;
    expect(chat.map((c) => speedBand(together, c))).toEqual([1, 2, 2, 3]);
  });
});
