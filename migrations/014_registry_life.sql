-- Up Migration
-- The life of a blocking registry entry: each imported dump says which targets of which decision are
-- listed on its date, and the archive records what changed between dumps as events on the order
-- ('blocked' when a target appears, 'unblocked' when it is no longer listed, 'lifted' when a decision's
-- targets have all left), so a lawyer sees how long a block lasted.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN (
  'blocked', 'unblocked', 'lifted', 'fined', 'prosecution_threatened', 'prosecution_opened', 'inspection',
  'accreditation_refused', 'foreign_agent_designation', 'undesirable_designation', 'ddos',
  'mass_complaints', 'account_suspended', 'block_threatened', 'court_appeal', 'court_ruling', 'other'));
-- The target an event concerns, where it concerns one (a registry entry listed or no longer listed).
ALTER TABLE events ADD COLUMN article_id bigint REFERENCES articles (id);
CREATE INDEX events_article_idx ON events (article_id) WHERE article_id IS NOT NULL;

-- Each target of an imported decision: whether the latest dump still lists it, and since and until when.
-- NULL on targets that no registry names. On order_targets itself, not a table beside it: one row per
-- target written instead of two is a third of the import's time.
ALTER TABLE order_targets
  ADD COLUMN registry_listed boolean,
  ADD COLUMN first_listed_on date,
  ADD COLUMN last_listed_on date,
  ADD COLUMN delisted_on date,
  ADD CONSTRAINT registry_listing_dates CHECK (
    registry_listed IS NULL
    OR (first_listed_on IS NOT NULL AND last_listed_on IS NOT NULL AND registry_listed = (delisted_on IS NULL)));
CREATE INDEX order_targets_registry_listed_idx ON order_targets (last_listed_on) WHERE registry_listed;

-- Each dump imported (or being imported): how far the import got, so a killed run resumes there, and
-- its date, so dumps are taken in date order.
CREATE TABLE registry_dumps (
  source text NOT NULL CHECK (source IN ('registry')),
  as_of date NOT NULL,
  -- Size and sha256 of the dump's first MiB: the same file found again, wherever it lies now.
  file_key text NOT NULL,
  lines_done bigint NOT NULL DEFAULT 0,
  rows_done bigint NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (source, as_of, file_key)
);
