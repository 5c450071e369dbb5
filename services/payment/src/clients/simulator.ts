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
import {
  findOperation,
  ledgerEntries,
  listOperations,
  readSimulatorSettings,
  recordOperation,
  writeSimulatorSettings,
  type SimulatorLedgerEntry,
} from '../store/simulator.js';

export type { SimulatorLedgerEntry };

export interface SimulatorOptions {
  pool: Pool;
  /** Used until the first PUT /internal/simulator stores settings. */
  defaults: SimulatorSettings;
  /** [0, 1) draws; injectable for tests. */
  random?: () => number;
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
    return (await readSimulatorSettings(this.options.pool)) ?? this.options.defaults;
  }

  async updateSettings(patch: SimulatorSettingsPatch): Promise<SimulatorSettings> {
    const next = applySettingsPatch(await this.settings(), patch);
    await writeSimulatorSettings(this.options.pool, next);
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
    return findOperation(this.options.pool, idempotencyKey);
  }

  async ping(): Promise<void> {
    if ((await this.settings()).outage) throw new ProviderUnavailableError('simulated outage');
  }

  /** Operations the simulator has carried out (tests assert "charged once" with this). */
  async operations(
    kind: 'charge' | 'refund',
  ): Promise<Array<{ idempotencyKey: string; amountCents: number }>> {
    return listOperations(this.options.pool, kind);
  }

  /**
   * The ledger's entries whose caller's Idempotency-Key (the key without the simulator's
   * `charge:`/`refund:`) starts with `idempotencyKeyPrefix`, oldest first: what the provider
   * carried out, as its statement shows it (`booking:<id>` finds a booking's charge and refund).
   */
  async ledger(idempotencyKeyPrefix: string, limit = 100): Promise<SimulatorLedgerEntry[]> {
    return ledgerEntries(this.options.pool, idempotencyKeyPrefix, limit);
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
    return {
      providerRef: await recordOperation(this.options.pool, {
        providerKey: idempotencyKey,
        kind,
        providerRef,
        amountCents,
      }),
    };
  }
}
