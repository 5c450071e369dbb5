export * from './config.js';
export * from './logger.js';
export * from './metrics.js';
export * from './health.js';
export * from './errors.js';
export * from './validation.js';
export * from './app.js';
export * from './server.js';
export * from './db.js';
export * from './cache.js';
export * from './http-client.js';
export * from './circuit-breaker.js';
export * from './auth.js';
export * from './jwks.js';
export * from './countries.js';
export * from './request-context.js';
export { errorToProblem } from './problem-mapping.js';
import { initTracing as initTracingTooLate } from './tracing.js';
export { exportedSignalsOptions, type Tracing, type TracingOptions } from './tracing.js';

/**
 * @deprecated Importing this index loads express, pg and ioredis before tracing starts, so they get no spans.
 * Use `runMain` from `@tourkit/kit/main` (or `initTracing` from `@tourkit/kit/tracing`); kept until booking moves.
 */
export const initTracing = initTracingTooLate;
