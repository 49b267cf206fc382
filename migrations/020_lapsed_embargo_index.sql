-- Up Migration
-- The embargoed orders by their date, for the visibility rule's "embargo has lapsed" arm
-- (visibleNonPublicOrdersSql): the public's statistics read the embargoes that have lapsed through it,
-- instead of every order that is not public (orders_not_public_idx still serves a member's own outlets).
CREATE INDEX orders_embargo_until_idx ON orders (embargo_until) WHERE visibility = 'embargoed';
