// The embedded defaults: the local PostgreSQL and Redis of a development machine
// and the bundled Bedrock simulator. Every one can be overridden by environment
// variables (see lib/env.ts); these are what `npm run dev` uses out of the box.
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/bedrock_certification";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_SIMULATOR_PORT = 4599;
