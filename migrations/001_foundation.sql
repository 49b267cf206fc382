-- Up Migration
-- The archive's first table: facts about this installation (schema owner, creation time).
CREATE TABLE installation (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation (key, value) VALUES ('created_at', now()::text);
