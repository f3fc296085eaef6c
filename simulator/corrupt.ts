// The corrupting layer: answers a hostile proxy or a broken service could give,
// made from the simulator's right ones, chosen by the same fault rules
// (`corrupt` in a rule, docs/simulator.md). Each is something the simulator's
// model never does on its own, and that a certification must not pass
// (issue 27); tests/integration/hostile-answers.test.ts holds the verdicts.
import { encodePng } from "./png";

export const CORRUPTIONS = [
  // Text answers that keep the checked tokens and say something else.
  "negate",
  "refuse",
  // JSON answers with their booleans flipped.
  "json-flip",
  // ConverseStream: the socket is reset half-way through the stream.
  "stream-reset",
  // InvokeModel: a 200 whose body is not JSON (NaN in a vector, empty, cut short).
  "body-nan",
  "body-empty",
  "body-truncated",
  // InvokeModel: a vector with a null element.
  "vector-null",
  // Images: JPEG markers with nothing between them; a valid 1×1 PNG.
  "fake-jpeg",
  "tiny-png",
] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

type Block = Record<string, unknown>;

// A Converse answer's text blocks, corrupted.
export function corruptText(content: Block[], how: Corruption): Block[] {
  return content.map((block) => {
    if (typeof block.text !== "string" || !block.text) return block;
    const text = block.text;
    if (how === "negate") return { text: `It is not ${text}` };
    if (how === "refuse") return { text: `I refuse to reply with ${text}` };
    if (how === "json-flip") {
      try {
        const value = JSON.parse(text) as Record<string, unknown>;
        if (value && typeof value === "object") return { text: JSON.stringify(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "boolean" ? !v : v]))) };
      } catch {
        // not JSON: left as it is
      }
    }
    return block;
  });
}

const FAKE_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x02, 0x00, 0x02, 0x00, 0x01, 0x01, 0x11, 0x00,
  0xff, 0xd9,
]).toString("base64");
const TINY_PNG = encodePng(1, 1, () => [200, 30, 30]).toString("base64");

// The first array of numbers in a body, wherever it is.
function firstVector(value: unknown): number[] | null {
  if (Array.isArray(value)) return value.length && value.every((x) => typeof x === "number") ? (value as number[]) : (value.map(firstVector).find(Boolean) ?? null);
  if (value && typeof value === "object") return Object.values(value).map(firstVector).find(Boolean) ?? null;
  return null;
}

// An InvokeModel body, corrupted: the bytes to send.
export function corruptInvokeBody(body: unknown, how: Corruption): string {
  const json = JSON.stringify(body);
  switch (how) {
    case "body-nan": {
      const v = firstVector(body);
      if (v) (v as unknown[])[0] = "__NAN__";
      return JSON.stringify(body).replace('"__NAN__"', "NaN");
    }
    case "body-empty":
      return "";
    case "body-truncated":
      return json.slice(0, Math.floor(json.length / 2));
    case "vector-null": {
      const v = firstVector(body);
      if (v) (v as unknown[])[0] = null;
      return JSON.stringify(body);
    }
    case "fake-jpeg":
    case "tiny-png":
      return json.replace(/"(images|base64)":(\[?)"[^"]+"/g, (_m, key: string, bracket: string) => `"${key}":${bracket}"${how === "fake-jpeg" ? FAKE_JPEG : TINY_PNG}"`);
    default:
      return json;
  }
}
