import { TEST_SERVER_URL, databaseUrl } from "../../tests/setup/test-database";

export function e2eDatabaseName(): string {
  const name = process.env.E2E_DATABASE_NAME;
  if (!name) throw new Error("E2E_DATABASE_NAME is not set (playwright.config.ts sets it)");
  return name;
}

export const e2eDatabaseUrl = () => databaseUrl(e2eDatabaseName());
export { TEST_SERVER_URL };

// The accounts the browser tests sign in with (created by serve.ts).
export const E2E_ADMIN = { email: "e2e-admin@example.com", password: "e2e-admin-password" };
export const E2E_VIEWER = { email: "e2e-viewer@example.com", password: "e2e-viewer-password" };

// The Bedrock simulator the web app and the worker talk to (started by serve.ts).
export const SIMULATOR_URL = `http://127.0.0.1:${process.env.E2E_SIMULATOR_PORT ?? "4620"}`;
