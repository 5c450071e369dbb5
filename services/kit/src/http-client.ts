import { context, propagation } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ProblemBody } from './errors.js';
import { currentRequestContext } from './request-context.js';
import { isFetchInstrumented } from './fetch-instrumentation-flag.js';
import { backoffDelay, shouldRetry } from './retry-policy.js';
import { UpstreamError, type HttpMethod } from './upstream-error.js';

export interface ServiceClientOptions {
  /** The called service's name (logs, errors). */
  name: string;
  baseUrl: string;
  /** Per attempt; default 2000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls on network errors, timeouts and 5xx; default 2. */
  retries?: number;
  /** First backoff delay (ms), doubled per attempt with jitter; default 100. */
  backoffMs?: number;
  logger?: Logger;
  /** Sent on every call (e.g. `{ 'x-internal-token': config.INTERNAL_TOKEN }`). */
  headers?: Record<string, string>;
}

export interface RequestOptions<Schema extends z.ZodType | undefined = undefined> {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Validates the response body; the call fails with kind `invalid-response` when it does not match. */
  schema?: Schema;
  timeoutMs?: number;
  /** Extra attempts for this call instead of the client's `retries` (e.g. 0 for a health probe: the next probe is the retry). */
  retries?: number;
  /** Allow retries for a non-idempotent method (e.g. a POST carrying an Idempotency-Key). */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface ServiceResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

type Body<Schema> = Schema extends z.ZodType ? z.output<Schema> : unknown;

export interface ServiceClient {
  readonly name: string;
  request<Schema extends z.ZodType | undefined = undefined>(
    method: HttpMethod,
    path: string,
    options?: RequestOptions<Schema>,
  ): Promise<ServiceResponse<Body<Schema>>>;
  get<Schema extends z.ZodType | undefined = undefined>(
    path: string,
    options?: RequestOptions<Schema>,
  ): Promise<Body<Schema>>;
  post<Schema extends z.ZodType | undefined = undefined>(
    path: string,
    body?: unknown,
    options?: RequestOptions<Schema>,
  ): Promise<Body<Schema>>;
  put<Schema extends z.ZodType | undefined = undefined>(
    path: string,
    body?: unknown,
    options?: RequestOptions<Schema>,
  ): Promise<Body<Schema>>;
  patch<Schema extends z.ZodType | undefined = undefined>(
    path: string,
    body?: unknown,
    options?: RequestOptions<Schema>,
  ): Promise<Body<Schema>>;
  delete<Schema extends z.ZodType | undefined = undefined>(
    path: string,
    options?: RequestOptions<Schema>,
  ): Promise<Body<Schema>>;
}

/** fetch-based client for service-to-service calls: timeouts, trace context, x-request-id, safe retries, typed errors. */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 100;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function attempt(
    method: HttpMethod,
    url: string,
    requestOptions: RequestOptions<z.ZodType | undefined>,
  ) {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      ...requestOptions.headers,
    };
    const requestId = currentRequestContext()?.requestId;
    if (requestId && !headers['x-request-id']) headers['x-request-id'] = requestId;
    if (!isFetchInstrumented()) propagation.inject(context.active(), headers);
    let payload: string | undefined;
    if (requestOptions.body !== undefined) {
      payload = JSON.stringify(requestOptions.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(requestOptions.timeoutMs ?? timeoutMs);
    const signal = requestOptions.signal
      ? AbortSignal.any([timeout, requestOptions.signal])
      : timeout;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload, signal });
    } catch (cause) {
      const kind = timeout.aborted ? 'timeout' : 'network';
      throw new UpstreamError({ service: options.name, method, url, kind, cause });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      const kind = timeout.aborted ? 'timeout' : 'network';
      throw new UpstreamError({
        service: options.name,
        method,
        url,
        kind,
        status: response.status,
        cause,
      });
    }
    const parsed = parseJson(text);
    if (!response.ok) {
      throw new UpstreamError({
        service: options.name,
        method,
        url,
        kind: 'status',
        status: response.status,
        ...(isObject(parsed) ? { problem: parsed as Partial<ProblemBody> } : {}),
      });
    }
    if (requestOptions.schema) {
      const result = requestOptions.schema.safeParse(parsed);
      if (!result.success) {
        throw new UpstreamError({
          service: options.name,
          method,
          url,
          kind: 'invalid-response',
          status: response.status,
          cause: result.error,
        });
      }
      return { status: response.status, headers: response.headers, body: result.data };
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  async function request(
    method: HttpMethod,
    path: string,
    requestOptions: RequestOptions<z.ZodType | undefined> = {},
  ) {
    const url = buildUrl(baseUrl, path, requestOptions.query);
    const maxRetries = requestOptions.retries ?? retries;
    for (let attemptNumber = 0; ; attemptNumber++) {
      try {
        return await attempt(method, url, requestOptions);
      } catch (error) {
        if (
          !(error instanceof UpstreamError) ||
          attemptNumber >= maxRetries ||
          !shouldRetry(method, error, requestOptions.idempotent) ||
          requestOptions.signal?.aborted
        ) {
          throw error;
        }
        const delay = backoffDelay(attemptNumber, backoffMs);
        options.logger?.warn(
          {
            upstream: options.name,
            method,
            url,
            kind: error.kind,
            status: error.status,
            attempt: attemptNumber + 1,
            delayMs: delay,
          },
          'retrying upstream call',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  const client = {
    name: options.name,
    request,
    get: async (path: string, o?: RequestOptions<z.ZodType | undefined>) =>
      (await request('GET', path, o)).body,
    delete: async (path: string, o?: RequestOptions<z.ZodType | undefined>) =>
      (await request('DELETE', path, o)).body,
    post: async (path: string, body?: unknown, o?: RequestOptions<z.ZodType | undefined>) =>
      (await request('POST', path, { ...o, body })).body,
    put: async (path: string, body?: unknown, o?: RequestOptions<z.ZodType | undefined>) =>
      (await request('PUT', path, { ...o, body })).body,
    patch: async (path: string, body?: unknown, o?: RequestOptions<z.ZodType | undefined>) =>
      (await request('PATCH', path, { ...o, body })).body,
  };
  return client as unknown as ServiceClient;
}

export function buildUrl(baseUrl: string, path: string, query?: RequestOptions['query']): string {
  const url = new URL(`${baseUrl}${path.startsWith('/') ? path : `/${path}`}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
