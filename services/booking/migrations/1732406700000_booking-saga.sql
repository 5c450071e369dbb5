-- Up Migration

-- The saga's states of unknown outcome (RESERVING_SEATS, PAYMENT_UNKNOWN) and its refusal
-- (REJECTED: catalog refused the seats); README "The booking saga".
ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN (
  'RESERVING_SEATS', 'PENDING_PAYMENT', 'PAYMENT_UNKNOWN', 'CONFIRMED', 'PAYMENT_FAILED',
  'RESERVED_PENDING_PAYMENT', 'REJECTED', 'CANCELLED', 'EXPIRED'));

-- When the booking entered its current status: each non-terminal state's bound counts from it.
-- Set by the database on every status change, so no UPDATE can forget it.
ALTER TABLE bookings ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now();
UPDATE bookings SET status_changed_at = updated_at;

CREATE FUNCTION bookings_status_changed() RETURNS trigger AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.status_changed_at := clock_timestamp();
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER bookings_status_changed BEFORE UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_status_changed();

-- The reconcilers read the bookings whose outcome is not known yet, oldest first.
CREATE INDEX bookings_unsettled_idx ON bookings (status, status_changed_at)
  WHERE status IN ('RESERVING_SEATS', 'PAYMENT_UNKNOWN');

-- The saga rewrites the stored create response when the seat step settles (a replay tells the truth).
CREATE INDEX idempotency_keys_booking_idx ON idempotency_keys (booking_id);

-- What staff did to a booking (POST /v1/admin/bookings/:id/actions): who, when, what, why, from → to.
CREATE TABLE booking_audit (
  id          bigserial   PRIMARY KEY,
  booking_id  uuid        NOT NULL REFERENCES bookings (id),
  actor_id    uuid        NOT NULL,
  action      text        NOT NULL CHECK (action IN ('retry-payment', 'cancel-and-release', 'mark-resolved')),
  reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  from_status text        NOT NULL,
  to_status   text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_audit_booking_idx ON booking_audit (booking_id, created_at);

-- Down Migration

DROP TABLE booking_audit;
DROP INDEX idempotency_keys_booking_idx;
DROP INDEX bookings_unsettled_idx;
DROP TRIGGER bookings_status_changed ON bookings;
DROP FUNCTION bookings_status_changed();
ALTER TABLE bookings DROP COLUMN status_changed_at;
ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN (
  'PENDING_PAYMENT', 'CONFIRMED', 'PAYMENT_FAILED', 'RESERVED_PENDING_PAYMENT', 'CANCELLED', 'EXPIRED'));
