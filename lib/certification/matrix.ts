import "server-only";
// The model × Region grid in compact payloads (models and Regions listed once,
// cells as tuples of indexes and codes). PostgreSQL builds the JSON, in one
// statement: thousands of cells cost the web process almost nothing.
//
// Admins and dashboards read the matrix far more often than it changes, so
// each web process keeps the last payloads it built, keyed by filter, under a
// *data version*: a fingerprint of every row the payload is built from
// (count, sum of xmin — the id of the transaction that last wrote each row —
// and newest update). Any insert, update or delete changes it; checking it is
// one small aggregate query (~1 ms on 6,000 cells), and a payload is built
// in the same statement as its version, so both come from one snapshot.
import { createHash } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { isoUtc } from "@/lib/db/json-row";
import { canSendPrecompressedGzip, gzippedResponse, gzipText } from "@/lib/http/precompressed";
import { cellFilterSql, type CertificationFilter } from "./queries";

// enabledOnly: what the matrix page shows (enabled models in enabled Regions): the exports.
type MatrixOptions = { enabledOnly?: boolean };
import type { Grid, Matrix } from "./matrix-types";

export type { Grid, Matrix } from "./matrix-types";

// The sum of xmin, read as sum(age(xmin)) - count × age(xid 3): age(x) is
// (latest xid − x) as a 32-bit difference, so the latest xid cancels out and
// what is left is 3n − Σ xmin — twice as fast as casting every xmin through
// text (about 1.7 against 3.5 ms on 16,500 cells). A row whose xmin grows more
// than 2^31 transactions old wraps its term once: one spurious rebuild.
const XMIN_SUM = `COALESCE(sum(age(xmin)) - count(*) * age('3'::xid), 0)`;
const fingerprint = (table: string) => Prisma.raw(`(SELECT count(*) || ':' || ${XMIN_SUM} || ':' || COALESCE(max(updated_at)::text, '') FROM ${table})`);
const fingerprintNoUpdatedAt = (table: string) => Prisma.raw(`(SELECT count(*) || ':' || ${XMIN_SUM} FROM ${table})`);

const MATRIX_VERSION = Prisma.sql`${fingerprint("model_certifications")} || '|' || ${fingerprint("ai_models")}`;
const GRID_VERSION = Prisma.sql`${MATRIX_VERSION} || '|' || ${fingerprint("regions")} || '|' || ${fingerprintNoUpdatedAt("model_region_availability")}`;

// The capabilities a cell's last run found broken ("json_output,streaming",
// null: none) and, in the grid, its three speeds (time to first token, tokens
// per second, the median call else the slowest): columns of the cell, written
// with it (lib/certification/cell-speeds.ts), not read out of its test_results.
const COMPLETED_AT = Prisma.raw(isoUtc("c.completed_at"));
const CELL_TUPLE = Prisma.sql`json_build_array(mo.i, re.i, c.status, c.passed, c.score, c.rating, c.error_category, ${COMPLETED_AT}, c.availability, c.broken_capabilities)`;
const GRID_CELL_TUPLE = Prisma.sql`json_build_array(mo.i, re.i, c.status, c.passed, c.score, c.rating, c.error_category, ${COMPLETED_AT}, c.availability, c.broken_capabilities,
  c.time_to_first_token_ms, c.tokens_per_second, c.latency_ms, c.regressed_at IS NOT NULL)`;

function matrixSql(filter: CertificationFilter, options: MatrixOptions): Prisma.Sql {
  return Prisma.sql`
    WITH matrix_cells AS (
      SELECT c.model_id, c.region, c.status, c.passed, c.score, c.rating, c.error_category, c.completed_at, c.availability, c.broken_capabilities
        FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
       WHERE ${cellFilterSql(filter, options)}
    ), matrix_models AS (
      SELECT m.id, m.bedrock_model_id, m.name, m.provider, row_number() OVER (ORDER BY m.provider, m.name, m.id) - 1 AS i
        FROM ai_models m WHERE m.id IN (SELECT DISTINCT model_id FROM matrix_cells)
    ), matrix_regions AS (
      SELECT region, row_number() OVER (ORDER BY region) - 1 AS i FROM (SELECT DISTINCT region FROM matrix_cells) r
    )
    SELECT ${MATRIX_VERSION} AS version, json_build_object(
      'columns', json_build_array('model', 'region', 'status', 'passed', 'score', 'rating', 'errorCategory', 'completedAt', 'availability', 'broken'),
      'models', COALESCE((SELECT json_agg(json_build_object('id', id, 'bedrockModelId', bedrock_model_id, 'name', name, 'provider', provider) ORDER BY i) FROM matrix_models), '[]'::json),
      'regions', COALESCE((SELECT json_agg(region ORDER BY i) FROM matrix_regions), '[]'::json),
      'cells', COALESCE((SELECT json_agg(${CELL_TUPLE} ORDER BY mo.i, re.i)
                FROM matrix_cells c JOIN matrix_models mo ON mo.id = c.model_id JOIN matrix_regions re ON re.region = c.region), '[]'::json)
    )::text AS payload`;
}

