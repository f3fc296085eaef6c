import "server-only";
// Reading certifications: one filter language for the list, the matrix and
// the exports (region, status, provider, rating, passed, stale-since, text),
// parsed with zod from query strings ("region=us-east-1,eu-west-1").
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { CertificationRating, CertificationStatus } from "@/lib/generated/prisma/enums";

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(100));

export const certificationFilterSchema = z
  .object({
    region: csv(z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code")).optional(),
    status: csv(z.enum(Object.values(CertificationStatus) as [string, ...string[]])).optional(),
    provider: csv(z.string().min(1).max(100)).optional(),
    rating: csv(z.enum(Object.values(CertificationRating) as [string, ...string[]])).optional(),
    passed: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    // Cells not certified since this instant (or never).
    staleSince: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
    q: z.string().min(1).max(100).optional(),
  })
  .strict();

export type CertificationFilter = z.output<typeof certificationFilterSchema>;

export function certificationWhere(f: CertificationFilter): Prisma.ModelCertificationWhereInput {
  return {
    ...(f.region ? { region: { in: f.region } } : {}),
    ...(f.status ? { status: { in: f.status as CertificationStatus[] } } : {}),
    ...(f.rating ? { rating: { in: f.rating as CertificationRating[] } } : {}),
    ...(f.passed !== undefined ? { passed: f.passed } : {}),
    ...(f.staleSince ? { OR: [{ completedAt: null }, { completedAt: { lt: f.staleSince } }] } : {}),
    ...(f.provider || f.q
      ? {
          model: {
            ...(f.provider ? { provider: { in: f.provider, mode: "insensitive" as const } } : {}),
            ...(f.q ? { OR: [{ name: { contains: f.q, mode: "insensitive" as const } }, { bedrockModelId: { contains: f.q, mode: "insensitive" as const } }] } : {}),
          },
        }
      : {}),
  };
}

const SORTS = { updated: "updatedAt", completed: "completedAt", score: "score", region: "region" } as const;
const NULLABLE = new Set(["completed", "score"]);
export const listQuerySchema = z.object({
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default("updated"),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(100).optional(),
});

// A page of certifications; `nextCursor` continues it (stable under equal sort keys: id breaks ties).
export async function listCertifications(db: PrismaClient, filter: CertificationFilter, page: z.output<typeof listQuerySchema>) {
  const rows = await db.modelCertification.findMany({
    where: certificationWhere(filter),
    // Cells never scored or finished sort last whichever the direction.
    orderBy: [{ [SORTS[page.sort]]: NULLABLE.has(page.sort) ? { sort: page.order, nulls: "last" } : page.order }, { id: page.order }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    omit: { testResults: true },
    include: { model: { select: { bedrockModelId: true, name: true, provider: true } } },
  });
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { items, nextCursor: more ? items.at(-1)!.id : null };
}

// The same filter as SQL, for the matrix query below.
function certificationSql(f: CertificationFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (f.region) parts.push(Prisma.sql`c.region = ANY(${f.region}::text[])`);
  if (f.status) parts.push(Prisma.sql`c.status::text = ANY(${f.status}::text[])`);
  if (f.rating) parts.push(Prisma.sql`c.rating::text = ANY(${f.rating}::text[])`);
  if (f.passed !== undefined) parts.push(Prisma.sql`c.passed = ${f.passed}`);
  if (f.staleSince) parts.push(Prisma.sql`(c.completed_at IS NULL OR c.completed_at < (${f.staleSince.toISOString()}::timestamptz AT TIME ZONE 'UTC'))`);
  if (f.provider) parts.push(Prisma.sql`lower(m.provider) = ANY(${f.provider.map((p) => p.toLowerCase())}::text[])`);
  if (f.q) parts.push(Prisma.sql`(m.name ILIKE ${`%${f.q}%`} OR m.bedrock_model_id ILIKE ${`%${f.q}%`})`);
  return Prisma.join(parts, " AND ");
}

export type Matrix = {
  columns: string[];
  models: { id: string; bedrockModelId: string | null; name: string; provider: string }[];
  regions: string[];
  cells: [number, number, string, boolean | null, number | null, string | null, string | null, string | null][];
};

// The whole model × Region grid in one compact payload: models and Regions
// listed once, cells as tuples of indexes and codes. PostgreSQL builds the JSON
// (one statement, one string back): thousands of cells cost the web process
// almost nothing.
export async function matrixJson(db: PrismaClient, filter: CertificationFilter): Promise<string> {
  const rows = await db.$queryRaw<{ matrix: string }[]>`
    WITH cells AS (
      SELECT c.model_id, c.region, c.status, c.passed, c.score, c.rating, c.error_category, c.completed_at, m.provider, m.name
        FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
       WHERE ${certificationSql(filter)}
    ), models AS (
      SELECT m.id, m.bedrock_model_id, m.name, m.provider, row_number() OVER (ORDER BY m.provider, m.name, m.id) - 1 AS i
        FROM ai_models m WHERE m.id IN (SELECT DISTINCT model_id FROM cells)
    ), regions AS (
      SELECT region, row_number() OVER (ORDER BY region) - 1 AS i FROM (SELECT DISTINCT region FROM cells) r
    )
    SELECT json_build_object(
      'columns', json_build_array('model', 'region', 'status', 'passed', 'score', 'rating', 'errorCategory', 'completedAt'),
      'models', COALESCE((SELECT json_agg(json_build_object('id', id, 'bedrockModelId', bedrock_model_id, 'name', name, 'provider', provider) ORDER BY i) FROM models), '[]'::json),
      'regions', COALESCE((SELECT json_agg(region ORDER BY i) FROM regions), '[]'::json),
      'cells', COALESCE((SELECT json_agg(json_build_array(mo.i, re.i, c.status, c.passed, c.score, c.rating, c.error_category,
                  to_char(c.completed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY mo.i, re.i)
                FROM cells c JOIN models mo ON mo.id = c.model_id JOIN regions re ON re.region = c.region), '[]'::json)
    )::text AS matrix`;
  return rows[0]!.matrix;
}

export async function matrix(db: PrismaClient, filter: CertificationFilter): Promise<Matrix> {
  return JSON.parse(await matrixJson(db, filter)) as Matrix;
}
