import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";

// /api/auth/*: Better Auth's endpoints (sign-in, sign-out, session, API keys).
export const { GET, POST } = toNextJsHandler(auth);
