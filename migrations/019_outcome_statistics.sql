-- Up Migration
-- Statistics by outcome (GET /api/stats?group=outcome, the statistics page): what came of an order, read
-- from what happened after it, not from its status. An outcome is one of: complied (a response of kind
-- compliance or partial_compliance), refused (a refusal), blocked (a 'blocked' event), fined (a 'fined'
-- event), court (a 'court_appeal' or 'court_ruling' event). An order may have several, or none.
--
-- As with has_response (migration 016), the order's outcomes are a column of its own (`orders.outcomes`,
-- the sorted set), kept by statement-level triggers on responses and events, so the orders triggers see
-- it on the row and the rollup `order_statistics` holds it as one more fact of its key: a response or an
-- event added or removed moves the order between rollup rows in the same transaction.
--
-- Two more changes make the counts fast at a million orders (BENCHMARKS.md "## Statistics"):
-- - The rollup now holds every order, with `public` (visibility = 'public') as a fact of its key. Everyone
--   reads the public rows; an editor, who sees everything, reads all rows and no longer every non-public
--   order from `orders`; others still read the non-public orders they may see from `orders`.
-- - A second, coarse rollup `order_statistics_by_month` counts orders by public, authority and month only:
--   a few thousand rows where the fine one holds one per distinct combination of outlet, status, laws,
--   actions and outcomes. The counts by authority, country, month and year (the page's first table among
--   them) with no filter but those read it instead.

ALTER TABLE orders ADD COLUMN outcomes text[] NOT NULL DEFAULT '{}';

-- The outcomes of one order, from its responses and events: distinct, sorted.
CREATE FUNCTION order_outcomes(target bigint) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT COALESCE(ARRAY(
    SELECT DISTINCT outcome FROM (
      SELECT CASE r.kind WHEN 'compliance' THEN 'complied' WHEN 'partial_compliance' THEN 'complied'
                         WHEN 'refusal' THEN 'refused' END
        FROM responses r WHERE r.order_id = target
      UNION ALL
      SELECT CASE e.kind WHEN 'blocked' THEN 'blocked' WHEN 'fined' THEN 'fined'
                         WHEN 'court_appeal' THEN 'court' WHEN 'court_ruling' THEN 'court' END
        FROM events e WHERE e.order_id = target
    ) AS found (outcome)
     WHERE outcome IS NOT NULL ORDER BY outcome), '{}'::text[])
$$;

