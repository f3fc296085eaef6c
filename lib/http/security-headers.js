// The security headers of every response, in one place: next.config.js (static
// headers of every route), proxy.ts (the per-request CSP of pages, with its
// script nonce) and the web server's own refusals (server/edge.ts). Plain
// JavaScript (typed with JSDoc) because next.config.js imports it.

const development = process.env.NODE_ENV !== "production";

/**
 * Scripts run only from this origin or with this request's nonce (Next puts it
 * on its bootstrap scripts, next-themes on its theme script): no
 * 'unsafe-inline' for scripts. Styles keep 'unsafe-inline': React writes style
 * attributes (the matrix's virtual rows), which a nonce cannot cover.
 * Development adds what fast refresh needs (eval, a websocket).
 * @param {string} [nonce]
 * @returns {string}
 */
export function contentSecurityPolicy(nonce) {
  return [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}' 'strict-dynamic'` : ""}${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** @type {{ key: string; value: string }[]} */
export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy() },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(development ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]),
];
