-- Up Migration
-- Redactions of what the outlet types on the order itself (issue #16): a span of the order's summary,
-- stated_reason or threatened_consequence, decided like a document's span. Such a redaction names its
-- order and field and no document or page; a document's redaction names its document and page (its order
-- is the document's) and no field. Offsets are in the field's text, as for a page's.
ALTER TABLE redactions
  ALTER COLUMN document_id DROP NOT NULL,
  ALTER COLUMN page DROP NOT NULL,
  ADD COLUMN order_id bigint REFERENCES orders (id) ON DELETE CASCADE,
  ADD COLUMN field text CHECK (field IN ('summary', 'stated_reason', 'threatened_consequence')),
  ADD CONSTRAINT redaction_of_document_or_order_field CHECK (
    CASE WHEN field IS NULL
         THEN document_id IS NOT NULL AND page IS NOT NULL AND order_id IS NULL
         ELSE document_id IS NULL AND page IS NULL AND order_id IS NOT NULL AND area IS NULL
              AND start_offset IS NOT NULL END);
CREATE INDEX redactions_order_field_idx ON redactions (order_id, field, start_offset) WHERE order_id IS NOT NULL;
-- The publication rule asks "any undecided proposal on the order's own fields?" as often as for documents.
CREATE INDEX redactions_order_undecided_idx ON redactions (order_id) WHERE state = 'proposed' AND order_id IS NOT NULL;
