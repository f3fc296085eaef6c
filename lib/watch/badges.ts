import "server-only";
// SVG badges, shields.io style: a model in a Region ("passed · 3h"), or a
// model across its offered Regions ("passed 12/14"). Public only while the
// status page is (an admin's switch); cache-friendly (ETag from the data,
// max-age 5 minutes).
import { createHash } from "node:crypto";
import { modelRefsWhere, modelRefWhere } from "@/lib/catalog/model-ref";
import { cellVerdict, type CellVerdict } from "@/lib/certification/verdict";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type Badge = { label: string; message: string; color: string; etag: string };

const COLOR: Record<CellVerdict, string> = {
  passed: "#2e7d32",
  failed: "#c62828",
  running: "#0277bd",
  waiting: "#4fc3f7",
  cancelled: "#757575",
  "not-offered": "#9e9e9e",
  "profile-only": "#6a1b9a",
  legacy: "#8d6e63",
  unsupported: "#9e9e9e",
  pending: "#9e9e9e",
};

export function age(from: Date, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes / 1440)}d`;
}

const etagOf = (...parts: unknown[]) => `"${createHash("sha1").update(JSON.stringify(parts)).digest("base64url").slice(0, 20)}"`;

// The model a badge asks for, among those the status page shows (the admin's
// chosen ones; all enabled ones when none is chosen). Any other model is
// answered as an unknown one would be: badges must not enumerate the catalog.
const shownModel = (modelRef: string, chosen: string[]) => ({ AND: [modelRefWhere(modelRef), { enabled: true }, ...(chosen.length ? [modelRefsWhere(chosen)] : [])] });

export async function cellBadge(db: PrismaClient, modelRef: string, region: string, chosen: string[] = []): Promise<Badge | null> {
  const model = await db.aIModel.findFirst({ where: shownModel(modelRef, chosen), select: { id: true, bedrockModelId: true } });
  if (!model) return null;
  const cell = await db.modelCertification.findUnique({
    where: { modelId_region: { modelId: model.id, region } },
    select: { status: true, passed: true, availability: true, completedAt: true, updatedAt: true },
  });
  const label = `bedrock ${region}`;
  if (!cell) return { label, message: "not certified", color: COLOR.pending, etag: etagOf(model.id, region, null) };
  const verdict = cellVerdict(cell);
  const when = cell.completedAt ? ` · ${age(cell.completedAt)}` : "";
  return { label, message: `${verdict.replace("-", " ")}${when}`, color: COLOR[verdict], etag: etagOf(model.id, region, cell.updatedAt, when) };
}

export async function modelBadge(db: PrismaClient, modelRef: string, chosen: string[] = []): Promise<Badge | null> {
  const model = await db.aIModel.findFirst({ where: shownModel(modelRef, chosen), select: { id: true, name: true } });
  if (!model) return null;
  const cells = await db.modelCertification.findMany({
    where: { modelId: model.id, regionRef: { enabled: true }, availability: { in: ["IN_REGION", "PROFILE_ONLY"] } },
    select: { status: true, passed: true, availability: true, completedAt: true, updatedAt: true },
  });
  const tried = cells.filter((c) => c.passed !== null);
  const passed = tried.filter((c) => c.passed).length;
  const oldest = tried.reduce<Date | null>((o, c) => (c.completedAt && (!o || c.completedAt < o) ? c.completedAt : o), null);
  const newest = cells.reduce((n, c) => Math.max(n, c.updatedAt.getTime()), 0);
  const color = tried.length === 0 ? COLOR.pending : passed === tried.length ? COLOR.passed : passed === 0 ? COLOR.failed : "#ef6c00";
  const since = oldest ? ` · ${age(oldest)}` : "";
  const message = tried.length === 0 ? "not certified" : passed === 0 ? `failing in ${tried.length}/${tried.length} Regions${since}` : `passed ${passed}/${tried.length} Regions${since}`;
  return { label: "bedrock", message, color, etag: etagOf(model.id, newest, tried.length, message) };
}

// Widths from a rough per-character advance of 11px Verdana (as shields.io
// measures), so the text fits without a font on the server.
const textWidth = (s: string) => Math.round([...s].reduce((w, ch) => w + (/[ilj.:,'|]/.test(ch) ? 3.5 : /[mwMW]/.test(ch) ? 10 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5), 0)) + 10;
const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

export function renderBadge(b: Pick<Badge, "label" | "message" | "color">): string {
  const lw = textWidth(b.label);
  const mw = textWidth(b.message);
  const w = lw + mw;
  const label = escapeXml(b.label);
  const message = escapeXml(b.message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${label}: ${message}"><title>${label}: ${message}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${b.color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${label}</text><text x="${lw + mw / 2}" y="14">${message}</text></g></svg>`;
}

// The response for a badge request: 404 while the status page is private or
// for an unknown model, 304 for a matching If-None-Match.
export function badgeResponse(badge: Badge | null, request: Request): Response {
  if (!badge) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  const headers = { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "public, max-age=300, stale-while-revalidate=600", ETag: badge.etag };
  if (request.headers.get("if-none-match") === badge.etag) return new Response(null, { status: 304, headers });
  return new Response(renderBadge(badge), { headers });
}

// A path segment as given, decoded once if it is still percent-encoded.
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
