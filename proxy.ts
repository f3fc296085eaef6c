// Every page gets a fresh script nonce and a Content-Security-Policy naming it
// (Next reads the nonce from the request's CSP header and puts it on its own
// scripts; the root layout hands it to next-themes). API routes and static
// files keep next.config's static headers.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only: not the API, Next's static files, the icon.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|icon.svg|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};
