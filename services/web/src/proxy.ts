import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { createProxyMiddleware, fixRequestBody } from 'http-proxy-middleware';
import { HttpProblem, sendProblem, type Logger } from '@tourkit/kit';

const timedOut = new WeakSet<IncomingMessage>();

/**
 * Forwards the browser's /v1 requests to the gateway unchanged (path, query, Authorization,
 * Idempotency-Key, traceparent), so the app has one origin and no CORS, and the gateway stays the
 * only place that routes, authenticates and rate-limits. The gateway unreachable → 502, silent →
 * 504, both problem+json the app shows in words.
 */
export function gatewayProxy(options: {
  target: string;
  timeoutMs: number;
  logger: Logger;
}): RequestHandler {
  const middleware = createProxyMiddleware<Request, ServerResponse>({
    target: options.target,
    changeOrigin: true,
    xfwd: true,
    proxyTimeout: options.timeoutMs,
    ejectPlugins: true,
    plugins: [
      (server) => {
        server.on('proxyReq', onProxyReq);
        server.on('error', onError);
      },
    ],
  });
  function onProxyReq(proxyReq: ClientRequest, req: Request): void {
    // Never let a browser smuggle the service-to-service secret through us.
    proxyReq.removeHeader('x-internal-token');
    proxyReq.setHeader('x-request-id', String((req as Request & { id?: unknown }).id));
    proxyReq.once('timeout', () => timedOut.add(req));
    // The kit's app has parsed JSON bodies already: write them again for the gateway.
    fixRequestBody(proxyReq, req);
  }
  function onError(error: Error, req?: Request, res?: ServerResponse | Socket): void {
    if (!req || !res) return;
    const late = timedOut.has(req);
    options.logger.warn({ err: error, timedOut: late }, 'gateway failed');
    if (!('writeHead' in res) || res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(
      res as unknown as Parameters<typeof sendProblem>[0],
      late
        ? new HttpProblem(504, 'upstream-timeout', 'Upstream timeout', {
            detail: 'The platform did not answer in time.',
          })
        : new HttpProblem(502, 'upstream-unavailable', 'Upstream unavailable', {
            detail: 'The platform is unavailable.',
          }),
    );
  }
  return (req, res, next) => {
    middleware(req, res, next).catch(next);
  };
}
