-- Up Migration
-- The transparency log (issue 18, docs/TRANSPARENCY-LOG.md): an append-only RFC 9162 Merkle tree with one
-- leaf per stored document, its perfect-subtree hashes (so a proof costs O(log n) reads), and every
-- signed checkpoint the archive published. Nothing ever updates or deletes a leaf, a node or a checkpoint.

-- One leaf per document, in the order they were filed. No foreign key to documents: a leaf outlives
-- anything that happens to its document, and the log must never stop a document's deletion either.
CREATE TABLE log_leaves (
  leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
  document_id bigint NOT NULL UNIQUE,
  entry bytea NOT NULL,
  leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The hash of every perfect subtree: the 2^level leaves from node_index × 2^level. Level 0 repeats the
-- leaf hashes so that every proof is read from this one table.
CREATE TABLE log_nodes (
  level smallint NOT NULL CHECK (level >= 0 AND level < 63),
  node_index bigint NOT NULL CHECK (node_index >= 0),
  hash bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, node_index)
);

-- The tree's size; appends lock this one row, as late in their transaction as they can, so they
-- take consecutive indexes in commit order.
CREATE TABLE log_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  size bigint NOT NULL CHECK (size >= 0)
);
INSERT INTO log_head (size) VALUES (0);

-- Every checkpoint published: the signed note, and its size and root for proofs and monitors.
CREATE TABLE log_checkpoints (
  tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
  root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
  note text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION transparency_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: the transparency log never changes what it published', TG_TABLE_NAME;
END $$;
CREATE TRIGGER log_leaves_append_only BEFORE UPDATE OR DELETE ON log_leaves
  FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER log_nodes_append_only BEFORE UPDATE OR DELETE ON log_nodes
  FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER log_nodes_no_truncate BEFORE TRUNCATE ON log_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
-- The head only grows.
CREATE FUNCTION log_head_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.size < OLD.size THEN
    RAISE EXCEPTION 'log_head only grows';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER log_head_grows BEFORE UPDATE ON log_head
  FOR EACH ROW EXECUTE FUNCTION log_head_only_grows();
CREATE TRIGGER log_head_not_deleted BEFORE DELETE ON log_head
  FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
