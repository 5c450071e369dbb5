import { withDeadline } from '@tourkit/kit';
import type { ProviderOperation } from '../clients/provider.js';
import {
  chargeSettlement,
  reconcileAction,
  reconcileBefore,
  reconciledRefundSettlement,
  type AttemptResult,
  type Settlement,
} from '../domain/operations.js';
import {
  claimPaymentAttempt,
  claimRefundAttempt,
  pendingPaymentsBefore,
  pendingRefundsBefore,
  settlePayment,
  settleRefund,
  type Payment,
  type Refund,
} from '../store/payments.js';
import { callProvider } from '../use-cases/call-provider.js';
import { providerChargeKey, providerRefundKey } from '../domain/provider-keys.js';
import type { PaymentContext } from '../use-cases/context.js';

export interface ReconcilerOptions {
  /** A PENDING row claimed longer ago than this has an unknown outcome (RECONCILE_AFTER_MS). */
  afterMs: number;
  /** How often a round runs once started (RECONCILE_INTERVAL_MS). */
  intervalMs: number;
  /** Rows per round and operation; the oldest first, so none is starved. */
  batchSize?: number;
  /** Rows reconciled at the same time: each may wait for a provider call. */
  parallelism?: number;
}

export interface RoundReport {
  charges: Record<string, number>;
  refunds: Record<string, number>;
}

/** What a row became in one reconciliation (the metric's `outcome` label). */
type Outcome =
  'SUCCEEDED' | 'DECLINED' | 'FAILED' | 'PENDING' | 'LOOKUP_FAILED' | 'ERROR' | 'SKIPPED';

/**
 * The bounded exit of PENDING (README, "States"): every charge or refund left PENDING longer than
 * RECONCILE_AFTER_MS — its answer lost, its process gone, its outcome not recorded — is settled by
 * asking the provider by its idempotency key. Found: SUCCEEDED with the provider's reference. Not
 * found: the provider never carried it out, so it is attempted again with the same key (the
 * provider's idempotency makes a concurrent late arrival of the first call harmless) and recorded
 * like any attempt; still no answer: it stays PENDING with a fresh attempted_at, for a later round.
 * A re-tried refund the provider did not carry out stays PENDING too (reconciledRefundSettlement):
 * its caller was told 202 and will not ask again.
 * Rows are claimed by a guarded UPDATE (attempts), so replicas reconciling together do not both act.
 */
