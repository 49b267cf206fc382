-- Up Migration
-- The outcomes of the orders a statement on responses or events touched (migration 019), found in one
-- set-based query instead of order_outcomes() called once per order. Called per order, the function
-- took ~0.5 ms each: a blocking-registry import, which adds a 'blocked' event to every order it makes,
-- spent 40% of its time there (BENCHMARKS.md "## Registry import"). The rule is unchanged: complied (a
-- response of kind compliance or partial_compliance), refused (refusal), blocked, fined, court
-- (court_appeal or court_ruling events); distinct and sorted; only orders whose set differs are written.

CREATE FUNCTION response_outcome(kind text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE kind WHEN 'compliance' THEN 'complied' WHEN 'partial_compliance' THEN 'complied'
                   WHEN 'refusal' THEN 'refused' END
$$;

CREATE FUNCTION event_outcome(kind text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE kind WHEN 'blocked' THEN 'blocked' WHEN 'fined' THEN 'fined'
                   WHEN 'court_appeal' THEN 'court' WHEN 'court_ruling' THEN 'court' END
$$;

CREATE OR REPLACE FUNCTION order_outcomes(target bigint) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT COALESCE(ARRAY(
    SELECT DISTINCT outcome FROM (
      SELECT response_outcome(r.kind) FROM responses r WHERE r.order_id = target
      UNION ALL
      SELECT event_outcome(e.kind) FROM events e WHERE e.order_id = target
    ) AS found (outcome)
     WHERE outcome IS NOT NULL ORDER BY outcome), '{}'::text[])
$$;

-- Recomputes the outcomes of the orders whose responses or events the statement changed.
CREATE OR REPLACE FUNCTION orders_outcomes_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed constant text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT order_id FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT order_id FROM old_rows'
    ELSE 'SELECT order_id FROM old_rows UNION SELECT order_id FROM new_rows'
  END;
BEGIN
  EXECUTE format($sql$
    WITH changed AS MATERIALIZED (SELECT DISTINCT order_id FROM (%s) AS c (order_id)),
    found AS (
      SELECT c.order_id,
             COALESCE(array_agg(DISTINCT f.outcome ORDER BY f.outcome) FILTER (WHERE f.outcome IS NOT NULL),
                      '{}'::text[]) AS outcomes
        FROM changed c
        LEFT JOIN (
          SELECT r.order_id, response_outcome(r.kind) FROM responses r JOIN changed USING (order_id)
          UNION ALL
          SELECT e.order_id, event_outcome(e.kind) FROM events e JOIN changed USING (order_id)
        ) AS f (order_id, outcome) ON f.order_id = c.order_id
       GROUP BY c.order_id
    )
    UPDATE orders o SET outcomes = found.outcomes
      FROM found
     WHERE o.id = found.order_id AND o.outcomes IS DISTINCT FROM found.outcomes
  $sql$, changed);
  RETURN NULL;
END $$;
