-- Up Migration
-- People, not only tokens: users with argon2id passwords, their memberships of outlets, server-side
-- sessions for browsers, one-time links (invitations and password resets), and tokens owned by a user
-- or an outlet. Every secret (password, session cookie, link, token) is stored only as a hash.
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  -- argon2id PHC string; NULL until the invited person sets a password.
  password_hash text CHECK (password_hash LIKE '$argon2id$%'),
  is_editor boolean NOT NULL DEFAULT false,
  -- A researcher reads what the public reads plus what outlets reserve for researchers, until this time
  -- ('infinity' when granted without an end). NULL: not a researcher.
  researcher_until timestamptz,
  disabled_at timestamptz,
  -- Wrong passwords in a row, and the lock they led to.
  failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
  locked_until timestamptz,
  password_changed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
  user_id bigint NOT NULL REFERENCES users (id),
  outlet_id bigint NOT NULL REFERENCES outlets (id),
  role text NOT NULL CHECK (role IN ('admin', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, outlet_id)
);
CREATE INDEX memberships_outlet_idx ON memberships (outlet_id);

CREATE TABLE sessions (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  -- sha256 of the cookie's value: the cookie itself is never stored.
  secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  user_agent text CHECK (length(user_agent) <= 500),
  address text CHECK (length(address) <= 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text CHECK (end_reason IN ('sign_out', 'revoked', 'password_changed', 'membership_removed', 'disabled'))
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;

-- One-time links: an invitation (to become a user, or to join an outlet) and a password reset.
CREATE TABLE account_links (
  id bigserial PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
  secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  email text NOT NULL CHECK (email = lower(email)),
  -- An invitation's grant: a role at an outlet, the editor role, or researcher access.
  outlet_id bigint REFERENCES outlets (id),
  role text CHECK (role IN ('admin', 'member', 'editor', 'researcher')),
  researcher_until timestamptz,
  -- The user a reset is for, or who accepted an invitation.
  user_id bigint REFERENCES users (id),
  created_by_user_id bigint REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT invitation_grants CHECK (purpose <> 'invitation' OR role IS NOT NULL),
  CONSTRAINT outlet_roles_name_outlet CHECK ((role IN ('admin', 'member')) = (outlet_id IS NOT NULL) OR role IS NULL)
);

-- Tokens: 'editor' and 'outlet' tokens made with the CLI stay; a 'user' token carries its user's rights,
-- narrowed to one outlet when outlet_id is set; an 'outlet' token may now be made by the outlet's admin.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('editor', 'outlet', 'user'));
ALTER TABLE api_tokens
  ADD COLUMN user_id bigint REFERENCES users (id),
  ADD COLUMN created_by_user_id bigint REFERENCES users (id),
  ADD COLUMN read_only boolean NOT NULL DEFAULT false,
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN revoke_reason text,
  ADD CONSTRAINT user_tokens_name_user CHECK (role <> 'user' OR user_id IS NOT NULL);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id) WHERE revoked_at IS NULL;

-- Who acted, beyond the token: the user and the session.
ALTER TABLE audit_log
  ADD COLUMN user_id bigint REFERENCES users (id),
  ADD COLUMN session_id bigint REFERENCES sessions (id);
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at) WHERE user_id IS NOT NULL;
