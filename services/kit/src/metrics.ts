import type { NextFunction, Request, Response } from 'express';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

export const UNMATCHED_ROUTE = 'unmatched';

/** One prom-client registry per service: RED metrics, default process metrics and the service's domain metrics. */
export class ServiceMetrics {
  readonly registry: Registry;
  readonly service: string;
  readonly httpRequestsTotal: Counter<'service' | 'route' | 'method' | 'status'>;
  readonly httpRequestDuration: Histogram<'service' | 'route' | 'method' | 'status'>;

  constructor(service: string, options: { defaultMetrics?: boolean } = {}) {
    this.service = service;
    this.registry = new Registry();
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.httpRequestsTotal = this.counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by route pattern, method and status',
      labelNames: ['service', 'route', 'method', 'status'],
    });
    this.httpRequestDuration = this.histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route pattern, method and status',
      labelNames: ['service', 'route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  /** Returns the existing metric when one of that name is already registered (modules may ask twice). */
  counter<Labels extends string = string>(
    config: Omit<CounterConfiguration<Labels>, 'registers'>,
  ): Counter<Labels> {
    return (
      this.existing<Counter<Labels>>(config.name) ??
      new Counter({ ...config, registers: [this.registry] })
    );
  }

  gauge<Labels extends string = string>(
    config: Omit<GaugeConfiguration<Labels>, 'registers'>,
  ): Gauge<Labels> {
    return (
      this.existing<Gauge<Labels>>(config.name) ??
      new Gauge({ ...config, registers: [this.registry] })
    );
  }

  histogram<Labels extends string = string>(
    config: Omit<HistogramConfiguration<Labels>, 'registers'>,
  ): Histogram<Labels> {
    return (
      this.existing<Histogram<Labels>>(config.name) ??
      new Histogram({ ...config, registers: [this.registry] })
    );
  }

  /** Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Express middleware recording RED metrics once the response is finished. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stopTimer = process.hrtime.bigint();
      captureRoutePattern(req);
      res.once('finish', () => {
        const labels = {
          service: this.service,
          route: routePattern(req),
          method: req.method,
          status: String(res.statusCode),
        };
        this.httpRequestsTotal.inc(labels);
        this.httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - stopTimer) / 1e9);
      });
      next();
    };
  }

  private existing<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }
}

export function createMetrics(
  service: string,
  options: { defaultMetrics?: boolean } = {},
): ServiceMetrics {
  return new ServiceMetrics(service, options);
}

const matchedPattern = Symbol('tourkit.routePattern');
type PatternCarrier = Request & { [matchedPattern]?: string };

/**
 * Records `baseUrl + route.path` at the moment the router assigns `req.route`: when a handler fails, the router
 * restores `req.baseUrl` before the response finishes, so reading both at 'finish' would lose the mount path.
 */
function captureRoutePattern(req: Request): void {
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string')
        (req as PatternCarrier)[matchedPattern] = `${req.baseUrl}${path}` || '/';
    },
  });
}

/** The Express route pattern (`/v1/tours/:id`), never the raw URL, so label cardinality stays bounded. */
export function routePattern(req: Request): string {
  const captured = (req as PatternCarrier)[matchedPattern];
  if (captured) return captured;
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (!route || typeof route.path !== 'string') return UNMATCHED_ROUTE;
  return `${req.baseUrl}${route.path}` || '/';
}
