// A simulator on a free loopback port, reached by the real AWS SDK clients of
// lib/bedrock exactly as the product reaches it.
import { createBedrockClients, type BedrockClients } from "@/lib/bedrock/clients";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { SimulatorCatalog } from "@/simulator/catalog";
import type { FaultsConfig } from "@/simulator/faults";
import { createSimulator, type Simulator } from "@/simulator/server";

export type TestSimulator = { simulator: Simulator; url: string; bedrock: BedrockClients; close(): Promise<void> };

export async function startSimulator(options: { catalogFile?: string; faults?: FaultsConfig; seed?: number; callTimeoutMs?: number; sdkMaxAttempts?: number } = {}): Promise<TestSimulator> {
  const simulator = createSimulator({
    catalog: new SimulatorCatalog(parseRegionsCsv(), parseModelsCsv(options.catalogFile)),
    faults: options.faults ?? { rules: [] },
    seed: options.seed ?? 1,
  });
  const url = await simulator.listen(0);
  const bedrock = createBedrockClients({
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
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
