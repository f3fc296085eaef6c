"use client";
// The browser's side of Better Auth (same origin: /api/auth).
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();
