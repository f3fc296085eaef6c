// The simulator shares nothing with the product (issue 27): a Bedrock double
// that imported the product's tables or rules would agree with the product by
// construction, and a verdict checked against it would prove nothing. Every
// file of simulator/ may import packages and its own files, never lib/ or
// anything else of the product.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const DIR = import.meta.dirname;
const files = readdirSync(DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));

it("imports nothing from the product", () => {
  expect(files.length).toBeGreaterThan(10);
  const offending = files.flatMap((file) =>
    [...readFileSync(path.join(DIR, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)]
      .map((m) => m[1]!)
      .filter((spec) => spec.startsWith("@/") || (spec.startsWith(".") && !path.resolve(DIR, path.dirname(file), spec).startsWith(DIR + path.sep)))
      .map((spec) => `${file}: ${spec}`),
  );
  expect(offending).toEqual([]);
});
