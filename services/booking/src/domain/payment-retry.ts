import type { JobsOptions } from 'bullmq';

export interface PaymentRetryPolicy {
  /** First try + retries; the default 6 = 1 + 5 retries. */
  attempts: number;
  /** Delay before the first retry; doubled for each next one (1, 2, 4, 8, 16 s with 1000). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: PaymentRetryPolicy = { attempts: 6, baseDelayMs: 1_000 };

/**
 * The queue job that pays a booking. jobId = booking id, so the payment is enqueued once however
 * often it is requested; BullMQ's exponential backoff waits 2^(n-1) × base before retry n.
 */
export function paymentJobOptions(bookingId: string, policy: PaymentRetryPolicy): JobsOptions {
  return {
    jobId: bookingId,
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.baseDelayMs },
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  };
}

/** The waits before each retry, in order: what the policy promises (1000 → [1000, 2000, 4000, 8000, 16000]). */
export function retryDelaysMs(policy: PaymentRetryPolicy): number[] {
  return Array.from({ length: policy.attempts - 1 }, (_, i) => policy.baseDelayMs * 2 ** i);
}

/** Whether the attempt now running (attemptsMade failed before it) is the last one. */
export function isFinalAttempt(attemptsMade: number, policy: PaymentRetryPolicy): boolean {
  return attemptsMade + 1 >= policy.attempts;
}
