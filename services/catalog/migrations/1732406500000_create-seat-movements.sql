-- Up Migration

-- One row per seat change that carried a reference (e.g. booking:<id>:reserve). It is inserted
-- in the same transaction as the seat update, so a retried call with the same reference is
-- applied once: the second insert conflicts and the change is not repeated.
CREATE TABLE seat_movements (
  reference   text        PRIMARY KEY CHECK (length(reference) BETWEEN 1 AND 200),
  tour_id     uuid        NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  delta       integer     NOT NULL CHECK (delta <> 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX seat_movements_tour_idx ON seat_movements (tour_id);

-- Down Migration

DROP TABLE seat_movements;
