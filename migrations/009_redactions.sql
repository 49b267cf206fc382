-- Up Migration
-- Redactions: spans of a document's page text that the public must not read (personal data). Proposed
-- by the archive from the text, decided (accepted or rejected) by the order's outlet or an editor, or
-- added by them. The redacted text itself is kept, to place the redaction again after the document is
-- read again; it is as secret as the document's unredacted text.
CREATE TABLE redactions (
  id bigserial PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  page integer NOT NULL CHECK (page >= 1),
  -- Offsets in characters (UTF-16 code units, as JavaScript counts them) in that page's text.
  start_offset integer NOT NULL CHECK (start_offset >= 0),
  end_offset integer NOT NULL CHECK (end_offset > start_offset),
  kind text NOT NULL CHECK (kind IN ('email', 'phone', 'kz-iin', 'kz-bin', 'ru-inn', 'ru-snils', 'passport',
                                     'person-name', 'other')),
  redacted_text text NOT NULL CHECK (length(redacted_text) BETWEEN 1 AND 2000),
  reason text CHECK (length(reason) <= 2000),
  state text NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'accepted', 'rejected')),
  source text NOT NULL CHECK (source IN ('auto', 'person')),
  -- false: after a re-reading its text was not found again; it hides nothing by place (its text is still
  -- hidden wherever it appears) until someone decides again.
  placed boolean NOT NULL DEFAULT true,
  decided_by text,
  decided_at timestamptz,
  -- Boxes on the page image that hold the span, for redacted renditions (filled by the renditions).
  boxes jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'proposed') = (decided_at IS NULL))
);
CREATE INDEX redactions_document_idx ON redactions (document_id, page, start_offset);
-- The publication rule asks "does any document of this order have an undecided proposal?" often.
CREATE INDEX redactions_undecided_idx ON redactions (document_id) WHERE state = 'proposed';

-- The outlet's per-order permission for researchers to read the unredacted text.
ALTER TABLE orders ADD COLUMN researchers_may_read_unredacted boolean NOT NULL DEFAULT false;
-- An editor marks an original file publishable (e.g. a letter already published in full).
ALTER TABLE documents ADD COLUMN original_publishable boolean NOT NULL DEFAULT false;
