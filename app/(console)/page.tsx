import type { Metadata } from "next";
import { MatrixPage } from "@/components/matrix/matrix-page";
import { grid } from "@/lib/certification/matrix";
import { prisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Matrix" };
export const dynamic = "force-dynamic";

// The grid comes with the page (no round trip before the first paint); the
// browser keeps it live from there.
export default async function HomePage() {
  // The moment it was rendered: relative ages ("3 min ago") are computed from
  // it on the server and while hydrating, so both render the same text.
  // A server component renders once per request: its clock is the point here.
  // eslint-disable-next-line react-hooks/purity
  return <MatrixPage initialGrid={await grid(prisma)} renderedAt={Date.now()} />;
}
