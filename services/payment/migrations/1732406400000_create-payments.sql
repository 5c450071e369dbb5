-- Up Migration

-- One row per charge Idempotency-Key. The row is locked (SELECT … FOR UPDATE) while the provider is
-- called, so a concurrent request with the same key waits and then replays the stored result.
-- A failed attempt stays FAILED and is attempted again by the next request with the same key;
-- only a success is final. The provider itself is called with the same key, so a crash between
-- the provider's answer and our commit cannot charge twice either.
CREATE TABLE payments (
  id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id      uuid        NOT NULL,
  user_id         uuid        NOT NULL,
  amount_cents    bigint      NOT NULL CHECK (amount_cents > 0),
  currency        char(3)     NOT NULL DEFAULT 'EUR',
  status          text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
  provider_ref    text,
  idempotency_key text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  -- sha256 of the canonical request: the same key with another body is refused.
  request_hash    text        NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'SUCCEEDED') = (provider_ref IS NOT NULL))
);

CREATE INDEX payments_booking_idx ON payments (booking_id, created_at);

CREATE TABLE refunds (
  id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id      uuid        NOT NULL REFERENCES payments (id),
  amount_cents    bigint      NOT NULL CHECK (amount_cents > 0),
  status          text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
  provider_ref    text,
  idempotency_key text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  request_hash    text        NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX refunds_payment_idx ON refunds (payment_id);

-- The simulated provider's own state. Settings live here rather than in memory so that every
-- replica of the payment service simulates the same outage after one PUT /internal/simulator.
CREATE TABLE simulator_settings (
  id           integer PRIMARY KEY CHECK (id = 1),
  failure_rate numeric(4, 3) NOT NULL CHECK (failure_rate BETWEEN 0 AND 1),
  decline_rate numeric(4, 3) NOT NULL CHECK (decline_rate BETWEEN 0 AND 1),
  latency_ms   integer       NOT NULL CHECK (latency_ms BETWEEN 0 AND 60000),
  outage       boolean       NOT NULL,
  updated_at   timestamptz   NOT NULL DEFAULT now()
);

-- What the simulated provider has charged or refunded, keyed like a real provider's idempotency
-- keys: the same key returns the same operation.
CREATE TABLE simulator_operations (
  idempotency_key text        PRIMARY KEY,
  kind            text        NOT NULL CHECK (kind IN ('charge', 'refund')),
  provider_ref    text        NOT NULL UNIQUE,
  amount_cents    bigint      NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE simulator_operations;
DROP TABLE simulator_settings;
DROP TABLE refunds;
DROP TABLE payments;
