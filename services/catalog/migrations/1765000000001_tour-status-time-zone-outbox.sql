-- Up Migration

-- A tour's local time zone (IANA), for e-mails that state the departure as travellers read it,
-- and its status: a cancelled tour takes no new seats and tells booking once.
ALTER TABLE tours
  ADD COLUMN time_zone    text        NOT NULL DEFAULT 'Europe/Paris'
    CHECK (length(time_zone) BETWEEN 1 AND 64),
  ADD COLUMN status       text        NOT NULL DEFAULT 'SCHEDULED'
    CHECK (status IN ('SCHEDULED', 'CANCELLED')),
  ADD COLUMN cancelled_at timestamptz,
  ADD CONSTRAINT tours_cancelled_at CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL));

-- Messages to other services (a tour's start time, zone or status changed: booking must know),
-- written in the transaction of the change and delivered by the kit's outbox relay.
CREATE TABLE outbox (
  id              bigserial   PRIMARY KEY,
  kind            text        NOT NULL CHECK (kind IN ('tour-changed')),
  payload         jsonb       NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Down Migration

DROP TABLE outbox;
ALTER TABLE tours
  DROP CONSTRAINT tours_cancelled_at,
  DROP COLUMN cancelled_at,
  DROP COLUMN status,
  DROP COLUMN time_zone;
