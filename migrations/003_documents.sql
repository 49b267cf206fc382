-- Up Migration
-- Documents: the files of an order (the demand itself, the outlet's response, evidence, e-mail
-- attachments), each kept byte for byte in the content-addressed blob store, and their text per page.

CREATE TABLE blobs (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  parent_document_id bigint REFERENCES documents (id) ON DELETE CASCADE,
  sha256 text NOT NULL REFERENCES blobs (sha256),
  size bigint NOT NULL,
  mime text,
  original_filename text,
  role text NOT NULL CHECK (role IN ('order', 'response', 'evidence', 'attachment', 'snapshot')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN (
    'pending', 'processing', 'extracted', 'partial', 'failed', 'encrypted', 'unsupported', 'empty')),
  status_reason text,
  progress text,
  ocr_languages text NOT NULL,
  page_count integer,
  language text,
  metadata jsonb NOT NULL DEFAULT '{}',
  suggestions jsonb,
  warnings text[] NOT NULL DEFAULT '{}',
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  extracted_at timestamptz
);
CREATE INDEX documents_order_idx ON documents (order_id);
CREATE INDEX documents_sha256_idx ON documents (sha256);
CREATE INDEX documents_parent_idx ON documents (parent_document_id);
-- The same bytes are one document per order (and per parent, for attachments).
CREATE UNIQUE INDEX documents_once_per_order ON documents (order_id, sha256, COALESCE(parent_document_id, 0));

CREATE TABLE document_pages (
  document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number >= 1),
  text text NOT NULL,
  method text NOT NULL,
  confidence real,
  PRIMARY KEY (document_id, number)
);

-- An outlet that has only the file files a draft: the authority is filled in once the text is read.
ALTER TABLE orders ADD COLUMN draft boolean NOT NULL DEFAULT false;
ALTER TABLE orders ALTER COLUMN authority_id DROP NOT NULL;
ALTER TABLE orders ADD CONSTRAINT authority_unless_draft CHECK (draft OR authority_id IS NOT NULL);
