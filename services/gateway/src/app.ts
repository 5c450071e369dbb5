import { fileURLToPath } from 'node:url';
import type { Express, RequestHandler } from 'express';
import {
  bodyLimitBytes,
  closeAll,
  createApp,
  createCache,
  createServiceBase,
  createServiceClient,
  notFound,
  proxyTo,
  registerUpstreamHealth,
  tokenVerifierFromConfig,
  type Cache,
  type Closer,
  type Logger,
  type ServiceBase,
} from '@tourkit/kit';
import { identifyCaller, requireTokenOnProtectedRoutes } from './http/auth.js';
import type { GatewayConfig } from './config.js';
import { docsRoutes } from './http/docs.js';
import { openapiRoutes } from './http/openapi.js';
import { rateLimiter } from './http/rate-limit.js';
import { ROUTES, UPSTREAMS, isUnsafePath, type Upstream } from './domain/routing.js';

/** The gateway's own OpenAPI document, served at /openapi.yaml and /v1/openapi/gateway.yaml. */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
/** The public API (every /v1 operation), generated with the services' documents, at /v1/openapi.json. */
const PUBLIC_OPENAPI_PATH = fileURLToPath(new URL('../public-openapi.json', import.meta.url));

export interface GatewayApp extends ServiceBase {
  app: Express;
  cache: Cache;
  closers: Closer[];
  close(): Promise<void>;
}

export function upstreamUrls(config: GatewayConfig): Record<Upstream, string> {
  return {
    catalog: config.CATALOG_URL,
    user: config.USER_URL,
    booking: config.BOOKING_URL,
    review: config.REVIEW_URL,
  };
}

/**
 * Builds the gateway (no listening): unsafe paths refused, caller identified, rate limit, token
 * required on protected routes, OpenAPI documents, then one streaming proxy per upstream.
 * Only the /v1 routes of ROUTES are forwarded: /internal/* and anything else is a 404 here.
 */
export async function createGatewayApp(
  config: GatewayConfig,
  options: { logger?: Logger } = {},
): Promise<GatewayApp> {
  const base = createServiceBase(config, options);
  const { logger, metrics, health } = base;
  // Non-critical: without Redis the limiter fails open and the gateway keeps routing.
  const cache = createCache(config.REDIS_URL, { prefix: config.RATE_LIMIT_PREFIX, logger, health });
  const targets = upstreamUrls(config);
  // No upstream is critical, user included: tokens are verified here with the public key, so
  // browsing and booking go on while user is down; readiness failing would take every route down.
  // Their /readyz, not /livez: an upstream that cannot serve counts as down from here.
  const probes = UPSTREAMS.map((upstream) =>
    createServiceClient({ name: upstream, baseUrl: targets[upstream], retries: 0 }),
  );
  registerUpstreamHealth(health, probes, { critical: false, path: '/readyz' });
  const verifier = tokenVerifierFromConfig(config);
  const openapi = openapiRoutes({
    ownSpecPath: OPENAPI_PATH,
    publicSpecPath: PUBLIC_OPENAPI_PATH,
    upstreams: targets,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    logger,
  });
  // So the rate limiter's scripts load at once; it copes with Redis staying down.
  await cache.ready(2000);
  const limiter = rateLimiter({
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    cache,
    prefix: config.RATE_LIMIT_PREFIX,
    logger,
    metrics,
  });

  const maxBodyBytes = bodyLimitBytes(config.BODY_LIMIT);
  const app = createApp({
    ...base,
    // Bodies stream to the services as the client sent them, never parsed and written again here:
    // each service validates (and limits) the very bytes; the gateway only counts them.
    bodies: 'stream',
    openapiPath: OPENAPI_PATH,
    routes: (app: Express) => {
      // req.ip: the peer, or the client a trusted proxy names in X-Forwarded-For.
      app.set('trust proxy', config.TRUSTED_PROXIES);
      app.use((req, _res, next) => {
        next(
          isUnsafePath(req.path) ? notFound(`No route for ${req.method} ${req.path}.`) : undefined,
        );
      });
      app.use(underV1(identifyCaller(verifier)));
      app.use(underV1(limiter));
      app.use(openapi);
      app.use(docsRoutes());
      // Per route, so a path no service owns is a 404 rather than a 401.
      const requireToken = requireTokenOnProtectedRoutes();
      for (const { upstream, patterns } of ROUTES) {
        const proxy = proxyTo({
          upstream: `${upstream} service`,
          target: targets[upstream],
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
          logger,
          bodyLimitBytes: maxBodyBytes,
        });
        for (const pattern of patterns) app.all(pattern, requireToken, proxy);
      }
    },
  });
  const closers: Closer[] = [cache];
  return { ...base, app, cache, closers, close: () => closeAll(closers) };
}

/** Runs `handler` for /v1 paths only (not mounted with app.use('/v1'), so req.path stays whole). */
function underV1(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.path === '/v1' || req.path.startsWith('/v1/')) handler(req, res, next);
    else next();
  };
}
