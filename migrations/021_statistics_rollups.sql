-- Up Migration
-- More coarse rollups of orders for the statistics (server/records/orderStatistics.ts), so that each of the
-- statistics page's groupings reads a few thousand rows instead of the fine rollup `order_statistics`
-- (one row per distinct combination of every fact: 301,672 rows at 1,000,000 synthetic orders, whose
-- reading and unnesting took 120–415 ms; BENCHMARKS.md "## Statistics").
--
-- Each is of the same kind as `order_statistics_by_month` (migration 019): every order counted once, with
-- `public` in its key, by a few of its facts; a fact of several values is kept as the order's whole sorted
-- set, so an order counts once in `total` and once in each member's group. A request reads the smallest
-- rollup that holds every fact its groups and filters need (ROLLUPS in orderStatistics.ts). Chosen by
-- their sizes at the bench's 1,000,000 synthetic orders (SELECT DISTINCT over its orders), smallest first:
--   order_statistics_by_action         public, authority, demanded actions                      900 rows
--   order_statistics_by_outcome        public, authority, status, has_response, outcomes         906
--   order_statistics_by_outlet         public, authority, outlet                               2,506
--   order_statistics_by_month_action   public, month, demanded actions                         5,464
--   order_statistics_by_fact           public, status, has_response, outcomes, actions, laws   5,544
--   order_statistics_by_month_outcome  public, month, status, has_response, outcomes          5,735
--   (order_statistics_by_month         public, authority, month: migration 019                 7,750)
--   order_statistics_by_law            public, authority, status, laws                         8,301
--   order_statistics_by_month_law      public, month, laws                                     8,763
--   order_statistics_by_outlet_month   public, outlet, month                                  15,630
-- The authority-less "by month" ones answer the page's sections under a date range. Not chosen, being
-- too close to the fine rollup to be worth the writers' time: authority with month and one more fact
-- (status: 42,084 rows; actions: 66,075), authority with outlet and status (38,727), month with actions
-- and laws (46,134).
--
-- All are kept by the one trigger function `order_statistics_after_change()`: one INSERT … ON CONFLICT per
-- rollup in one statement, each in its key order, so two writers lock rollup rows in the same order. The
-- changed orders' sets are made distinct once, for all of them.

CREATE TABLE order_statistics_by_action (
  public boolean NOT NULL,
  authority_id bigint,
  demanded_actions text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_action_key UNIQUE NULLS NOT DISTINCT (public, authority_id, demanded_actions)
);

CREATE TABLE order_statistics_by_outcome (
  public boolean NOT NULL,
  authority_id bigint,
  status text NOT NULL,
  has_response boolean NOT NULL,
  outcomes text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_outcome_key UNIQUE NULLS NOT DISTINCT (public, authority_id, status, has_response, outcomes)
);

CREATE TABLE order_statistics_by_outlet (
  public boolean NOT NULL,
  authority_id bigint,
  outlet_id bigint,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_outlet_key UNIQUE NULLS NOT DISTINCT (public, authority_id, outlet_id)
);

CREATE TABLE order_statistics_by_month_action (
  public boolean NOT NULL,
  issued_month date,
  demanded_actions text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_month_action_key UNIQUE NULLS NOT DISTINCT (public, issued_month, demanded_actions)
);

CREATE TABLE order_statistics_by_fact (
  public boolean NOT NULL,
  status text NOT NULL,
  has_response boolean NOT NULL,
  outcomes text[] NOT NULL,
  demanded_actions text[] NOT NULL,
  legal_basis text[] NOT NULL,
  legal_acts text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_fact_key UNIQUE NULLS NOT DISTINCT (public, status, has_response, outcomes, demanded_actions, legal_basis)
);

CREATE TABLE order_statistics_by_month_outcome (
  public boolean NOT NULL,
  issued_month date,
  status text NOT NULL,
  has_response boolean NOT NULL,
  outcomes text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_month_outcome_key UNIQUE NULLS NOT DISTINCT (public, issued_month, status, has_response, outcomes)
);

CREATE TABLE order_statistics_by_law (
  public boolean NOT NULL,
  authority_id bigint,
  status text NOT NULL,
  legal_basis text[] NOT NULL,
  legal_acts text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_law_key UNIQUE NULLS NOT DISTINCT (public, authority_id, status, legal_basis)
);

CREATE TABLE order_statistics_by_month_law (
  public boolean NOT NULL,
  issued_month date,
  legal_basis text[] NOT NULL,
  legal_acts text[] NOT NULL,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_month_law_key UNIQUE NULLS NOT DISTINCT (public, issued_month, legal_basis)
);

CREATE TABLE order_statistics_by_outlet_month (
  public boolean NOT NULL,
  outlet_id bigint,
  issued_month date,
  orders bigint NOT NULL,
  CONSTRAINT order_statistics_by_outlet_month_key UNIQUE NULLS NOT DISTINCT (public, outlet_id, issued_month)
);

