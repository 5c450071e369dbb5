-- Up Migration

-- What catalog's seat movements (GET /internal/seat-movements) say each booking holds there, read
-- by the seat-movement reconciler (src/background/reconcile-saga.ts). No foreign key: a hold whose
-- booking does not exist is exactly what the reconciler looks for.
CREATE TABLE catalog_seat_holds (
  booking_id  uuid        PRIMARY KEY,
  tour_id     uuid        NOT NULL,
  seats       integer     NOT NULL CHECK (seats > 0),
  reserved_at timestamptz NOT NULL,
  released    boolean     NOT NULL DEFAULT false
);
CREATE INDEX catalog_seat_holds_open_idx ON catalog_seat_holds (reserved_at) WHERE NOT released;

-- Where a reconciler stopped reading another service's log (one row per reconciler).
CREATE TABLE reconciler_cursors (
  name       text        PRIMARY KEY,
  cursor     text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE reconciler_cursors;
DROP TABLE catalog_seat_holds;
