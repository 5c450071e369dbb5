-- Up Migration
CREATE TABLE reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tour_id uuid NOT NULL,
  user_id uuid NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 2000),
  -- Milliseconds, like the page cursors that carry it (JavaScript dates).
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  -- One review per user and tour; the API maps a violation to 409 already-reviewed.
  CONSTRAINT reviews_one_per_user_and_tour UNIQUE (tour_id, user_id)
);

-- Newest first, keyset pagination on (created_at, id).
CREATE INDEX reviews_by_tour_newest ON reviews (tour_id, created_at DESC, id DESC);

-- Side effects of a review (catalog rating sync, operator notification), written in the same
-- transaction as the review and delivered by the outbox loop until the other service accepts them.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('catalog-rating', 'operator-notification')),
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Down Migration
DROP TABLE outbox;
DROP TABLE reviews;