// Enabled models (that have a Bedrock id) × enabled Regions, every cell there
// is, and how each model is offered in each Region.
const GRID_SQL = Prisma.sql`
  WITH grid_regions AS (
    SELECT code, name, geography, row_number() OVER (ORDER BY geography, code) - 1 AS i FROM regions WHERE enabled
  ), grid_models AS (
    SELECT id, bedrock_model_id, name, provider, lifecycle, output_modalities, row_number() OVER (ORDER BY provider, name, id) - 1 AS i
      FROM ai_models WHERE enabled AND bedrock_model_id IS NOT NULL
  )
  SELECT ${GRID_VERSION} AS version, json_build_object(
    'regions', COALESCE((SELECT json_agg(json_build_object('code', code, 'name', name, 'geography', geography) ORDER BY i) FROM grid_regions), '[]'::json),
    'models', COALESCE((SELECT json_agg(json_build_object('id', mo.id, 'bedrockModelId', mo.bedrock_model_id, 'name', mo.name, 'provider', mo.provider,
                 'legacy', mo.lifecycle = 'LEGACY', 'outputModalities', mo.output_modalities,
                 'availability', (SELECT COALESCE(string_agg(CASE WHEN a.availability = 'NOT_OFFERED' THEN 'N' WHEN a.legacy THEN 'L' WHEN a.availability = 'IN_REGION' THEN 'I' WHEN a.availability = 'PROFILE_ONLY' THEN 'P' ELSE '?' END, '' ORDER BY re.i), '')
                                    FROM grid_regions re LEFT JOIN model_region_availability a ON a.model_id = mo.id AND a.region = re.code))
               ORDER BY mo.i) FROM grid_models mo), '[]'::json),
    'cells', COALESCE((SELECT json_agg(${GRID_CELL_TUPLE} ORDER BY mo.i, re.i)
              FROM model_certifications c JOIN grid_models mo ON mo.id = c.model_id JOIN grid_regions re ON re.code = c.region), '[]'::json)
  )::text AS payload`;

// The ETag is made once per built payload (per filter and data version), and
// its gzip the first time a client that takes gzip asks for it.
type Entry = { version: string; payload: string; etag: string; gzip?: Promise<Buffer> };
const CACHE_SIZE = 32;
const globalForCache = globalThis as unknown as { matrixCache?: Map<string, Entry> };
const cache = (globalForCache.matrixCache ??= new Map());

// Requests that arrive while a version check is running share its answer
// (single flight): under load, one check serves a burst of readers, and none
// of them sees data older than the moment the check started.
const versionChecks = new Map<string, Promise<string | undefined>>();
function currentVersion(db: PrismaClient, versionSql: Prisma.Sql): Promise<string | undefined> {
  const key = versionSql.sql;
  let check = versionChecks.get(key);
  if (!check) {
    check = db.$queryRaw<{ version: string }[]>`SELECT ${versionSql} AS version`.then((rows) => rows[0]?.version);
    versionChecks.set(key, check);
    void check.finally(() => versionChecks.delete(key)).catch(() => {});
  }
  return check;
}