export function createReconciler(ctx: PaymentContext, options: ReconcilerOptions) {
  const batchSize = options.batchSize ?? 100;
  const parallelism = options.parallelism ?? 5;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RoundReport> | undefined;

  const count = (report: Record<string, number>, operation: string, outcome: Outcome) => {
    report[outcome] = (report[outcome] ?? 0) + 1;
    if (outcome !== 'SKIPPED') ctx.reconciliationsTotal.inc({ operation, outcome });
  };

  async function lookup(key: string): Promise<ProviderOperation | null | 'failed'> {
    try {
      return await withDeadline(
        ctx.provider.lookup(key),
        ctx.timings.providerTimeoutMs,
        `no answer to the lookup within ${ctx.timings.providerTimeoutMs} ms`,
      );
    } catch (error) {
      ctx.logger.warn({ err: error, key }, 'provider lookup failed: reconciled in a later round');
      return 'failed';
    }
  }

  async function reconcileCharge(payment: Payment): Promise<Outcome> {
    const found = await lookup(providerChargeKey(payment.idempotencyKey));
    if (found === 'failed') return 'LOOKUP_FAILED';
    const action = reconcileAction(found);
    const now = ctx.now();
    if (action.kind === 'settle') {
      const settled = await settlePayment(
        ctx.pool,
        payment.id,
        payment.attempts,
        { status: 'SUCCEEDED', providerRef: action.providerRef },
        now,
      );
      return settled ? 'SUCCEEDED' : 'SKIPPED';
    }
    const claimed = await claimPaymentAttempt(ctx.pool, payment.id, payment, now);
    if (!claimed) return 'SKIPPED';
    const result = await callProvider(ctx, 'charge', () =>
      ctx.provider.charge({
        idempotencyKey: providerChargeKey(payment.idempotencyKey),
        amountCents: payment.amountCents,
        currency: payment.currency,
      }),
    );
    return settle(result, chargeSettlement, (settlement) =>
      settlePayment(ctx.pool, claimed.id, claimed.attempts, settlement, ctx.now()),
    );
  }

  async function reconcileRefund(refund: Refund & { chargeRef: string }): Promise<Outcome> {
    const found = await lookup(providerRefundKey(refund.idempotencyKey));
    if (found === 'failed') return 'LOOKUP_FAILED';
    const action = reconcileAction(found);
    const now = ctx.now();
    if (action.kind === 'settle') {
      const settled = await settleRefund(
        ctx.pool,
        refund.id,
        refund.attempts,
        { status: 'SUCCEEDED', providerRef: action.providerRef },
        now,
      );
      return settled ? 'SUCCEEDED' : 'SKIPPED';
    }
    const claimed = await claimRefundAttempt(ctx.pool, refund.id, refund, now);
    if (!claimed) return 'SKIPPED';
    const result = await callProvider(ctx, 'refund', () =>
      ctx.provider.refund({
        idempotencyKey: providerRefundKey(refund.idempotencyKey),
        chargeRef: refund.chargeRef,
        amountCents: refund.amountCents,
      }),
    );
    return settle(result, reconciledRefundSettlement, (settlement) =>
      settleRefund(ctx.pool, claimed.id, claimed.attempts, settlement, ctx.now()),
    );
  }

  async function settle(
    result: AttemptResult,
    settlementOf: (result: AttemptResult) => Settlement | null,
    write: (settlement: Settlement) => Promise<unknown>,
  ): Promise<Outcome> {
    const settlement = settlementOf(result);
    if (!settlement) return 'PENDING';
    return (await write(settlement)) ? settlement.status : 'SKIPPED';
  }

  async function each<T>(
    rows: T[],
    reconcile: (row: T) => Promise<Outcome>,
    report: Record<string, number>,
    operation: 'charge' | 'refund',
  ) {
    for (let i = 0; i < rows.length; i += parallelism) {
      await Promise.all(
        rows.slice(i, i + parallelism).map(async (row) => {
          try {
            count(report, operation, await reconcile(row));
          } catch (error) {
            // The database failed under us: the row is still PENDING, a later round retries it.
            ctx.logger.error({ err: error, operation }, 'reconciliation failed');
            count(report, operation, 'ERROR');
          }
        }),
      );
    }
  }

  /** One round: the PENDING rows older than the bound, charges then refunds. */
  async function reconcileOnce(): Promise<RoundReport> {
    const before = reconcileBefore(ctx.now(), options.afterMs);
    const report: RoundReport = { charges: {}, refunds: {} };
    await each(
      await pendingPaymentsBefore(ctx.pool, before, batchSize),
      reconcileCharge,
      report.charges,
      'charge',
    );
    await each(
      await pendingRefundsBefore(ctx.pool, before, batchSize),
      reconcileRefund,
      report.refunds,
      'refund',
    );
    const touched = [report.charges, report.refunds].some((r) => Object.keys(r).length > 0);
    if (touched) ctx.logger.info(report, 'reconciled pending payments');
    return report;
  }

  /** A round unless one is running (then that one's report). */
  function round(): Promise<RoundReport> {
    running ??= reconcileOnce().finally(() => (running = undefined));
    return running;
  }

  return {
    reconcileOnce: round,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        round().catch((error: unknown) =>
          ctx.logger.error({ err: error }, 'reconciler round failed'),
        );
      }, options.intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a running round (a closer at shutdown). */
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
