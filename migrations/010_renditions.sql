-- Up Migration
-- Redacted renditions: the public copy of a PDF or an image, its pages rendered with the accepted
-- redactions burned into the pixels (ingest/renditions/), kept in the blob store like any file. A
-- request names its input (the original's sha256, the redactions, the boxes) by a hash; the job records
-- its result only while that is still the latest request, so a rendition never shows older decisions.
--   pending:    asked for, not made yet (no rendition is served meanwhile)
--   made:       rendition_sha256 is the rendition of the latest request, served to whoever sees the document
--   incomplete: some redactions could not be found on their pages (rendition_unplaced): none is served
--   failed:     the file could not be rendered (rendition_reason says why)
ALTER TABLE documents
  ADD COLUMN rendition_status text CHECK (rendition_status IN ('pending', 'made', 'incomplete', 'failed')),
  ADD COLUMN rendition_input_sha256 text CHECK (rendition_input_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN rendition_sha256 text REFERENCES blobs (sha256),
  ADD COLUMN rendition_reason text,
  -- The boxes painted, per page, in the pixels of the rendition's page images (for review).
  ADD COLUMN rendition_boxes jsonb,
  -- Redactions not found on their pages: the redacted strings, so only insiders may ever read this.
  ADD COLUMN rendition_unplaced jsonb,
  ADD COLUMN rendition_made_at timestamptz,
  ADD CONSTRAINT rendition_made_has_file CHECK (
    (rendition_status IS DISTINCT FROM 'made' OR rendition_sha256 IS NOT NULL)
    AND (rendition_sha256 IS NULL OR rendition_status = 'made'));
