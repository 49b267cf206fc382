-- Up Migration
-- The transaction that wrote each search_outbox row, so a reindex that read PostgreSQL in one snapshot can
-- find every change committed after that snapshot (pg_visible_in_snapshot) and index it again once its
-- fresh index is swapped in: no edit is lost to the swap.
ALTER TABLE search_outbox ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id();
