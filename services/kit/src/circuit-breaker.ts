import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import type { ServiceMetrics } from './metrics.js';

export interface CircuitBreakerOptions {
  name: string;
  /** A call slower than this counts as a failure (ms); default 5000. */
  timeoutMs?: number;
  /** Failure percentage over the rolling window that opens the circuit; default 50. */
  errorThresholdPercentage?: number;
  /** How long the circuit stays open before a trial call (ms); default 30000. */
  resetTimeoutMs?: number;
  /** Minimum calls in the window before the percentage is considered; default 5. */
  volumeThreshold?: number;
  metrics?: ServiceMetrics;
  logger?: Logger;
  /** Errors for which this returns false do not count as failures (e.g. a 4xx answer). */
  isFailure?: (error: unknown) => boolean;
}

const STATE_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;

/** Wraps an async function in an opossum circuit breaker; `circuit_state{circuit}` is 0 closed, 1 half-open, 2 open. */
export function createCircuitBreaker<Args extends unknown[], Result>(
  action: (...args: Args) => Promise<Result>,
  options: CircuitBreakerOptions,
): CircuitBreaker<Args, Result> {
  const breaker = new CircuitBreaker(action, {
    name: options.name,
    timeout: options.timeoutMs ?? 5000,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 30000,
    volumeThreshold: options.volumeThreshold ?? 5,
    ...(options.isFailure ? { errorFilter: (error: unknown) => !options.isFailure!(error) } : {}),
  });
  const gauge = options.metrics?.gauge({
    name: 'circuit_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
    labelNames: ['circuit'],
  });
  const record = (state: keyof typeof STATE_VALUE) => {
    gauge?.set({ circuit: options.name }, STATE_VALUE[state]);
    options.logger?.warn({ circuit: options.name, state }, 'circuit breaker state changed');
  };
  gauge?.set({ circuit: options.name }, STATE_VALUE.closed);
  breaker.on('open', () => record('open'));
  breaker.on('halfOpen', () => record('halfOpen'));
  breaker.on('close', () => record('closed'));
  return breaker;
}

export function isCircuitOpenError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}

export type { CircuitBreaker };
