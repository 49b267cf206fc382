-- Up Migration
-- A redaction drawn as a box on a scan (issue #16): a rectangle on a page's image, in fractions of the
-- image's width and height ({"x", "y", "width", "height"}, each 0..1), with no span of the text. The
-- redacted rendition paints it as it is; it hides no text by itself. A redaction is either a span (offsets
-- and the text they hold) or an area, never both.
ALTER TABLE redactions
  ALTER COLUMN start_offset DROP NOT NULL,
  ALTER COLUMN end_offset DROP NOT NULL,
  ALTER COLUMN redacted_text DROP NOT NULL,
  ADD COLUMN area jsonb,
  ADD CONSTRAINT redaction_span_or_area CHECK (
    CASE WHEN area IS NULL
         THEN start_offset IS NOT NULL AND end_offset IS NOT NULL AND redacted_text IS NOT NULL
         ELSE start_offset IS NULL AND end_offset IS NULL AND redacted_text IS NULL
              AND jsonb_typeof(area) = 'object' END);
