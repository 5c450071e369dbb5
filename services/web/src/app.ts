import type { Express, RequestHandler } from 'express';
import {
  bodyLimitBytes,
  createApp,
  createServiceBase,
  createServiceClient,
  jsonBodies,
  proxyTo,
  registerUpstreamHealth,
  type Closer,
  type Logger,
  type ServiceBase,
} from '@tourkit/kit';
import type { WebConfig } from './config.js';
import { bundlePresent, staticApp } from './http/static.js';
import { paymentStatus, supportRelay } from './http/web-api.js';

export interface WebApp extends ServiceBase {
  app: Express;
  closers: Closer[];
}

/** What the browser app learns about this deployment at start-up (GET /web-api/config). */
export interface WebClientConfig {
  /** POST /web-api/support works (else the app offers an e-mail to supportEmail). */
  supportRelay: boolean;
  supportEmail: string;
}

/**
 * Builds the web server (no listening): probes and metrics from the kit, /v1 forwarded to the
 * gateway, the small /web-api the app needs beyond the public API, and the built app itself.
 */
export function createWebApp(config: WebConfig, options: { logger?: Logger } = {}): WebApp {
  const base = createServiceBase(config, options);
  const { logger, health } = base;
  // Without its bundle the pod has nothing to serve: critical. The gateway is not: the pages
  // still load and say in words that the platform cannot be reached.
  health.register(
    'bundle',
    () => {
      if (!bundlePresent(config.STATIC_DIR))
        throw new Error(`no index.html in ${config.STATIC_DIR}`);
    },
    { critical: true },
  );
  registerUpstreamHealth(
    health,
    [createServiceClient({ name: 'gateway', baseUrl: config.GATEWAY_URL, retries: 0 })],
    { critical: false, path: '/readyz' },
  );
  const relayConfigured =
    config.NOTIFICATION_URL !== undefined && config.INTERNAL_TOKEN !== undefined;
  const clientConfig: WebClientConfig = {
    supportRelay: relayConfigured,
    supportEmail: config.SUPPORT_EMAIL,
  };
  // The browser's /v1 requests go to the gateway unchanged: one origin, no CORS, and the gateway
  // stays the only place that routes, authenticates and rate-limits.
  const proxy = proxyTo({
    upstream: 'platform',
    target: config.GATEWAY_URL,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    logger,
    bodyLimitBytes: bodyLimitBytes(config.BODY_LIMIT),
  });

  const app = createApp({
    ...base,
    // /v1 bodies stream to the gateway untouched; only the support relay below reads JSON.
    bodies: 'stream',
    routes: (app: Express) => {
      app.get('/web-api/config', (_req, res) => {
        res.set('cache-control', 'no-store').json(clientConfig);
      });
      app.get(
        '/web-api/status',
        paymentStatus({ bookingUrl: config.BOOKING_URL, timeoutMs: 2000 }),
      );
      if (relayConfigured) {
        app.post(
          '/web-api/support',
          jsonBodies(config.BODY_LIMIT),
          supportRelay({
            gatewayUrl: config.GATEWAY_URL,
            notificationUrl: config.NOTIFICATION_URL!,
            internalToken: config.INTERNAL_TOKEN!,
            timeoutMs: config.UPSTREAM_TIMEOUT_MS,
            logger,
          }),
        );
      }
      app.get('/v1/bookings/:id/pay', payLinkToPage);
      app.use(underV1(proxy));
      app.use(staticApp(config.STATIC_DIR));
    },
  });
  return { ...base, app, closers: [] };
}

/**
 * Booking e-mails the pay-later link as `<PUBLIC_URL>/v1/bookings/<id>/pay`, an API path that only
 * takes an authenticated POST. With PUBLIC_URL pointing at this server, a person who clicks it
 * (a GET asking for HTML) is sent to the app's page for that booking, which signs them in and pays
 * it with that POST. API clients (no HTML in Accept) are forwarded to the gateway as before.
 */
const payLinkToPage: RequestHandler = (req, res, next) => {
  const id = String(req.params.id);
  if (!/^[0-9a-f-]{36}$/i.test(id) || req.accepts(['json', 'html']) !== 'html') {
    next();
    return;
  }
  res.redirect(303, `/bookings/${encodeURIComponent(id)}/pay`);
};

/** Runs `handler` for /v1 paths only, keeping req.path whole (the gateway routes on it). */
function underV1(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.path === '/v1' || req.path.startsWith('/v1/')) handler(req, res, next);
    else next();
  };
}
