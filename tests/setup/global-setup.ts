import type { TestProject } from "vitest/node";
import { createMigratedDatabase, dropDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// One migrated database for the whole run, dropped at the end.
export default async function setup(project: TestProject) {
  const { name, url } = await createMigratedDatabase("run");
  project.provide("databaseUrl", url);
  return async () => {
    await dropDatabase(name);
  };
}
