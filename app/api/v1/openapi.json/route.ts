import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/http/openapi";

export const dynamic = "force-static";

// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (public: no data in it).
export function GET() {
  return NextResponse.json(openApiDocument());
}
