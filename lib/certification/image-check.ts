// Decides whether bytes are an image a user could open: a PNG whose chunks have
// valid CRCs and whose pixel data inflates to the size its header promises, or
// a JPEG with start and end markers and a frame header.
import { inflateSync } from "node:zlib";

export type DecodedImage = { format: "png" | "jpeg"; width: number; height: number };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function decodePng(buf: Buffer): DecodedImage {
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 8;
  let colourType = 2;
  const idat: Buffer[] = [];
  while (offset + 12 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.subarray(offset + 4, offset + 8).toString("ascii");
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (data.length !== length) throw new Error(`PNG chunk ${type} is truncated`);
    if (crc32(buf.subarray(offset + 4, offset + 8 + length)) !== buf.readUInt32BE(offset + 8 + length)) throw new Error(`PNG chunk ${type} has a bad CRC`);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colourType = data[9]!;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  if (width === 0 || height === 0) throw new Error("PNG has no valid IHDR");
  const rowBytes = Math.ceil((width * (CHANNELS[colourType] ?? 3) * bitDepth) / 8) + 1;
  const pixels = inflateSync(Buffer.concat(idat));
  if (pixels.length !== rowBytes * height) throw new Error(`PNG pixel data is ${pixels.length} bytes, expected ${rowBytes * height}`);
  return { format: "png", width, height };
}

function decodeJpeg(buf: Buffer): DecodedImage {
  if (buf[buf.length - 2] !== 0xff || buf[buf.length - 1] !== 0xd9) throw new Error("JPEG has no end marker");
  for (let i = 2; i + 9 < buf.length;) {
    if (buf[i] !== 0xff) throw new Error("JPEG segment marker expected");
    const marker = buf[i + 1]!;
    const length = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return { format: "jpeg", height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    i += 2 + length;
  }
  throw new Error("JPEG has no frame header");
}

export function decodeImage(bytes: Buffer): DecodedImage {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return decodePng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes);
  throw new Error("neither a PNG nor a JPEG");
}
