// The simulator's own configuration (it is its own process), from environment
// variables or command-line flags (`--port 4599 --catalog file.csv ...`).
import { z } from "zod";
import { DEFAULT_PORT, MODELS_FILE, REGIONS_FILE } from "./tables";
import { DEFAULT_KEYS } from "./sigv4";

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  host: z.string().default("127.0.0.1"),
  // The model catalog and Region availability, in the format of data/bedrock-model-regions.csv.
  catalogFile: z.string().default(MODELS_FILE),
  regionsFile: z.string().default(REGIONS_FILE),
  // Optional JSON file of faults (see simulator/faults.ts); also settable at run time.
  faultsFile: z.string().optional(),
  // Seed for every random choice (fault rates, latency jitter): same seed, same run.
  seed: z.coerce.number().int().default(1),
  // The credentials it accepts, "ACCESS_KEY_ID:SECRET" comma-separated: every
  // request's SigV4 signature is checked against them, as AWS checks its own.
  keys: z.string().min(3).default(DEFAULT_KEYS),
});

export type SimulatorConfig = z.infer<typeof configSchema>;

const FLAGS: Record<string, keyof SimulatorConfig> = {
  "--port": "port",
  "--host": "host",
  "--catalog": "catalogFile",
  "--regions": "regionsFile",
  "--faults": "faultsFile",
  "--seed": "seed",
  "--keys": "keys",
};

export function loadSimulatorConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const raw: Record<string, string | undefined> = {
    port: env.SIMULATOR_PORT,
    host: env.SIMULATOR_HOST,
    catalogFile: env.SIMULATOR_CATALOG_FILE,
    regionsFile: env.SIMULATOR_REGIONS_FILE,
    faultsFile: env.SIMULATOR_FAULTS_FILE,
    seed: env.SIMULATOR_SEED,
    keys: env.SIMULATOR_KEYS,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = FLAGS[argv[i]!];
    if (key) raw[key] = argv[++i];
  }
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(`Invalid simulator configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return parsed.data;
}
