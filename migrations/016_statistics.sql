-- Up Migration
-- Statistics of orders (GET /api/stats) answered from a rollup instead of a scan of a million orders.
--
-- `order_statistics` counts the PUBLIC orders (visibility = 'public': everyone may see them, whatever
-- the time) by every fact the statistics group or filter on. The two facts an order holds several of
-- (legal basis, demanded actions) are kept as the order's whole sorted set, so a row's orders share the
-- same set: grouping by one action of the set, or filtering on any of them, counts each order exactly
-- once per group. Everything not public (private orders, embargoed ones: their visibility changes with
-- time and with redaction decisions, which no trigger sees) is counted from `orders` directly, under the
-- caller's visibility rule (server/records/orderStatistics.ts).
--
-- The rollup is kept in the writing statement's own transaction by statement-level triggers with
-- transition tables, so a bulk import (INSERT … SELECT, COPY) touches each rollup row once per statement.
-- Whether an order has a response is a column of its own (`orders.has_response`), kept by a trigger on
-- `responses`, so the orders triggers see every fact of the order on its row.

ALTER TABLE orders ADD COLUMN has_response boolean NOT NULL DEFAULT false;
UPDATE orders o SET has_response = true WHERE EXISTS (SELECT 1 FROM responses r WHERE r.order_id = o.id);

-- The set of a text array: distinct, sorted (so {a,b} and {b,a,a} are one rollup key).
CREATE FUNCTION statistics_set(items text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(ARRAY(SELECT DISTINCT item FROM unnest(items) AS item WHERE item IS NOT NULL ORDER BY item),
                  '{}'::text[])
$$;

-- The acts (COUNTRY/ACT) of a set of citations (COUNTRY/ACT/ARTICLE), distinct and sorted.
CREATE FUNCTION statistics_acts(codes text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(ARRAY(SELECT DISTINCT split_part(code, '/', 1) || '/' || split_part(code, '/', 2)
                          FROM unnest(codes) AS code WHERE code IS NOT NULL ORDER BY 1), '{}'::text[])
$$;

CREATE TABLE order_statistics (
  authority_id bigint,
  outlet_id bigint,
  status text NOT NULL,
  -- The first day of the month the order was issued in; NULL when its date is unknown.
  issued_month date,
  has_response boolean NOT NULL,
  legal_basis text[] NOT NULL,
  demanded_actions text[] NOT NULL,
  -- The acts of legal_basis (so grouping by law reads them instead of deriving them each time).
  legal_acts text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_key UNIQUE NULLS NOT DISTINCT
    (authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions)
);
CREATE INDEX order_statistics_month_idx ON order_statistics (issued_month);

-- The few orders the rollup does not hold, found without reading the public ones.
CREATE INDEX orders_not_public_idx ON orders (outlet_id) WHERE visibility <> 'public';

-- Each adds the signed counts of the statement's changed public orders (+1 new, -1 old) to the rollup, in
-- key order, so two writers lock rollup rows in the same order.
CREATE FUNCTION order_statistics_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_statistics AS s
    (authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions, legal_acts,
     orders)
  SELECT authority_id, outlet_id, status, date_trunc('month', issued_on)::date, has_response,
         statistics_set(legal_basis), statistics_set(demanded_actions), statistics_acts(legal_basis), sum(delta)
    FROM (SELECT authority_id, outlet_id, status, issued_on, has_response, legal_basis, demanded_actions, 1 AS delta FROM new_orders WHERE visibility = 'public') AS changes
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(delta) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ON CONSTRAINT order_statistics_key DO UPDATE SET orders = s.orders + EXCLUDED.orders;
  RETURN NULL;
END $$;

CREATE FUNCTION order_statistics_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_statistics AS s
    (authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions, legal_acts,
     orders)
  SELECT authority_id, outlet_id, status, date_trunc('month', issued_on)::date, has_response,
         statistics_set(legal_basis), statistics_set(demanded_actions), statistics_acts(legal_basis), sum(delta)
    FROM (SELECT authority_id, outlet_id, status, issued_on, has_response, legal_basis, demanded_actions, -1 AS delta FROM old_orders WHERE visibility = 'public'
          UNION ALL SELECT authority_id, outlet_id, status, issued_on, has_response, legal_basis, demanded_actions, 1 AS delta FROM new_orders WHERE visibility = 'public') AS changes
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(delta) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ON CONSTRAINT order_statistics_key DO UPDATE SET orders = s.orders + EXCLUDED.orders;
  RETURN NULL;
END $$;

CREATE FUNCTION order_statistics_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_statistics AS s
    (authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions, legal_acts,
     orders)
  SELECT authority_id, outlet_id, status, date_trunc('month', issued_on)::date, has_response,
         statistics_set(legal_basis), statistics_set(demanded_actions), statistics_acts(legal_basis), sum(delta)
    FROM (SELECT authority_id, outlet_id, status, issued_on, has_response, legal_basis, demanded_actions, -1 AS delta FROM old_orders WHERE visibility = 'public') AS changes
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(delta) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ON CONSTRAINT order_statistics_key DO UPDATE SET orders = s.orders + EXCLUDED.orders;
  RETURN NULL;
END $$;

CREATE TRIGGER order_statistics_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_insert();
CREATE TRIGGER order_statistics_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_update();
CREATE TRIGGER order_statistics_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_delete();

-- orders.has_response follows the responses (and through the update trigger above, the rollup).
CREATE FUNCTION orders_has_response_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orders o SET has_response = true
   WHERE o.id IN (SELECT order_id FROM new_responses) AND NOT o.has_response;
  RETURN NULL;
END $$;

CREATE FUNCTION orders_has_response_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orders o SET has_response = EXISTS (SELECT 1 FROM responses r WHERE r.order_id = o.id)
   WHERE o.id IN (SELECT order_id FROM old_responses)
     AND o.has_response <> EXISTS (SELECT 1 FROM responses r WHERE r.order_id = o.id);
  IF TG_OP = 'UPDATE' THEN
    UPDATE orders o SET has_response = true
     WHERE o.id IN (SELECT order_id FROM new_responses) AND NOT o.has_response;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_has_response_insert AFTER INSERT ON responses
  REFERENCING NEW TABLE AS new_responses FOR EACH STATEMENT EXECUTE FUNCTION orders_has_response_after_insert();
CREATE TRIGGER orders_has_response_update AFTER UPDATE ON responses
  REFERENCING OLD TABLE AS old_responses NEW TABLE AS new_responses
  FOR EACH STATEMENT EXECUTE FUNCTION orders_has_response_after_change();
CREATE TRIGGER orders_has_response_delete AFTER DELETE ON responses
  REFERENCING OLD TABLE AS old_responses FOR EACH STATEMENT EXECUTE FUNCTION orders_has_response_after_change();

INSERT INTO order_statistics
  (authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions, legal_acts, orders)
SELECT authority_id, outlet_id, status, date_trunc('month', issued_on)::date, has_response,
       statistics_set(legal_basis), statistics_set(demanded_actions), statistics_acts(legal_basis), count(*)
  FROM orders WHERE visibility = 'public'
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
