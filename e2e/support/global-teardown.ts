import { dropDatabase } from "../../tests/setup/test-database";
import { e2eDatabaseName } from "./database";

export default async function globalTeardown() {
  await dropDatabase(e2eDatabaseName());
}
