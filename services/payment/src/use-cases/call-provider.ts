import { withDeadline } from '@tourkit/kit';
import {
  PaymentDeclinedError,
  ProviderUnavailableError,
  type ProviderResult,
} from '../clients/provider.js';
import type { AttemptResult } from '../domain/operations.js';
import type { PaymentContext } from './context.js';

/**
 * A shared step of charging, refunding and reconciling: one provider call, outside any database
 * transaction, bounded by PROVIDER_TIMEOUT_MS and timed on payment_provider_duration_seconds. It
 * never throws: an error the provider did not name (a timeout, a lost answer, a bug) is an unknown
 * outcome, not a failure — the provider may have carried the call out.
 */
export async function callProvider(
  ctx: Pick<PaymentContext, 'provider' | 'timings' | 'providerLatency'>,
  operation: 'charge' | 'refund',
  call: () => Promise<ProviderResult>,
): Promise<AttemptResult> {
  const stop = ctx.providerLatency.startTimer({ provider: ctx.provider.name, operation });
  const result = await withDeadline(
    call(),
    ctx.timings.providerTimeoutMs,
    `no answer from the provider within ${ctx.timings.providerTimeoutMs} ms`,
  ).then(
    ({ providerRef }): AttemptResult => ({ kind: 'carried-out', providerRef }),
    (error: unknown): AttemptResult => {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PaymentDeclinedError) return { kind: 'declined', message };
      if (error instanceof ProviderUnavailableError) return { kind: 'not-carried-out', message };
      return { kind: 'unknown', message };
    },
  );
  stop({ outcome: OUTCOME_LABEL[result.kind] });
  return result;
}

const OUTCOME_LABEL: Record<AttemptResult['kind'], string> = {
  'carried-out': 'ok',
  declined: 'declined',
  'not-carried-out': 'error',
  unknown: 'unknown',
};
