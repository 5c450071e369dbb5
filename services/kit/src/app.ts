import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, {
  type ErrorRequestHandler,
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { errorToProblem } from './problem-mapping.js';
import { PROBLEM_CONTENT_TYPE, notFound, type HttpProblem } from './errors.js';
import type { HealthRegistry } from './health.js';
import type { ServiceMetrics } from './metrics.js';
import { currentRequestContext, runWithRequestContext } from './request-context.js';
import { rejectUnstorableText } from './storable-text.js';

export interface CreateAppOptions {
  name: string;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  /** JSON body size limit (bytes or an `bytes` string such as `100kb`); larger bodies get a 413 problem. */
  bodyLimit?: string | number;
  /**
   * `json` (default): JSON bodies are parsed (up to `bodyLimit`) into `req.body`. `stream`: bodies are
   * left unread, for an edge that forwards them as they are (`proxyTo`, which counts their bytes);
   * a route of its own that needs JSON mounts `jsonBodies(limit)`.
   */
  bodies?: 'json' | 'stream';
  /**
   * The service's own OpenAPI document (a YAML file), served at `GET /openapi.yaml` for the gateway to aggregate.
   * Read once here, so a missing file stops start-up instead of surfacing as a 404 later.
   */
  openapiPath?: string;
  /** The service's routes: an Express Router, or a function that mounts them on the app. */
  routes?: Router | ((app: Express) => void);
}

const PROBE_PATHS = new Set(['/livez', '/readyz', '/health', '/metrics']);
const REQUEST_ID_PATTERN = /^[\w.:@/+=-]{1,128}$/;

/** Builds the service's Express app (no listening): ids, logs, metrics, body limit, probes, routes, problem+json errors. */
export function createApp(options: CreateAppOptions): Express {
  const { logger, metrics, health } = options;
  const app = express();
  app.disable('x-powered-by');

  app.use(requestContext);
  app.use(accessLog(logger));
  // While draining, tell keep-alive clients to reconnect (to another pod) after this response.
  app.use((_req, res, next) => {
    if (health.isShuttingDown) res.setHeader('connection', 'close');
    next();
  });
  app.use(metrics.middleware());

  app.get('/livez', (_req, res) => {
    res.json({ status: 'UP' });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, report } = await health.readiness();
    res.status(ready ? 200 : 503).json({
      status: ready ? 'READY' : 'NOT_READY',
      shuttingDown: health.isShuttingDown,
      checks: report.checks,
    });
  });
  app.get('/health', async (_req, res) => {
    const report = await health.report();
    res.status(report.status === 'DOWN' ? 503 : 200).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });

  if (options.openapiPath !== undefined) {
    const document = readFileSync(options.openapiPath, 'utf8');
    app.get('/openapi.yaml', (_req, res) => {
      res.type('application/yaml').set('cache-control', 'public, max-age=300').send(document);
    });
  }

  if (options.bodies !== 'stream') {
    app.use(jsonBodies(options.bodyLimit));
    app.use(rejectUnstorableText);
  }

  if (options.routes) {
    if (isRouter(options.routes)) app.use(options.routes);
    else options.routes(app);
  }

  app.use((req, _res, next) => {
    next(notFound(`No route for ${req.method} ${req.path}.`));
  });
  app.use(problemHandler(logger));
  return app;
}

/** Parses JSON request bodies into `req.body` (larger than `limit` → 413, not JSON → 400 problem). */
export function jsonBodies(limit: string | number = '100kb'): RequestHandler {
  return express.json({ limit });
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A body limit as bytes: a number, or a string such as `100kb` (units b, kb, mb, gb of 1024, as express.json reads them). */
export function bodyLimitBytes(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!match) throw new Error(`not a size: "${limit}" (e.g. 100kb)`);
  return Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

/** Sends a problem+json response (with `Retry-After` when the problem says when to try again). */
export function sendProblem(res: Response, problem: HttpProblem): void {
  if (problem.retryAfterSeconds !== undefined)
    res.setHeader('retry-after', String(problem.retryAfterSeconds));
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toJSON()));
}

/** The error handler: known errors become their problem; anything else a generic 500 (logged, never leaked). */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = errorToProblem(error);
    if (problem.status >= 500) {
      // The access log writes it on the request's completion line: one line with the real error and ids.
      if ((res as Failed)[failure] !== undefined)
        (res as Failed)[failure] = error instanceof Error ? error : new Error(String(error));
      else logger.error({ err: error }, 'request failed');
    }
    sendProblem(res, problem);
  };
}

const failure = Symbol('tourkit.accessLog.failure');
/** A response the access log follows: the error a 5xx answered, null until there is one. */
type Failed = Response & { [failure]?: Error | null };

/**
 * One line per request when its response is done (probes left out): `req` {method, url}, `res`
 * {statusCode}, `responseTime` (ms), "request completed" at info; with `err` and "request errored" at
 * error for a 5xx (the error the problem handler caught, else one naming the status). The ids come
 * from the logger's mixin, or are bound here when the line is written outside the request context.
 * pino-http wrote the same line, but built a child logger and ran its serializers on every request:
 * ~15 % of a cached search's CPU (README, "Benchmarks").
 */
function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const url = req.url;
    const query = url.indexOf('?');
    if (PROBE_PATHS.has(query === -1 ? url : url.slice(0, query))) {
      next();
      return;
    }
    const started = Date.now();
    (res as Failed)[failure] = null;
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const fields = {
        ...(currentRequestContext() ? {} : { requestId: req.id, traceId: req.traceId }),
        req: { method: req.method, url: req.originalUrl },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      const error =
        (res as Failed)[failure] ??
        (res.statusCode >= 500 ? new Error(`failed with status code ${res.statusCode}`) : null);
      if (error) logger.error({ ...fields, err: error }, 'request errored');
      else logger.info(fields, res.writableEnded ? 'request completed' : 'request aborted');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}

function requestContext(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get('x-request-id');
  const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  const traceId = activeTraceId() ?? traceIdFromHeader(req.get('traceparent'));
  req.id = requestId;
  req.traceId = traceId;
  res.setHeader('x-request-id', requestId);
  runWithRequestContext({ requestId, ...(traceId ? { traceId } : {}) }, next);
}

function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && context.traceId !== '00000000000000000000000000000000'
    ? context.traceId
    : undefined;
}

/** W3C traceparent: version-traceid-parentid-flags. */
export function traceIdFromHeader(traceparent: string | undefined): string | undefined {
  const match = traceparent?.match(/^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/);
  return match?.[1];
}

function isRouter(routes: CreateAppOptions['routes']): routes is Router {
  return typeof routes === 'function' && 'stack' in routes;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request id: the caller's valid x-request-id, else a fresh UUID (set first, by requestContext). */
      id?: string;
      /** Trace id of the request (active OpenTelemetry span, else the incoming traceparent). */
      traceId?: string | undefined;
    }
  }
}
