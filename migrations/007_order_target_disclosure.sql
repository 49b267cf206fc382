-- Up Migration
-- An order may target a URL whose article only orders hidden from its filer target: the link is kept
-- (one article per canonical URL, so search by URL finds every order), but the stored article (its title,
-- date, original URL) is not disclosed through this order: not in its story, its search document, or as a
-- reason to see the article. Links made before this migration disclose, as they did.
ALTER TABLE order_targets ADD COLUMN article_disclosed boolean NOT NULL DEFAULT true;
