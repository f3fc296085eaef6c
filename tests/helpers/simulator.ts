// A simulator on a free loopback port, reached by the real AWS SDK clients of
// lib/bedrock exactly as the product reaches it.
import { createBedrockClients, type BedrockClients } from "@/lib/bedrock/clients";
import { SimulatorCatalog } from "@/simulator/catalog";
import type { FaultsConfig } from "@/simulator/faults";
import { createSimulator, type Simulator } from "@/simulator/server";
import { NodeSha256 } from "@/simulator/sigv4";
import { readModels, readRegions } from "@/simulator/tables";
import { SignatureV4 } from "@smithy/signature-v4";

// A raw request signed as the SDK signs it (SigV4, the simulator's default
// key), for tests that look at the wire rather than through the SDK.
export async function signedFetch(baseUrl: string, method: string, path: string, body?: string, region = "us-east-1", credentials = { accessKeyId: "simulator", secretAccessKey: "simulator" }) {
  const url = new URL(path, baseUrl);
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  const signer = new SignatureV4({ credentials, region, service: "bedrock", sha256: NodeSha256 });
  const signed = await signer.sign({
    method,
    protocol: "http:",
    hostname: url.host,
    path: url.pathname,
    query,
    headers: { host: url.host, "content-type": "application/json", ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }) },
    body,
  });
  return fetch(url, { method, headers: signed.headers, body });
}

export type TestSimulator = { simulator: Simulator; url: string; bedrock: BedrockClients; close(): Promise<void> };

export async function startSimulator(options: { catalogFile?: string; faults?: FaultsConfig; seed?: number; callTimeoutMs?: number; sdkMaxAttempts?: number } = {}): Promise<TestSimulator> {
  const simulator = createSimulator({
    catalog: new SimulatorCatalog(readRegions(), readModels(options.catalogFile)),
    faults: options.faults ?? { rules: [] },
    seed: options.seed ?? 1,
  });
  const url = await simulator.listen(0);
  const bedrock = createBedrockClients({
    endpoint: url,
    credentials: { accessKeyId: "simulator", secretAccessKey: "simulator" },
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    connectTimeoutMs: 2_000,
    sdkMaxAttempts: options.sdkMaxAttempts ?? 3,
  });
  return {
    simulator,
    url,
    bedrock,
    async close() {
      bedrock.destroy();
      await simulator.close();
    },
  };
}
