// What services use of the kit, and nothing else (README, "What it exports"). Each name here is
// imported by at least one service or workspace; a name no one imports leaves this list.
export {
  ConfigError,
  databaseConfigShape,
  defineConfig,
  demoDataShape,
  env,
  internalTokenShape,
  loadConfig,
  tokenVerifierConfigShape,
} from './config.js';
export { createLogger, type Logger } from './logger.js';
export { ServiceMetrics } from './metrics.js';
export { HealthRegistry } from './health.js';
export {
  HttpProblem,
  PROBLEM_CONTENT_TYPE,
  badGateway,
  conflict,
  forbidden,
  gone,
  notFound,
  serviceUnavailable,
  unauthorized,
  unprocessable,
  validationFailed,
} from './errors.js';
export { fieldErrors, parseBody, parseParams, parseQuery } from './validation.js';
export { requireIdempotencyKey } from './idempotency-key.js';
export { bodyLimitBytes, createApp, jsonBodies, sendProblem } from './app.js';
export { proxyTo, type ProxyOptions } from './proxy.js';
export { closeAll, type Closer, type ServerHandle, type StartServiceOptions } from './server.js';
export { createServiceBase, createServicePool, serveService, type ServiceBase } from './service.js';
export {
  createPool,
  ensureDatabase,
  runMigrations,
  withTransaction,
  type Pool,
  type PoolClient,
} from './db.js';
export { createCache, type Cache } from './cache.js';
export { createServiceClient, type ServiceClient } from './http-client.js';
export { UpstreamError, upstreamProblem } from './upstream-error.js';
export { registerUpstreamHealth } from './upstream-health.js';
export {
  createCircuitBreaker,
  isCircuitOpenError,
  type CircuitBreaker,
} from './circuit-breaker.js';
export {
  PermanentDeliveryError,
  asDeliveryError,
  isPermanentUpstreamError,
} from './delivery-errors.js';
export { createOutboxRelay, type OutboxRelay } from './outbox.js';
export { currentTraceCarrier, type TraceCarrier } from './trace-context.js';
export {
  createRetentionSweep,
  retentionConfigShape,
  type RetentionRule,
  type RetentionSweep,
} from './retention.js';
export {
  createTokenSigner,
  currentUser,
  requireAuth,
  requireInternalToken,
  requireRole,
  tokenVerifierFromConfig,
  type TokenVerifier,
} from './auth.js';
export { publicJwkSet } from './jwks.js';
export { countryCode } from './countries.js';
export { withDeadline } from './deadline.js';
export { escapeHtml } from './html.js';
