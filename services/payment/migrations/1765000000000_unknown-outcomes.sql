-- Up Migration

-- Charges and refunds no longer hold a row lock across the provider call (README, "States"):
-- a short transaction claims the attempt (status PENDING, attempted_at), the provider is called
-- outside any transaction, a second short transaction records the outcome. A row left PENDING
-- (the provider's answer was lost, the process died) is settled by the reconciler, which finds
-- such rows by attempted_at and asks the provider by the idempotency key.

-- DECLINED: the provider refused the charge; final (the same key replays the decline).
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'DECLINED'));

-- When the current attempt was claimed; a PENDING row older than the reconciler's bound has an
-- unknown outcome. Existing rows take their last change.
ALTER TABLE payments ADD COLUMN attempted_at timestamptz;
UPDATE payments SET attempted_at = updated_at;
ALTER TABLE payments ALTER COLUMN attempted_at SET NOT NULL;
ALTER TABLE payments ALTER COLUMN attempted_at SET DEFAULT now();

ALTER TABLE refunds ADD COLUMN attempted_at timestamptz;
UPDATE refunds SET attempted_at = updated_at;
ALTER TABLE refunds ALTER COLUMN attempted_at SET NOT NULL;
ALTER TABLE refunds ALTER COLUMN attempted_at SET DEFAULT now();
ALTER TABLE refunds ADD CONSTRAINT refunds_provider_ref_check
  CHECK ((status = 'SUCCEEDED') = (provider_ref IS NOT NULL)) NOT VALID;

-- The reconciler's scan and the pending metrics read only PENDING rows.
CREATE INDEX payments_pending_idx ON payments (attempted_at) WHERE status = 'PENDING';
CREATE INDEX refunds_pending_idx ON refunds (attempted_at) WHERE status = 'PENDING';

-- A refund left PENDING by the old code (inserted, then refused as exceeding the payment) never
-- reached the provider and still counts against the capture: give its reservation back.
UPDATE refunds SET status = 'FAILED', last_error = 'never sent to the provider (released by migration)',
  updated_at = now()
WHERE status = 'PENDING' AND attempts = 0;

-- The simulator's new fault: the operation is carried out, its answer lost (as after a timeout).
ALTER TABLE simulator_settings ADD COLUMN lose_response_rate numeric(4, 3) NOT NULL DEFAULT 0
  CHECK (lose_response_rate BETWEEN 0 AND 1);

-- Down Migration

ALTER TABLE simulator_settings DROP COLUMN lose_response_rate;
DROP INDEX refunds_pending_idx;
DROP INDEX payments_pending_idx;
ALTER TABLE refunds DROP CONSTRAINT refunds_provider_ref_check;
ALTER TABLE refunds DROP COLUMN attempted_at;
ALTER TABLE payments DROP COLUMN attempted_at;
UPDATE payments SET status = 'FAILED' WHERE status = 'DECLINED';
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED'));
