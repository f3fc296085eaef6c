// Prisma CLI configuration (Prisma 7 reads no .env file by itself).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL } from "./lib/config/defaults";

// The CLI would download its native schema engine from Prisma's binary server.
// Our wasm-backed drop-in speaks the same protocol and works offline; an operator
// who has the native binary can still point PRISMA_SCHEMA_ENGINE_BINARY at it.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "prisma", "engine", "schema-engine.mjs");

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: {
    path: path.join("prisma", "migrations"),
    seed: "tsx --conditions=react-server prisma/seed.ts",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  },
});
