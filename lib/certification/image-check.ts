// Decides whether bytes are an image a user could look at: decoded whole by a
// real decoder (pngjs, jpeg-js: every chunk, CRC and scan line), with pixels
// that are not blank. Markers that only look like a JPEG, or a 1×1 PNG, do
// not pass (issue 27: both were EXCELLENT when only the structure was read).
import jpeg from "jpeg-js";
import { PNG } from "pngjs";

export type DecodedImage = {
  format: "png" | "jpeg";
  width: number;
  height: number;
  // Over the pixels: how many distinct colours (sampled), and how much the
  // luminance varies (standard deviation, 0–255). A blank image has 1 and 0.
  distinctColours: number;
  luminanceStdDev: number;
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pixelStats(rgba: Uint8Array, width: number, height: number) {
  const pixels = width * height;
  const step = Math.max(1, Math.floor(pixels / 65_536));
  const colours = new Set<number>();
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let p = 0; p < pixels; p += step) {
    const i = p * 4;
    const [r, g, b] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += y;
    squares += y * y;
    n++;
  }
  const mean = sum / n;
  return { distinctColours: colours.size, luminanceStdDev: Math.sqrt(Math.max(0, squares / n - mean * mean)) };
}

export function decodeImage(bytes: Buffer): DecodedImage {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    const png = PNG.sync.read(bytes);
    return { format: "png", width: png.width, height: png.height, ...pixelStats(png.data, png.width, png.height) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
    return { format: "jpeg", width: img.width, height: img.height, ...pixelStats(img.data, img.width, img.height) };
  }
  throw new Error("neither a PNG nor a JPEG");
}

// An image is not blank when it has some colours and some contrast.
export const MIN_DISTINCT_COLOURS = 16;
export const MIN_LUMINANCE_STDDEV = 2;
export const isBlank = (d: DecodedImage) => d.distinctColours < MIN_DISTINCT_COLOURS || d.luminanceStdDev < MIN_LUMINANCE_STDDEV;
