import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '@tourkit/kit';
import {
  PaymentDeclinedError,
  ProviderOutcomeUnknownError,
  ProviderUnavailableError,
  type ChargeRequest,
  type PaymentProvider,
  type ProviderOperation,
  type ProviderResult,
  type RefundRequest,
} from './provider.js';
import {
  applySettingsPatch,
  simulatedOutcome,
  type SimulatorSettings,
  type SimulatorSettingsPatch,
} from '../domain/simulator-settings.js';

export interface SimulatorOptions {
  pool: Pool;
  /** Used until the first PUT /internal/simulator stores settings. */
  defaults: SimulatorSettings;
  /** [0, 1) draws; injectable for tests. */
  random?: () => number;
}

interface SettingsRow {
  failure_rate: string;
  decline_rate: string;
  latency_ms: number;
  outage: boolean;
  lose_response_rate: string;
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
 * A local payment provider for development, tests and demos. Its settings live in the payment
 * database, so one PUT reaches every replica; its ledger (simulator_operations) honours
 * idempotency keys like a real provider.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = 'simulator';
  private readonly random: () => number;

  constructor(private readonly options: SimulatorOptions) {
    this.random = options.random ?? Math.random;
  }

  async settings(): Promise<SimulatorSettings> {
    const { rows } = await this.options.pool.query<SettingsRow>(
      'SELECT failure_rate, decline_rate, latency_ms, outage, lose_response_rate FROM simulator_settings WHERE id = 1',
    );
    const row = rows[0];
    if (!row) return this.options.defaults;
    return {
      failureRate: Number(row.failure_rate),
      declineRate: Number(row.decline_rate),
      latencyMs: row.latency_ms,
      outage: row.outage,
      loseResponseRate: Number(row.lose_response_rate),
    };
  }

  async updateSettings(patch: SimulatorSettingsPatch): Promise<SimulatorSettings> {
    const next = applySettingsPatch(await this.settings(), patch);
    await this.options.pool.query(
      `INSERT INTO simulator_settings
         (id, failure_rate, decline_rate, latency_ms, outage, lose_response_rate, updated_at)
       VALUES (1, $1, $2, $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET failure_rate = $1, decline_rate = $2, latency_ms = $3,
         outage = $4, lose_response_rate = $5, updated_at = now()`,
      [next.failureRate, next.declineRate, next.latencyMs, next.outage, next.loseResponseRate],
    );
    return next;
  }

  async charge(request: ChargeRequest): Promise<ProviderResult> {
    return this.carryOut('charge', request.idempotencyKey, request.amountCents);
  }

  async refund(request: RefundRequest): Promise<ProviderResult> {
    return this.carryOut('refund', request.idempotencyKey, request.amountCents);
  }

  /** What the ledger holds under the key; an outage makes the provider unreachable for this too. */
  async lookup(idempotencyKey: string): Promise<ProviderOperation | null> {
    if ((await this.settings()).outage) throw new ProviderUnavailableError('simulated outage');
    const { rows } = await this.options.pool.query<{
      kind: 'charge' | 'refund';
      provider_ref: string;
      amount_cents: string;
    }>(
      'SELECT kind, provider_ref, amount_cents FROM simulator_operations WHERE idempotency_key = $1',
      [idempotencyKey],
    );
    const row = rows[0];
    return row
      ? { kind: row.kind, providerRef: row.provider_ref, amountCents: Number(row.amount_cents) }
      : null;
  }

  async ping(): Promise<void> {
    if ((await this.settings()).outage) throw new ProviderUnavailableError('simulated outage');
  }

  /** Operations the simulator has carried out (tests assert "charged once" with this). */
  async operations(
    kind: 'charge' | 'refund',
  ): Promise<Array<{ idempotencyKey: string; amountCents: number }>> {
    const { rows } = await this.options.pool.query<{
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

  /**
   * The ledger's entries whose caller's Idempotency-Key (the key without the simulator's
   * `charge:`/`refund:`) starts with `idempotencyKeyPrefix`, oldest first: what the provider
   * carried out, as its statement shows it (`booking:<id>` finds a booking's charge and refund).
   */
  async ledger(idempotencyKeyPrefix: string, limit = 100): Promise<SimulatorLedgerEntry[]> {
    const { rows } = await this.options.pool.query<{
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

  private async carryOut(
    kind: 'charge' | 'refund',
    idempotencyKey: string,
    amountCents: number,
  ): Promise<ProviderResult> {
    const settings = await this.settings();
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    switch (simulatedOutcome(settings, this.random(), kind)) {
      case 'unavailable':
        throw new ProviderUnavailableError(
          settings.outage ? 'simulated outage' : 'simulated provider failure',
        );
      case 'declined':
        throw new PaymentDeclinedError('simulated decline');
      case 'lost':
        // Carried out, then the answer never arrives: what a timeout after charging looks like.
        await this.record(idempotencyKey, kind, amountCents);
        throw new ProviderOutcomeUnknownError('simulated lost response');
      case 'ok':
        return this.record(idempotencyKey, kind, amountCents);
    }
  }

  private async record(
    idempotencyKey: string,
    kind: 'charge' | 'refund',
    amountCents: number,
  ): Promise<ProviderResult> {
    const providerRef = `sim_${kind === 'charge' ? 'ch' : 're'}_${randomUUID()}`;
    await this.options.pool.query(
      `INSERT INTO simulator_operations (idempotency_key, kind, provider_ref, amount_cents)
       VALUES ($1, $2, $3, $4) ON CONFLICT (idempotency_key) DO NOTHING`,
      [idempotencyKey, kind, providerRef, amountCents],
    );
    const { rows } = await this.options.pool.query<{ provider_ref: string }>(
      'SELECT provider_ref FROM simulator_operations WHERE idempotency_key = $1',
      [idempotencyKey],
    );
    return { providerRef: rows[0]!.provider_ref };
  }
}
