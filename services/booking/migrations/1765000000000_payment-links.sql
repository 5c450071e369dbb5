-- Up Migration

-- The pay-later link's single-use nonce (src/domain/payment-link.ts). A table of its own rather
-- than columns of bookings: only a RESERVED_PENDING_PAYMENT booking ever gets one. used_at is set
-- in the transaction that moves the booking on to PENDING_PAYMENT, so a link pays once.
CREATE TABLE payment_links (
  booking_id  uuid        PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
  nonce       text        NOT NULL CHECK (length(nonce) BETWEEN 16 AND 128),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE payment_links;
