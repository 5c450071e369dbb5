import { Backoffs } from 'bullmq';
import {
  DEFAULT_RETRY_POLICY,
  isFinalAttempt,
  paymentJobOptions,
  retryDelaysMs,
} from '../../src/domain/payment-retry.js';

describe('retry policy (pure)', () => {
  test('the default policy waits 1, 2, 4, 8 and 16 s between its 6 attempts', () => {
    expect(retryDelaysMs(DEFAULT_RETRY_POLICY)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(retryDelaysMs({ attempts: 6, baseDelayMs: 50 })).toEqual([50, 100, 200, 400, 800]);
  });

  test('BullMQ computes exactly those delays from the job options', () => {
    const options = paymentJobOptions('b-1', DEFAULT_RETRY_POLICY);
    expect(options).toMatchObject({ jobId: 'b-1', attempts: 6 });
    const bullmqDelays = [1, 2, 3, 4, 5].map((attemptsMade) =>
      Backoffs.calculate(
        Backoffs.normalize(options.backoff!)!,
        attemptsMade,
        new Error('x'),
        {} as never,
      ),
    );
    expect(bullmqDelays).toEqual(retryDelaysMs(DEFAULT_RETRY_POLICY));
  });

  test('the sixth attempt is the last', () => {
    expect([0, 1, 2, 3, 4, 5].map((made) => isFinalAttempt(made, DEFAULT_RETRY_POLICY))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});
