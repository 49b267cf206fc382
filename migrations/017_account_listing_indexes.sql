-- Up Migration
-- "Where am I signed in?" lists a person's ended sessions too: without this, a person's list read every
-- session ever made by anyone. And the audit log's `actor` filter is a substring match (ILIKE '%…%'),
-- which only a trigram index serves on a long log. pg_trgm is a trusted extension (PostgreSQL 13+),
-- so the database's owner may create it.
CREATE INDEX sessions_user_all_idx ON sessions (user_id, id DESC);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX audit_log_actor_trgm_idx ON audit_log USING gin (actor gin_trgm_ops);
