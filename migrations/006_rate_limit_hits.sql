-- Up Migration
-- Rate-limit counters, shared by every API process: one row per route class, key (an address or a
-- token) and fixed window, incremented by one UPSERT per counted request. UNLOGGED: a counter is not
-- worth a WAL record on every request, and losing the counts in a crash only forgives the current
-- windows. Rows of windows that have ended are deleted now and then through the index on expires_at.
CREATE UNLOGGED TABLE rate_limit_hits (
  bucket text NOT NULL,
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (bucket, key, window_start)
);

CREATE INDEX rate_limit_hits_expires_at ON rate_limit_hits (expires_at);
