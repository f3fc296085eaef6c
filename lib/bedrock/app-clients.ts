import "server-only";
// The web app's Bedrock clients (for the catalog sync it can trigger).
import { env } from "@/lib/env";
import { bedrockConnectionFromEnv, createBedrockClients, type BedrockClients } from "./clients";

const globalForBedrock = globalThis as unknown as { bedrockClients?: BedrockClients };

export function appBedrockClients(): BedrockClients {
  globalForBedrock.bedrockClients ??= createBedrockClients(bedrockConnectionFromEnv(env));
  return globalForBedrock.bedrockClients;
}
