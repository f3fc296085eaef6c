import "server-only";
// Reading certifications: one filter language for the list, the matrix and
// the exports (region, status, provider, rating, passed, stale-since, text),
// parsed with zod from query strings ("region=us-east-1,eu-west-1").
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { CertificationRating, CertificationStatus, PairAvailability } from "@/lib/generated/prisma/enums";
import { CERTIFICATION_ROW, jsonRow } from "@/lib/db/json-row";
import { searchText } from "./cell-filter";

export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(100));

// An ISO 8601 instant with its offset, in the years PostgreSQL and JavaScript
// both take without surprise.
export const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999, "must be between 1970 and 9999");

export const certificationFilterSchema = z
  .object({
    region: csv(z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code")).optional(),
    status: csv(z.enum(Object.values(CertificationStatus) as [string, ...string[]])).optional(),
    provider: csv(z.string().min(1).max(100)).optional(),
    rating: csv(z.enum(Object.values(CertificationRating) as [string, ...string[]])).optional(),
    passed: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
    // How the model is offered: IN_REGION, PROFILE_ONLY, NOT_OFFERED, LEGACY, UNSUPPORTED.
    availability: csv(z.enum(Object.values(PairAvailability) as [string, ...string[]])).optional(),
    // Cells not certified since this instant (or never).
    staleSince: instant.optional(),
    q: z.string().min(1).max(100).optional(),
  })
  .strict();

export type CertificationFilter = z.output<typeof certificationFilterSchema>;

// The filter rule of ./cell-filter.ts in SQL, over model_certifications c
// joined with ai_models m, clause for clause. `enabledOnly` keeps what the
// matrix page shows: enabled models in enabled Regions.
export function cellFilterSql(f: CertificationFilter, options: { enabledOnly?: boolean } = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (options.enabledOnly) parts.push(Prisma.sql`m.enabled AND EXISTS (SELECT 1 FROM regions r WHERE r.code = c.region AND r.enabled)`);
  if (f.region) parts.push(Prisma.sql`c.region = ANY(${f.region}::text[])`);
  if (f.status) parts.push(Prisma.sql`c.status::text = ANY(${f.status}::text[])`);
  if (f.rating) parts.push(Prisma.sql`c.rating::text = ANY(${f.rating}::text[])`);
  if (f.passed !== undefined) parts.push(Prisma.sql`c.passed = ${f.passed}`);
  if (f.availability) parts.push(Prisma.sql`c.availability::text = ANY(${f.availability}::text[])`);
  if (f.staleSince) parts.push(Prisma.sql`(c.completed_at IS NULL OR c.completed_at < (${f.staleSince.toISOString()}::timestamptz AT TIME ZONE 'UTC'))`);
  if (f.provider) parts.push(Prisma.sql`lower(m.provider) = ANY(${f.provider.map((p) => p.toLowerCase())}::text[])`);
  const q = searchText(f.q);
  if (q) {
    // A % or _ typed in the search box is that character, not a wildcard.
    const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    parts.push(Prisma.sql`(lower(m.name) LIKE ${pattern} OR lower(coalesce(m.bedrock_model_id, '')) LIKE ${pattern})`);
  }
  return Prisma.join(parts, " AND ");
}

// The list's sort keys and their columns; cells never scored or finished sort
// last whichever the direction.
const SORTS = { updated: "updated_at", completed: "completed_at", score: "score", region: "region" } as const;
const NULLABLE = new Set(["completed", "score"]);

export const listQuerySchema = z.object({
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default("updated"),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(100).optional(),
});

// A page of certifications as JSON text, built by PostgreSQL in one statement
// (lib/db/json-row.ts): each row as the API's objects have always read, its
// test results left out and its model's names beside it; `nextCursor`
// continues it (stable under equal sort keys: id breaks ties). The page's ids
// come from filter, order, cursor and limit together; only the page's rows are
// then read and turned into JSON.
export async function listCertificationsJson(db: PrismaClient, filter: CertificationFilter, page: z.output<typeof listQuerySchema>): Promise<string> {
  const column = SORTS[page.sort];
  const [col, cur] = [Prisma.raw(`c.${column}`), Prisma.raw(`k.${column}`)];
  const direction = Prisma.raw(page.order === "asc" ? "ASC" : "DESC");
  const after = Prisma.raw(page.order === "asc" ? ">" : "<");
  const nullable = NULLABLE.has(page.sort);
  // After the cursor's row in this order; with nulls last, a null cursor key
  // is followed only by nulls, and a non-null one by every null.
  const afterCursor = !page.cursor
    ? Prisma.sql`TRUE`
    : nullable
      ? Prisma.sql`CASE WHEN ${cur} IS NULL THEN ${col} IS NULL AND c.id ${after} k.id ELSE ${col} IS NULL OR (${col}, c.id) ${after} (${cur}, k.id) END`
      : Prisma.sql`(${col}, c.id) ${after} (${cur}, k.id)`;
  const item = jsonRow("c", CERTIFICATION_ROW, {
    omit: ["testResults"],
    extra: { model: Prisma.sql`json_build_object('bedrockModelId', m.bedrock_model_id, 'name', m.name, 'provider', m.provider)` },
  });
  const [row] = await db.$queryRaw<{ page: string }[]>`
    WITH page AS (
      SELECT c.id, ${col} AS sort_key FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
        ${page.cursor ? Prisma.sql`JOIN model_certifications k ON k.id = ${page.cursor}` : Prisma.empty}
       WHERE ${cellFilterSql(filter)} AND ${afterCursor}
       ORDER BY ${col} ${direction} ${nullable ? Prisma.sql`NULLS LAST` : Prisma.empty}, c.id ${direction}
       LIMIT ${page.limit + 1}
    ), numbered AS (
      SELECT id, row_number() OVER (ORDER BY sort_key ${direction} NULLS LAST, id ${direction}) AS ord FROM page
    )
    SELECT json_build_object(
      'items', COALESCE((SELECT json_agg(${item} ORDER BY p.ord)
                           FROM numbered p JOIN model_certifications c ON c.id = p.id JOIN ai_models m ON m.id = c.model_id
                          WHERE p.ord <= ${page.limit}), '[]'::json),
      'nextCursor', (SELECT p.id FROM numbered p WHERE p.ord = ${page.limit} AND (SELECT count(*) FROM numbered) > ${page.limit})
    )::text AS page`;
  return row!.page;
}
