// @ts-check
import { SECURITY_HEADERS } from "./lib/http/security-headers.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The web server compresses (server/compression.ts): it can also send the
  // matrix's cached, already-gzipped payloads, which Next's compression cannot.
  compress: false,
  // The worker and scripts import lib/ too; keep the build from bundling pg's
  // optional native bindings.
  serverExternalPackages: ["pg", "pino"],
  // `npm run dev` is also opened as http://127.0.0.1:3000 (fast refresh's socket is refused from origins Next does not know).
  allowedDevOrigins: ["127.0.0.1"],
  async headers() {
    // Pages get their CSP, with a script nonce, from proxy.ts; everything else this static one.
    const csp = SECURITY_HEADERS.find((h) => h.key === "Content-Security-Policy");
    if (!csp) throw new Error("SECURITY_HEADERS has no Content-Security-Policy");
    return [
      { source: "/:path*", headers: SECURITY_HEADERS.filter((h) => h !== csp) },
      { source: "/api/:path*", headers: [csp] },
      { source: "/_next/:path*", headers: [csp] },
    ];
  },
};

export default nextConfig;
