import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      // Outside Next's react-server environment the marker package throws on
      // import; tests run server code, so give them its server-side (empty) form.
      "server-only": path.join(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["{lib,scripts,prisma,simulator,worker,server,components,tests}/**/*.test.ts"],
    // Integration tests share one PostgreSQL database per run and one Redis:
    // run files one after another.
    fileParallelism: false,
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
