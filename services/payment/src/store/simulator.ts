import type { SimulatorSettings } from '../domain/simulator-settings.js';
import type { Queryable } from './queryable.js';

// The simulated provider's own tables in payment's database: its settings (one row, so one PUT
// reaches every replica) and its ledger, keyed by the provider key like a real provider's.

export type OperationKind = 'charge' | 'refund';

interface SettingsRow {
  failure_rate: string;
  decline_rate: string;
  latency_ms: number;
  outage: boolean;
  lose_response_rate: string;
}

/** The stored settings; null until the first PUT /internal/simulator. */
export async function readSimulatorSettings(db: Queryable): Promise<SimulatorSettings | null> {
  const { rows } = await db.query<SettingsRow>(
    'SELECT failure_rate, decline_rate, latency_ms, outage, lose_response_rate FROM simulator_settings WHERE id = 1',
  );
  const row = rows[0];
  if (!row) return null;
  return {
    failureRate: Number(row.failure_rate),
    declineRate: Number(row.decline_rate),
    latencyMs: row.latency_ms,
    outage: row.outage,
    loseResponseRate: Number(row.lose_response_rate),
  };
}

export async function writeSimulatorSettings(
  db: Queryable,
  next: SimulatorSettings,
): Promise<void> {
  await db.query(
    `INSERT INTO simulator_settings
       (id, failure_rate, decline_rate, latency_ms, outage, lose_response_rate, updated_at)
     VALUES (1, $1, $2, $3, $4, $5, now())
     ON CONFLICT (id) DO UPDATE SET failure_rate = $1, decline_rate = $2, latency_ms = $3,
       outage = $4, lose_response_rate = $5, updated_at = now()`,
    [next.failureRate, next.declineRate, next.latencyMs, next.outage, next.loseResponseRate],
  );
}

/** The ledger's operation under a provider key, if any. */
export async function findOperation(
  db: Queryable,
  providerKey: string,
): Promise<{ kind: OperationKind; providerRef: string; amountCents: number } | null> {
  const { rows } = await db.query<{
    kind: OperationKind;
    provider_ref: string;
    amount_cents: string;
  }>(
    'SELECT kind, provider_ref, amount_cents FROM simulator_operations WHERE idempotency_key = $1',
    [providerKey],
  );
  const row = rows[0];
  return row
    ? { kind: row.kind, providerRef: row.provider_ref, amountCents: Number(row.amount_cents) }
    : null;
}

/** Every operation of a kind, oldest first. */
export async function listOperations(
  db: Queryable,
  kind: OperationKind,
): Promise<Array<{ idempotencyKey: string; amountCents: number }>> {
  const { rows } = await db.query<{
    idempotency_key: string;
    amount_cents: string;
  }>(
    'SELECT idempotency_key, amount_cents FROM simulator_operations WHERE kind = $1 ORDER BY created_at',
    [kind],
  );
  return rows.map((r) => ({
    idempotencyKey: r.idempotency_key,
    amountCents: Number(r.amount_cents),
  }));
}

/** One operation the simulated provider carried out, under the caller's Idempotency-Key. */
export interface SimulatorLedgerEntry {
  kind: 'charge' | 'refund';
  idempotencyKey: string;
  providerRef: string;
  amountCents: number;
  createdAt: string;
}

/**
 * The ledger's entries whose caller's Idempotency-Key (the provider key without its `charge:` or
 * `refund:`) starts with `idempotencyKeyPrefix`, oldest first.
 */
export async function ledgerEntries(
  db: Queryable,
  idempotencyKeyPrefix: string,
  limit: number,
): Promise<SimulatorLedgerEntry[]> {
  const { rows } = await db.query<{
    kind: 'charge' | 'refund';
    idempotency_key: string;
    provider_ref: string;
    amount_cents: string;
    created_at: Date;
  }>(
    `SELECT kind, idempotency_key, provider_ref, amount_cents, created_at
       FROM simulator_operations
      WHERE starts_with(idempotency_key, 'charge:' || $1)
         OR starts_with(idempotency_key, 'refund:' || $1)
      ORDER BY created_at, idempotency_key
      LIMIT $2`,
    [idempotencyKeyPrefix, limit],
  );
  return rows.map((row) => ({
    kind: row.kind,
    idempotencyKey: row.idempotency_key.slice(`${row.kind}:`.length),
    providerRef: row.provider_ref,
    amountCents: Number(row.amount_cents),
    createdAt: row.created_at.toISOString(),
  }));
}

/** Records an operation once per provider key; the stored reference wins over `providerRef`. */
export async function recordOperation(
  db: Queryable,
  op: { providerKey: string; kind: OperationKind; providerRef: string; amountCents: number },
): Promise<string> {
  await db.query(
    `INSERT INTO simulator_operations (idempotency_key, kind, provider_ref, amount_cents)
     VALUES ($1, $2, $3, $4) ON CONFLICT (idempotency_key) DO NOTHING`,
    [op.providerKey, op.kind, op.providerRef, op.amountCents],
  );
  const { rows } = await db.query<{ provider_ref: string }>(
    'SELECT provider_ref FROM simulator_operations WHERE idempotency_key = $1',
    [op.providerKey],
  );
  return rows[0]!.provider_ref;
}
