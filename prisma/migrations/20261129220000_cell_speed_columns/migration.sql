-- A cell's speeds and broken capabilities, in columns of their own: the matrix
-- reads them for every cell on every rebuild, and reading them out of each
-- cell's test_results document cost seconds at 20,000 cells. Written when a
-- pair finishes (lib/certification/cell-speeds.ts), filled here from the
-- documents of the cells already there.
ALTER TABLE "model_certifications"
  ADD COLUMN "time_to_first_token_ms" DOUBLE PRECISION,
  ADD COLUMN "tokens_per_second" DOUBLE PRECISION,
  ADD COLUMN "latency_ms" DOUBLE PRECISION,
  ADD COLUMN "broken_capabilities" TEXT;

UPDATE "model_certifications" c SET
  "time_to_first_token_ms" = (m.m->>'timeToFirstTokenMs')::float,
  "tokens_per_second" = (m.m->>'tokensPerSecond')::float,
  "latency_ms" = COALESCE(m.m->>'p50LatencyMs', m.m->>'maxLatencyMs')::float,
  "broken_capabilities" = (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_each_text(COALESCE(c."test_results"->'capabilities', '{}'::jsonb)) e(k, v) WHERE v = 'broken')
  FROM (SELECT id, jsonb_path_query_first("test_results", '$.tests[*] ? (@.name == "latency").metrics') AS m FROM "model_certifications") m
 WHERE m.id = c.id AND c."test_results" IS NOT NULL;
