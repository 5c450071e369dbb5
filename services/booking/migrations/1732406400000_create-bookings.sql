-- Up Migration

-- A booking keeps the full price breakdown it was sold at: a later change of the tour's price,
-- of a season or of a promo code never changes what the traveller owes.
CREATE TABLE bookings (
  id                           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                      uuid        NOT NULL,
  tour_id                      uuid        NOT NULL,
  travellers                   integer     NOT NULL CHECK (travellers BETWEEN 1 AND 100),
  status                       text        NOT NULL DEFAULT 'PENDING_PAYMENT' CHECK (status IN (
                                 'PENDING_PAYMENT', 'CONFIRMED', 'PAYMENT_FAILED',
                                 'RESERVED_PENDING_PAYMENT', 'CANCELLED', 'EXPIRED')),
  -- ISO 3166-1 alpha-2 of the traveller: the VAT rate was picked from it.
  country                      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  promo_code                   text,
  currency                     char(3)     NOT NULL DEFAULT 'EUR',
  -- bigint: 100 travellers at a high unit price pass the 2^31 cents of an integer.
  unit_price_cents             bigint      NOT NULL CHECK (unit_price_cents >= 0),
  base_price_cents             bigint      NOT NULL CHECK (base_price_cents >= 0),
  discount_cents               bigint      NOT NULL CHECK (discount_cents BETWEEN 0 AND base_price_cents),
  subtotal_cents               bigint      NOT NULL CHECK (subtotal_cents = base_price_cents - discount_cents),
  vat_basis_points             integer     NOT NULL CHECK (vat_basis_points >= 0),
  tax_cents                    bigint      NOT NULL CHECK (tax_cents >= 0),
  total_cents                  bigint      NOT NULL CHECK (total_cents = subtotal_cents + tax_cents),
  rules_applied                jsonb       NOT NULL DEFAULT '[]',
  -- Copied from the catalog at booking time so that the reminder query needs no other service.
  tour_starts_at               timestamptz NOT NULL,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  updated_at                   timestamptz NOT NULL DEFAULT now(),
  cancelled_at                 timestamptz,
  requires_manual_intervention boolean     NOT NULL DEFAULT false,
  -- Set for RESERVED_PENDING_PAYMENT (pay-later bookings lapse after 24 h).
  expires_at                   timestamptz,
  CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL))
);

CREATE INDEX bookings_user_created_idx ON bookings (user_id, created_at DESC);
CREATE INDEX bookings_user_tour_idx ON bookings (user_id, tour_id);
CREATE INDEX bookings_tour_starts_at_idx ON bookings (tour_starts_at);

-- One row per (user, Idempotency-Key). The row is inserted first, inside the transaction that
-- creates the booking, so a concurrent retry with the same key waits on it and then replays
-- the stored response instead of booking twice.
CREATE TABLE idempotency_keys (
  user_id       uuid        NOT NULL,
  key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- sha256 of the canonical request body: the same key with another body is refused.
  request_hash  text        NOT NULL,
  booking_id    uuid        REFERENCES bookings (id),
  response_status integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

CREATE TABLE promo_codes (
  code                text        PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{1,40}$'),
  percent             integer     NOT NULL CHECK (percent BETWEEN 1 AND 100),
  -- Exclusive: the code stops working at this instant. NULL: never expires.
  expires_at          timestamptz,
  single_use_per_user boolean     NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now()
);

-- Only single-use codes are recorded: the primary key is the "once per user" guarantee, even
-- under concurrent bookings. Cancelling the booking gives the code back.
CREATE TABLE promo_redemptions (
  code        text        NOT NULL REFERENCES promo_codes (code),
  user_id     uuid        NOT NULL,
  booking_id  uuid        NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  redeemed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code, user_id)
);

-- Down Migration

DROP TABLE promo_redemptions;
DROP TABLE promo_codes;
DROP TABLE idempotency_keys;
DROP TABLE bookings;
