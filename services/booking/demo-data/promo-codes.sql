-- Promo codes for local development and demos (make dev). Idempotent: safe to run again.
INSERT INTO promo_codes (code, percent, expires_at, single_use_per_user) VALUES
  ('SUMMER2025',  10, '2030-01-01T00:00:00Z', true),
  ('WELCOME10',   10, NULL,                   true),
  ('PARIS15',     15, '2030-01-01T00:00:00Z', false),
  ('EXPIRED5',     5, '2020-01-01T00:00:00Z', false),
  ('HALFPRICE',   50, '2030-01-01T00:00:00Z', true)
ON CONFLICT (code) DO NOTHING;