-- Recomputes the outcomes of the orders whose responses or events the statement changed, writing only
-- those that differ (so the orders' update trigger moves only them in the rollup).
CREATE FUNCTION orders_outcomes_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE orders o SET outcomes = order_outcomes(o.id)
     WHERE o.id IN (SELECT order_id FROM new_rows) AND o.outcomes IS DISTINCT FROM order_outcomes(o.id);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE orders o SET outcomes = order_outcomes(o.id)
     WHERE o.id IN (SELECT order_id FROM old_rows) AND o.outcomes IS DISTINCT FROM order_outcomes(o.id);
  ELSE
    UPDATE orders o SET outcomes = order_outcomes(o.id)
     WHERE o.id IN (SELECT order_id FROM old_rows UNION SELECT order_id FROM new_rows)
       AND o.outcomes IS DISTINCT FROM order_outcomes(o.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_outcomes_response_insert AFTER INSERT ON responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_outcomes_after_change();
CREATE TRIGGER orders_outcomes_response_update AFTER UPDATE ON responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION orders_outcomes_after_change();
CREATE TRIGGER orders_outcomes_response_delete AFTER DELETE ON responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_outcomes_after_change();
CREATE TRIGGER orders_outcomes_event_insert AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_outcomes_after_change();
CREATE TRIGGER orders_outcomes_event_update AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION orders_outcomes_after_change();
CREATE TRIGGER orders_outcomes_event_delete AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_outcomes_after_change();

-- The fine rollup gains the outcomes and `public` as facts of its key, and holds every order.
ALTER TABLE order_statistics ADD COLUMN outcomes text[] NOT NULL DEFAULT '{}';
ALTER TABLE order_statistics ADD COLUMN public boolean NOT NULL DEFAULT true;
ALTER TABLE order_statistics DROP CONSTRAINT order_statistics_key;
ALTER TABLE order_statistics ADD CONSTRAINT order_statistics_key UNIQUE NULLS NOT DISTINCT
  (public, authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions, outcomes);
DROP INDEX order_statistics_month_idx;
CREATE INDEX order_statistics_month_idx ON order_statistics (public, issued_month);

CREATE TABLE order_statistics_by_month (
  public boolean NOT NULL,
  authority_id bigint,
  -- The first day of the month the order was issued in; NULL when its date is unknown.
  issued_month date,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_month_key UNIQUE NULLS NOT DISTINCT (public, authority_id, issued_month)
);

-- Each statement's changed orders (+1 new, -1 old) are added to both rollups in one statement, in key
-- order, so two writers lock rollup rows in the same order. One function for the three triggers: the
-- transition tables it reads depend on the operation.
CREATE OR REPLACE FUNCTION order_statistics_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  facts constant text := 'visibility, authority_id, outlet_id, status, issued_on, has_response, legal_basis, '
                         'demanded_actions, outcomes';
  changes text;
BEGIN
  changes := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS delta FROM new_orders', facts)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS delta FROM old_orders', facts)
    ELSE format('SELECT %s, -1 AS delta FROM old_orders UNION ALL SELECT %s, 1 FROM new_orders', facts, facts)
  END;
  EXECUTE format($sql$
    WITH changes AS MATERIALIZED (%s),
    fine AS (
      INSERT INTO order_statistics AS s
        (public, authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions,
         legal_acts, outcomes, orders)
      SELECT visibility = 'public', authority_id, outlet_id, status, date_trunc('month', issued_on)::date,
             has_response, statistics_set(legal_basis), statistics_set(demanded_actions),
             statistics_acts(legal_basis), outcomes, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 10
      ON CONFLICT ON CONSTRAINT order_statistics_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    )
    INSERT INTO order_statistics_by_month AS s (public, authority_id, issued_month, orders)
    SELECT visibility = 'public', authority_id, date_trunc('month', issued_on)::date, sum(delta)
      FROM changes
     GROUP BY 1, 2, 3
    HAVING sum(delta) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT order_statistics_by_month_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
  $sql$, changes);
  RETURN NULL;
END $$;

DROP TRIGGER order_statistics_insert ON orders;
DROP TRIGGER order_statistics_update ON orders;
DROP TRIGGER order_statistics_delete ON orders;
DROP FUNCTION order_statistics_after_insert();
DROP FUNCTION order_statistics_after_update();
DROP FUNCTION order_statistics_after_delete();
CREATE TRIGGER order_statistics_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_change();
CREATE TRIGGER order_statistics_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_change();
CREATE TRIGGER order_statistics_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_change();

-- Existing orders: their outcomes, then both rollups rebuilt once (not moved order by order).
ALTER TABLE orders DISABLE TRIGGER order_statistics_update;
UPDATE orders o SET outcomes = order_outcomes(o.id)
 WHERE EXISTS (SELECT 1 FROM responses r WHERE r.order_id = o.id)
    OR EXISTS (SELECT 1 FROM events e WHERE e.order_id = o.id);
ALTER TABLE orders ENABLE TRIGGER order_statistics_update;
TRUNCATE order_statistics;
INSERT INTO order_statistics
  (public, authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions,
   legal_acts, outcomes, orders)
SELECT visibility = 'public', authority_id, outlet_id, status, date_trunc('month', issued_on)::date,
       has_response, statistics_set(legal_basis), statistics_set(demanded_actions), statistics_acts(legal_basis),
       outcomes, count(*)
  FROM orders
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
INSERT INTO order_statistics_by_month (public, authority_id, issued_month, orders)
SELECT visibility = 'public', authority_id, date_trunc('month', issued_on)::date, count(*)
  FROM orders
 GROUP BY 1, 2, 3;
