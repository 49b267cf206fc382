-- Up Migration
-- Orders imported from public registries and collections (the blocking registry, GitHub's
-- gov-takedowns, the Lumen Database) record where they came from and under which licence, so the
-- archive can show it and a re-import finds the same order instead of making a second one.
ALTER TABLE orders
  ADD COLUMN import_source text CHECK (import_source IN ('registry', 'gov-takedowns', 'lumen')),
  ADD COLUMN import_reference text,
  ADD COLUMN import_licence text,
  ADD COLUMN import_source_url text,
  ADD COLUMN import_reviewed boolean,
  ADD CONSTRAINT import_reference_needs_source CHECK ((import_source IS NULL) = (import_reference IS NULL)),
  ADD CONSTRAINT import_reviewed_only_for_imports CHECK (import_source IS NOT NULL OR import_reviewed IS NULL);
CREATE UNIQUE INDEX orders_import_reference_idx ON orders (import_source, import_reference)
  WHERE import_source IS NOT NULL;
