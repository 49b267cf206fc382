-- Up Migration
-- The archive's core: who issued an order, whom it targets, what the outlet did and what followed.
-- Enumerations are CHECK constraints (kept in step with server/schemas/enums.ts), easier to extend than enum types.

CREATE TABLE authorities (
  id bigserial PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  local_name text,
  aliases text[] NOT NULL DEFAULT '{}',
  country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  kind text NOT NULL CHECK (kind IN ('regulator', 'ministry', 'agency', 'prosecutor', 'court', 'police', 'cert', 'platform', 'other')),
  parent_id bigint REFERENCES authorities (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outlets (
  id bigserial PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  country char(2) CHECK (country ~ '^[A-Z]{2}$'),
  domains text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE articles (
  id bigserial PRIMARY KEY,
  outlet_id bigint REFERENCES outlets (id),
  url text NOT NULL,
  canonical_url text NOT NULL UNIQUE,
  title text,
  published_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_outlet_idx ON articles (outlet_id);

-- One row per year; incremented inside the order's own transaction, so a rolled-back creation
-- gives its number back and the sequence has no gaps (a plain SEQUENCE would leave them).
CREATE TABLE public_id_counters (
  year integer PRIMARY KEY,
  last_value integer NOT NULL
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  public_id text NOT NULL UNIQUE CHECK (public_id ~ '^TD-[0-9]{4}-[0-9]{5,}$'),
  authority_id bigint NOT NULL REFERENCES authorities (id),
  outlet_id bigint REFERENCES outlets (id),
  reference_number text,
  issued_on date,
  received_on date,
  deadline_at timestamptz,
  channel text CHECK (channel IN ('email', 'letter', 'platform_notice', 'court_summons', 'in_person', 'phone', 'other')),
  legal_basis text[] NOT NULL DEFAULT '{}',
  legal_basis_raw text,
  demanded_actions text[] NOT NULL DEFAULT '{}',
  stated_reason text,
  threatened_consequence text,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'complied', 'partially_complied', 'refused', 'challenged', 'withdrawn')),
  visibility text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'embargoed', 'public')),
  embargo_until timestamptz,
  language text,
  summary text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT embargo_needs_date CHECK (visibility <> 'embargoed' OR embargo_until IS NOT NULL)
);
CREATE INDEX orders_authority_idx ON orders (authority_id);
CREATE INDEX orders_outlet_idx ON orders (outlet_id);
CREATE INDEX orders_issued_idx ON orders (issued_on);

CREATE TABLE order_targets (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  article_id bigint NOT NULL REFERENCES articles (id),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, article_id)
);
CREATE INDEX order_targets_article_idx ON order_targets (article_id);

CREATE TABLE responses (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind text NOT NULL
    CHECK (kind IN ('refusal', 'compliance', 'partial_compliance', 'appeal', 'public_statement', 'silence')),
  responded_on date,
  text text,
  source_url text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX responses_order_idx ON responses (order_id);

CREATE TABLE events (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN (
    'blocked', 'unblocked', 'fined', 'prosecution_threatened', 'prosecution_opened', 'inspection',
    'accreditation_refused', 'foreign_agent_designation', 'undesirable_designation', 'ddos',
    'mass_complaints', 'account_suspended', 'block_threatened', 'court_appeal', 'court_ruling', 'other')),
  occurred_at timestamptz NOT NULL,
  country char(2) CHECK (country ~ '^[A-Z]{2}$'),
  source_url text,
  description text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_order_idx ON events (order_id, occurred_at);

CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('editor', 'outlet')),
  outlet_id bigint REFERENCES outlets (id),
  -- sha256 of the token: the token itself is shown once and never stored.
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT outlet_token_names_outlet CHECK (role <> 'outlet' OR outlet_id IS NOT NULL)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  actor text NOT NULL,
  token_id bigint REFERENCES api_tokens (id),
  action text NOT NULL,
  record_type text NOT NULL,
  record_id text NOT NULL,
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_record_idx ON audit_log (record_type, record_id);

-- Append-only: history that can be edited is not history.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- Orders whose search documents must be rebuilt; written in the same transaction as the change.
CREATE TABLE search_outbox (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE INDEX search_outbox_pending_idx ON search_outbox (id) WHERE processed_at IS NULL;
