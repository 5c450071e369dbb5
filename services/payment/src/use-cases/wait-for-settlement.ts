import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentContext } from './context.js';

/**
 * A shared step of charging and refunding: a request whose key is in flight in another request
 * reads the row again every pollIntervalMs until its attempt settles, the attempt stops being in
 * flight (`untilMs`), or DUPLICATE_WAIT_MS pass — whichever comes first — and returns the row as
 * it then is. No connection is held while it waits.
 */
export async function waitForSettlement<Row extends { status: string }>(
  ctx: Pick<PaymentContext, 'now' | 'timings'>,
  untilMs: number,
  read: () => Promise<Row>,
): Promise<Row> {
  // The budget comes from the injectable clock; the waiting itself from the monotonic one, so a
  // frozen test clock cannot make it wait for ever.
  const budgetMs = Math.min(untilMs - ctx.now().getTime(), ctx.timings.duplicateWaitMs);
  const giveUpAt = performance.now() + budgetMs;
  for (;;) {
    const row = await read();
    if (row.status !== 'PENDING' || performance.now() >= giveUpAt) return row;
    await sleep(ctx.timings.pollIntervalMs);
  }
}
