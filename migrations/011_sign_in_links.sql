-- Up Migration
-- A third kind of one-time link: a sign-in link sent by mail (where SMTP is configured), stored like the
-- others as the sha256 of its secret.
ALTER TABLE account_links DROP CONSTRAINT account_links_purpose_check;
ALTER TABLE account_links ADD CONSTRAINT account_links_purpose_check
  CHECK (purpose IN ('invitation', 'password_reset', 'sign_in'));
