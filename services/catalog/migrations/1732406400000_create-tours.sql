-- Up Migration

-- One tour is one dated departure. The seat invariant lives here so that no writer, however
-- concurrent, can oversell or release seats that were never booked.
CREATE TABLE tours (
  id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  title                 text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  destination           text        NOT NULL CHECK (length(destination) BETWEEN 1 AND 100),
  -- ISO 3166-1 alpha-2, upper case (booking picks the VAT rate from the traveller's country,
  -- not this one; this is where the tour happens).
  country               char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  description           text        NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  starts_at             timestamptz NOT NULL,
  duration_hours        integer     NOT NULL CHECK (duration_hours BETWEEN 1 AND 24 * 60),
  capacity              integer     NOT NULL CHECK (capacity BETWEEN 0 AND 100000),
  booked_seats          integer     NOT NULL DEFAULT 0 CHECK (booked_seats >= 0),
  price_cents           integer     NOT NULL CHECK (price_cents >= 0),
  -- The price that applies on starts_at (season price, else price_cents). Computed by the
  -- domain on every write, so searches filter on the same figure the details show.
  effective_price_cents integer     NOT NULL CHECK (effective_price_cents >= 0),
  operator_email        text        NOT NULL CHECK (length(operator_email) <= 254),
  -- The sum keeps the average exact across incremental updates.
  rating_sum            numeric(14, 4) NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
  rating_count          integer     NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tours_seats_within_capacity CHECK (booked_seats <= capacity)
);

CREATE INDEX tours_destination_starts_at_idx ON tours (lower(destination), starts_at);
CREATE INDEX tours_starts_at_idx ON tours (starts_at);

-- Seasons are inclusive calendar-date ranges (UTC) with their own price per traveller.
CREATE TABLE tour_seasons (
  tour_id     uuid    NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  position    integer NOT NULL,
  name        text    NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  valid_from  date    NOT NULL,
  valid_until date    NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (tour_id, position),
  CHECK (valid_from <= valid_until)
);

-- Down Migration

DROP TABLE tour_seasons;
DROP TABLE tours;
