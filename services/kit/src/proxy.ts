import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { sendProblem } from './app.js';
import { HttpProblem, payloadTooLarge } from './errors.js';
import type { Logger } from './logger.js';

export interface ProxyOptions {
  /** Names the upstream in logs, and in the problem's detail ("The <upstream> did not answer in time."). */
  upstream: string;
  target: string;
  timeoutMs: number;
  logger: Logger;
  /**
   * Largest request body forwarded, in bytes (counted as it streams, whatever the framing); a larger
   * one → 413 problem. Default: no limit here (the upstream's own).
   */
  bodyLimitBytes?: number;
}

const timedOut = new WeakSet<IncomingMessage>();
const tooLarge = new WeakSet<IncomingMessage>();

class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A streaming reverse proxy to one upstream, for the edges (the gateway to each service, the web app
 * to the gateway). Requests keep their path; the caller's Authorization and traceparent pass through
 * untouched; x-request-id is this service's id for the request (the caller's when it sent a valid
 * one); x-internal-token never crosses the edge. An upstream that
 * refuses the connection → 502, one that does not answer in time → 504, both problem+json.
 */
export function proxyTo(options: ProxyOptions): RequestHandler {
  const middleware = createProxyMiddleware<Request, ServerResponse>({
    target: options.target,
    changeOrigin: true,
    xfwd: true,
    proxyTimeout: options.timeoutMs,
    // Our own handlers replace the default plugins (console logger, plain-text error page).
    ejectPlugins: true,
    plugins: [
      (server) => {
        server.on('proxyReq', onProxyReq);
        server.on('error', onError);
      },
    ],
  });
  function onProxyReq(proxyReq: ClientRequest, req: Request): void {
    proxyReq.removeHeader('x-internal-token');
    proxyReq.setHeader('x-request-id', String((req as Request & { id?: unknown }).id));
    proxyReq.once('timeout', () => timedOut.add(req));
    const limit = options.bodyLimitBytes;
    if (limit !== undefined) {
      // The body is piped into proxyReq: counting what is written counts every byte forwarded.
      let forwarded = 0;
      const write = proxyReq.write.bind(proxyReq) as (...args: unknown[]) => boolean;
      proxyReq.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
        forwarded += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        if (forwarded > limit) {
          tooLarge.add(req);
          proxyReq.destroy(new BodyTooLargeError(limit));
          return false;
        }
        return write(chunk, ...rest);
      }) as typeof proxyReq.write;
    }
  }
  function onError(error: Error, req?: Request, res?: ServerResponse | Socket): void {
    if (!req || !res) return;
    if (tooLarge.has(req)) {
      if ('writeHead' in res && !res.headersSent) {
        // The rest of the body is not read: close the connection rather than wait for it.
        res.setHeader('connection', 'close');
        sendProblem(res as unknown as Parameters<typeof sendProblem>[0], bodyTooLarge());
      } else res.destroy();
      return;
    }
    const upstreamTimedOut = timedOut.has(req);
    options.logger.warn(
      { err: error, upstream: options.upstream, timedOut: upstreamTimedOut },
      'upstream failed',
    );
    if (!('writeHead' in res)) {
      res.destroy();
      return;
    }
    if (res.headersSent) {
      // The answer was already streaming: all we can do is cut it so the client sees it incomplete.
      res.destroy();
      return;
    }
    sendProblem(
      res as unknown as Parameters<typeof sendProblem>[0],
      upstreamTimedOut
        ? new HttpProblem(504, 'upstream-timeout', 'Upstream timeout', {
            detail: `The ${options.upstream} did not answer in time.`,
          })
        : new HttpProblem(502, 'upstream-unavailable', 'Upstream unavailable', {
            detail: `The ${options.upstream} is unavailable.`,
          }),
    );
  }
  return (req, res, next) => {
    const declared = Number(req.get('content-length'));
    if (options.bodyLimitBytes !== undefined && declared > options.bodyLimitBytes) {
      next(bodyTooLarge());
      return;
    }
    middleware(req, res, next).catch(next);
  };
}

function bodyTooLarge(): HttpProblem {
  return payloadTooLarge('The request body exceeds the size limit.');
}
