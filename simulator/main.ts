// `npm run simulator`: the Bedrock-compatible simulator on its own port.
//   SIMULATOR_PORT / --port       (default 4599)
//   SIMULATOR_CATALOG_FILE / --catalog   a file in the format of data/bedrock-model-regions.csv
//   SIMULATOR_REGIONS_FILE / --regions   a file in the format of data/bedrock-regions.csv
//   SIMULATOR_FAULTS_FILE / --faults     faults (see docs/simulator.md)
//   SIMULATOR_SEED / --seed              seed for fault rates and jitter
//   SIMULATOR_KEYS / --keys              accepted credentials, KEY:SECRET[,…] (default simulator:simulator)
import { readModels, readRegions } from "./tables";
import { SimulatorCatalog } from "./catalog";
import { loadSimulatorConfig } from "./config";
import { loadFaultsFile } from "./faults";
import { createSimulator } from "./server";
import { parseKeys } from "./sigv4";

const config = loadSimulatorConfig();
const catalog = new SimulatorCatalog(readRegions(config.regionsFile), readModels(config.catalogFile));
const simulator = createSimulator({
  catalog,
  faults: config.faultsFile ? loadFaultsFile(config.faultsFile) : { rules: [] },
  seed: config.seed,
  keys: parseKeys(config.keys),
  log: (line) => console.log(`[simulator] ${line}`),
});
const url = await simulator.listen(config.port, config.host);
console.log(`[simulator] Bedrock simulator on ${url}: ${catalog.models.size} models in ${catalog.regions.size} Regions (seed ${config.seed})`);
console.log(`[simulator] point the product at it with BEDROCK_ENDPOINT=${url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await simulator.close();
    process.exit(0);
  });
}
