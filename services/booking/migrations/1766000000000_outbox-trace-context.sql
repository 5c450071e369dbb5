-- Up Migration

-- The W3C trace-context headers of the request that wrote the row (kit: currentTraceCarrier), so
-- the relay's delivery joins that trace (kit: createOutboxRelay). Null for rows written outside one.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;

-- Down Migration

ALTER TABLE outbox DROP COLUMN trace_context;