-- Each statement's changed orders (+1 new, -1 old), their facts made once in the form the rollups hold
-- them, then added to every rollup.
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
    WITH changes AS MATERIALIZED (
      SELECT visibility = 'public' AS public, authority_id, outlet_id, status,
             date_trunc('month', issued_on)::date AS issued_month, has_response,
             statistics_set(legal_basis) AS legal_basis, statistics_set(demanded_actions) AS demanded_actions,
             statistics_acts(legal_basis) AS legal_acts, outcomes, delta
        FROM (%s) AS changed
    ),
    fine AS (
      INSERT INTO order_statistics AS s
        (public, authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions,
         legal_acts, outcomes, orders)
      SELECT public, authority_id, outlet_id, status, issued_month, has_response, legal_basis,
             demanded_actions, legal_acts, outcomes, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 10
      ON CONFLICT ON CONSTRAINT order_statistics_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_month AS (
      INSERT INTO order_statistics_by_month AS s (public, authority_id, issued_month, orders)
      SELECT public, authority_id, issued_month, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT order_statistics_by_month_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_action AS (
      INSERT INTO order_statistics_by_action AS s (public, authority_id, demanded_actions, orders)
      SELECT public, authority_id, demanded_actions, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT order_statistics_by_action_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_outcome AS (
      INSERT INTO order_statistics_by_outcome AS s (public, authority_id, status, has_response, outcomes, orders)
      SELECT public, authority_id, status, has_response, outcomes, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4, 5
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT order_statistics_by_outcome_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_outlet AS (
      INSERT INTO order_statistics_by_outlet AS s (public, authority_id, outlet_id, orders)
      SELECT public, authority_id, outlet_id, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT order_statistics_by_outlet_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_month_action AS (
      INSERT INTO order_statistics_by_month_action AS s (public, issued_month, demanded_actions, orders)
      SELECT public, issued_month, demanded_actions, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT order_statistics_by_month_action_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_fact AS (
      INSERT INTO order_statistics_by_fact AS s (public, status, has_response, outcomes, demanded_actions, legal_basis, legal_acts, orders)
      SELECT public, status, has_response, outcomes, demanded_actions, legal_basis, legal_acts, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT order_statistics_by_fact_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_month_outcome AS (
      INSERT INTO order_statistics_by_month_outcome AS s (public, issued_month, status, has_response, outcomes, orders)
      SELECT public, issued_month, status, has_response, outcomes, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4, 5
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT order_statistics_by_month_outcome_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_law AS (
      INSERT INTO order_statistics_by_law AS s (public, authority_id, status, legal_basis, legal_acts, orders)
      SELECT public, authority_id, status, legal_basis, legal_acts, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4, 5
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3, 4
      ON CONFLICT ON CONSTRAINT order_statistics_by_law_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    ),
    by_month_law AS (
      INSERT INTO order_statistics_by_month_law AS s (public, issued_month, legal_basis, legal_acts, orders)
      SELECT public, issued_month, legal_basis, legal_acts, sum(delta)
        FROM changes
       GROUP BY 1, 2, 3, 4
      HAVING sum(delta) <> 0
       ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT order_statistics_by_month_law_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
    )
    INSERT INTO order_statistics_by_outlet_month AS s (public, outlet_id, issued_month, orders)
    SELECT public, outlet_id, issued_month, sum(delta)
      FROM changes
     GROUP BY 1, 2, 3
    HAVING sum(delta) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT order_statistics_by_outlet_month_key DO UPDATE SET orders = s.orders + EXCLUDED.orders
  $sql$, changes);
  RETURN NULL;
END $$;

-- Existing orders, counted once into the new rollups (the trigger keeps them from here on). Writers wait
-- until the migration commits, so none is counted by neither; the facts are made once, for all nine.
LOCK TABLE orders IN SHARE MODE;
CREATE TEMPORARY TABLE existing_facts ON COMMIT DROP AS
SELECT visibility = 'public' AS public, authority_id, outlet_id, status,
       date_trunc('month', issued_on)::date AS issued_month, has_response,
       statistics_set(legal_basis) AS legal_basis, statistics_set(demanded_actions) AS demanded_actions,
       statistics_acts(legal_basis) AS legal_acts, outcomes
  FROM orders;
INSERT INTO order_statistics_by_action (public, authority_id, demanded_actions, orders)
SELECT public, authority_id, demanded_actions, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3;
INSERT INTO order_statistics_by_outcome (public, authority_id, status, has_response, outcomes, orders)
SELECT public, authority_id, status, has_response, outcomes, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO order_statistics_by_outlet (public, authority_id, outlet_id, orders)
SELECT public, authority_id, outlet_id, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3;
INSERT INTO order_statistics_by_month_action (public, issued_month, demanded_actions, orders)
SELECT public, issued_month, demanded_actions, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3;
INSERT INTO order_statistics_by_fact (public, status, has_response, outcomes, demanded_actions, legal_basis, legal_acts, orders)
SELECT public, status, has_response, outcomes, demanded_actions, legal_basis, legal_acts, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO order_statistics_by_month_outcome (public, issued_month, status, has_response, outcomes, orders)
SELECT public, issued_month, status, has_response, outcomes, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO order_statistics_by_law (public, authority_id, status, legal_basis, legal_acts, orders)
SELECT public, authority_id, status, legal_basis, legal_acts, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO order_statistics_by_month_law (public, issued_month, legal_basis, legal_acts, orders)
SELECT public, issued_month, legal_basis, legal_acts, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3, 4;
INSERT INTO order_statistics_by_outlet_month (public, outlet_id, issued_month, orders)
SELECT public, outlet_id, issued_month, count(*)
  FROM existing_facts
 GROUP BY 1, 2, 3;
