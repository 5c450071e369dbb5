-- Up Migration

-- The kit's outbox relay parks a message the receiver refused for good with
-- next_attempt_at = 'infinity' (and last_error) instead of a column of its own.
UPDATE outbox SET next_attempt_at = 'infinity' WHERE abandoned_at IS NOT NULL;
DROP INDEX outbox_due_idx;
ALTER TABLE outbox DROP COLUMN abandoned_at;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Down Migration

DROP INDEX outbox_due_idx;
ALTER TABLE outbox ADD COLUMN abandoned_at timestamptz;
UPDATE outbox SET abandoned_at = now(), next_attempt_at = now()
  WHERE delivered_at IS NULL AND next_attempt_at = 'infinity';
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at)
  WHERE delivered_at IS NULL AND abandoned_at IS NULL;