// The payload for `key`, rebuilt only when the data version moved.
async function cachedEntry(db: PrismaClient, key: string, versionSql: Prisma.Sql, build: Prisma.Sql): Promise<Entry> {
  const arrived = performance.now();
  const hit = cache.get(key);
  if (hit) {
    if ((await currentVersion(db, versionSql)) === hit.version) {
      // Most recently used last, so the oldest is evicted first.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
  }
  return freshEntry(db, key, build, arrived);
}

// At most one build of a payload at a time, per key. While a job writes, the
// data changes between nearly every two requests, and 8 readers used to
// rebuild the same payload 8 times at once (a 24,000-cell grid costs a good
// part of a second each). A request shares the running build if it started
// after the request arrived; otherwise (the build may have read the data
// before) it waits for the next one, shared by every request that arrives
// meanwhile.
const flights = new Map<string, { current: Promise<Entry>; startedAt: number; queued: Promise<Entry> | null }>();
// Builds made (tests count them).
export const buildCount = { value: 0 };

function freshEntry(db: PrismaClient, key: string, build: Prisma.Sql, arrived: number): Promise<Entry> {
  const flight = flights.get(key);
  if (!flight) return startBuild(db, key, build);
  if (flight.startedAt >= arrived) return flight.current;
  flight.queued ??= flight.current.then(
    () => startBuild(db, key, build),
    () => startBuild(db, key, build),
  );
  return flight.queued;
}

function startBuild(db: PrismaClient, key: string, build: Prisma.Sql): Promise<Entry> {
  buildCount.value++;
  const startedAt = performance.now();
  const current = db.$queryRaw<Omit<Entry, "etag">[]>(build).then(([built]) => {
    const entry = { ...built!, etag: `"${createHash("sha1").update(`${key}\n${built!.version}`).digest("base64url")}"` };
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return entry;
  });
  const flight = { current, startedAt, queued: null };
  flights.set(key, flight);
  const done = () => {
    if (flights.get(key) === flight) flights.delete(key);
  };
  current.then(done, done);
  return current;
}

// The payload as a JSON response, with the data version as its ETag: a client
// that sends it back in If-None-Match gets 304 and no body until the data
// changes. Compressed once per payload, not once per response
// (lib/http/precompressed.ts).
async function jsonResponse(request: Request, pending: Promise<Entry>): Promise<Response> {
  const entry = await pending;
  const headers = { "Content-Type": "application/json", ETag: entry.etag, "Cache-Control": "private, no-cache", Vary: "Accept-Encoding" };
  const sent = request.headers.get("if-none-match");
  if (sent && sent.split(",").some((t) => t.trim().replace(/^W\//, "") === entry.etag)) return new Response(null, { status: 304, headers });
  if (!canSendPrecompressedGzip(request.headers)) return new Response(entry.payload, { headers });
  entry.gzip ??= gzipText(entry.payload).catch((err: unknown) => {
    entry.gzip = undefined;
    throw err;
  });
  return gzippedResponse(await entry.gzip, headers);
}

const filterKey = (f: CertificationFilter) => JSON.stringify(Object.entries(f).sort(([a], [b]) => a.localeCompare(b)));

// Enabled-only payloads also change when a Region is enabled or disabled.
const matrixEntry = (db: PrismaClient, filter: CertificationFilter, options: MatrixOptions = {}) =>
  cachedEntry(
    db,
    `matrix:${options.enabledOnly ? "enabled:" : ""}${filterKey(filter)}`,
    options.enabledOnly ? Prisma.sql`${MATRIX_VERSION} || '|' || ${fingerprint("regions")}` : MATRIX_VERSION,
    matrixSql(filter, options),
  );
const gridEntry = (db: PrismaClient) => cachedEntry(db, "grid", GRID_VERSION, GRID_SQL);

export const matrixJson = async (db: PrismaClient, filter: CertificationFilter, options: MatrixOptions = {}) => (await matrixEntry(db, filter, options)).payload;
export const matrix = async (db: PrismaClient, filter: CertificationFilter, options: MatrixOptions = {}): Promise<Matrix> => JSON.parse(await matrixJson(db, filter, options)) as Matrix;
export const gridJson = async (db: PrismaClient) => (await gridEntry(db)).payload;
export const matrixResponse = (db: PrismaClient, filter: CertificationFilter, request: Request) => jsonResponse(request, matrixEntry(db, filter));
export const gridResponse = (db: PrismaClient, request: Request) => jsonResponse(request, gridEntry(db));
export const grid = async (db: PrismaClient): Promise<Grid> => JSON.parse(await gridJson(db)) as Grid;
