-- Up Migration
-- Tells the search outbox relay that a write queued orders for search: NOTIFY is delivered when the
-- transaction commits (and not at all if it rolls back), once per transaction. The relay still polls, so
-- a notice missed while it reconnects only delays indexing.
CREATE FUNCTION notify_search_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('search_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER search_outbox_notify AFTER INSERT ON search_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION notify_search_outbox();
