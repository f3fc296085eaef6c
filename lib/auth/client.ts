"use client";
// The browser's side of Better Auth (same origin: /api/auth), with the API
// token endpoints.
import { apiKeyClient } from "@better-auth/api-key/client";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({ plugins: [apiKeyClient()] });
