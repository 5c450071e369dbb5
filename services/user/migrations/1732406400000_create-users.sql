-- Up Migration

-- Emails are unique regardless of case: the application stores them lower-cased, and this
-- index is the guarantee even if a writer forgets to.
CREATE TABLE users (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text        NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  password_hash text        NOT NULL,
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- ISO 3166-1 alpha-2, upper case; booking uses it to pick the VAT rate.
  country       char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  roles         text[]      NOT NULL DEFAULT '{customer}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Down Migration

DROP TABLE users;
