-- Up Migration

ALTER TABLE bookings
  ADD COLUMN payment_id         uuid,
  ADD COLUMN payment_attempts   integer NOT NULL DEFAULT 0,
  ADD COLUMN last_payment_error text,
  ADD COLUMN refund_id          uuid;

-- The expiry sweep and the re-enqueue of stranded payments read these.
CREATE INDEX bookings_reserved_expiry_idx ON bookings (expires_at)
  WHERE status = 'RESERVED_PENDING_PAYMENT';
CREATE INDEX bookings_pending_payment_idx ON bookings (updated_at)
  WHERE status = 'PENDING_PAYMENT';

-- Side effects towards other services (e-mails, seat releases, refunds), written in the same
-- transaction as the booking change that causes them and delivered by a relay loop with retries:
-- an outage of notification, catalog or payment delays them, never loses them. dedupe_key makes
-- each effect be recorded once (e.g. booking-confirmed:<id>) and is sent along where the receiver
-- deduplicates too.
CREATE TABLE outbox (
  id              bigserial   PRIMARY KEY,
  kind            text        NOT NULL CHECK (kind IN ('notification', 'release-seats', 'refund')),
  dedupe_key      text        NOT NULL UNIQUE,
  payload         jsonb       NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  delivered_at    timestamptz,
  -- Set when the receiver refused the message for good (a 4xx): it is kept for inspection.
  abandoned_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbox_due_idx ON outbox (next_attempt_at)
  WHERE delivered_at IS NULL AND abandoned_at IS NULL;

-- Down Migration

DROP TABLE outbox;
DROP INDEX bookings_pending_payment_idx;
DROP INDEX bookings_reserved_expiry_idx;
ALTER TABLE bookings
  DROP COLUMN refund_id,
  DROP COLUMN last_payment_error,
  DROP COLUMN payment_attempts,
  DROP COLUMN payment_id;
