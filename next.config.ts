import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The worker and scripts import lib/ too; keep the build from bundling pg's
  // optional native bindings.
  serverExternalPackages: ["pg", "pino"],
};

export default nextConfig;
