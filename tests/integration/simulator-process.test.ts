// `npm run simulator` as its own process, reached by the product's SDK clients
// in three Regions.
import { spawn, type ChildProcess } from "node:child_process";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBedrockClients, type BedrockClients } from "@/lib/bedrock/clients";

let child: ChildProcess;
let bedrock: BedrockClients;
let url = "";

beforeAll(async () => {
  child = spawn("npm", ["run", "--silent", "simulator", "--", "--port", "0", "--seed", "9"], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const m = /Bedrock simulator on (http:\/\/\S+):/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
  bedrock = createBedrockClients({ endpoint: url, credentials: { accessKeyId: "simulator", secretAccessKey: "simulator" }, callTimeoutMs: 5_000, connectTimeoutMs: 1_000, sdkMaxAttempts: 1 });
});

afterAll(async () => {
  bedrock?.destroy();
  if (child?.pid) process.kill(-child.pid, "SIGTERM");
});

describe("npm run simulator", () => {
  it("answers health and serves 118 models in 40 Regions", async () => {
    expect(await (await fetch(`${url}/_simulator/health`)).json()).toEqual({ status: "ok", models: 118, regions: 40 });
  });

  it.each(["us-east-1", "eu-west-2", "ap-south-1"])("answers Converse in %s and refuses what is not offered there", async (region) => {
    const r = await bedrock.runtime(region).send(new ConverseCommand({ modelId: "meta.llama3-8b-instruct-v1:0", messages: [{ role: "user", content: [{ text: "What is 21 + 21?" }] }] }));
    expect(r.output?.message?.content?.[0]?.text).toBe("42");
    const refused = await bedrock
      .runtime(region)
      .send(new ConverseCommand({ modelId: "amazon.titan-tg1-large", messages: [{ role: "user", content: [{ text: "hi" }] }] }))
      .then(
        () => null,
        (e) => e,
      );
    if (region === "us-east-1") expect(refused).toBeNull();
    else expect(refused).toMatchObject({ name: "ValidationException", message: "The provided model identifier is invalid." });
  });
});
