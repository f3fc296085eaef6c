import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { startJobInputSchema } from "@/lib/certification/job-input";
import { openApiDocument, OPERATIONS } from "./openapi";

// Every route file under app/api, as an OpenAPI path with its methods.
function routeFiles(dir = path.join(process.cwd(), "app", "api")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [path.relative(path.join(process.cwd(), "app"), path.dirname(full))] : [];
  });
}

describe("the OpenAPI document", () => {
  it("describes every API route there is (and only those)", () => {
    const routes = routeFiles()
      .filter((r) => !r.startsWith(`api${path.sep}auth`)) // Better Auth's own endpoints
      .map(
        (r) =>
          `/${r
            .split(path.sep)
            .join("/")
            .replace(/\[(\w+)\]/g, "{$1}")}`,
      )
      .sort();
    expect(Object.keys(OPERATIONS).sort()).toEqual(routes);
  });

  it("takes request bodies from the handlers' zod schemas", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const post = doc.paths["/api/v1/jobs"]!.post as { requestBody: { content: { "application/json": { schema: unknown } } }; responses: Record<string, unknown> };
    expect(post.requestBody.content["application/json"].schema).toEqual(z.toJSONSchema(startJobInputSchema, { io: "input", unrepresentable: "any" }));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["201", "400", "401", "403"]));
    const list = doc.paths["/api/v1/certifications"]!.get as { parameters: { name: string }[] };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["region", "status", "provider", "rating", "passed", "staleSince", "q", "sort", "cursor"]));
  });
});
