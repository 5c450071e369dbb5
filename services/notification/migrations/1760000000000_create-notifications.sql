-- Up Migration
-- The outbox and log of every notification. The unique dedupe key is what makes "at most once"
-- hold across duplicate requests, replicas and restarts: a key is accepted once, and a row is sent
-- only by the worker that moved it from queued to sending.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dedupe_key text NOT NULL UNIQUE,
  type text NOT NULL CHECK (type IN ('booking-confirmed', 'payment-link', 'support-alert', 'review-posted', 'reminder')),
  recipient text,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- While status = 'sending': no other worker may claim the row before this instant.
  lease_until timestamptz,
  last_error text,
  message_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);

-- The recovery sweep looks for unfinished rows only.
CREATE INDEX notifications_unfinished ON notifications (created_at) WHERE status IN ('queued', 'sending');

-- Down Migration
DROP TABLE notifications;
