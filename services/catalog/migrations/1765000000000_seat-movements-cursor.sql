-- Up Migration

-- Reconciliation (booking) reads seat movements in order with a cursor. A bigserial alone is not a
-- safe cursor: a transaction can take a lower id and commit after a reader has passed it. The
-- inserting transaction's id (xid8) fixes that: the endpoint serves only rows of transactions older
-- than every transaction still in flight (pg_snapshot_xmin), ordered by (xid, id), so no row can
-- later appear behind a cursor already handed out. Rows from before this migration get xid 0.
ALTER TABLE seat_movements
  ADD COLUMN id bigserial,
  ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE seat_movements ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE seat_movements ADD CONSTRAINT seat_movements_id_key UNIQUE (id);
CREATE INDEX seat_movements_cursor_idx ON seat_movements (xid, id);

-- Down Migration

DROP INDEX seat_movements_cursor_idx;
ALTER TABLE seat_movements DROP COLUMN xid, DROP COLUMN id;
