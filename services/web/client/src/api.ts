// The browser's only door to the platform: the public API (/v1) through this origin, which the
// web server forwards to the gateway. Every failure becomes an ApiError carrying the problem+json
// the platform sent (or one made here for a network failure), so pages can show it in words.

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  reason?: string;
}

import type { Schema } from '@tourkit/api-client';

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
  /** The last segment of the problem type, e.g. `validation-failed`. */
  get slug(): string | undefined {
    return this.problem.type?.split('/').pop();
  }
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.field === field)?.message;
  }
}

export interface RequestOptions {
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Status 0: the request never got an answer (offline, the server gone). */
export const NETWORK_FAILURE = 0;

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ title: 'Network error', status: NETWORK_FAILURE });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const problem =
      body && typeof body === 'object' && 'title' in body
        ? (body as Problem)
        : { title: response.statusText || 'Error', status: response.status };
    throw new ApiError({ ...problem, status: response.status });
  }
  return body as T;
}

/** A random UUID, also where crypto.randomUUID is missing (plain-HTTP origins are not "secure"). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The shapes the pages use: the public API's own schemas, as the typed client generates them from
// the gateway's public document (@tourkit/api-client; `make openapi`), so they cannot drift from
// what the services answer. Booking's statuses and what they allow live in booking-status.ts.

export type Tour = Schema<'Tour'>;
export type TourPage = Schema<'TourPage'>;
export type AppliedRule = Schema<'AppliedRule'>;
export type PriceBreakdown = Schema<'PriceBreakdown'>;
export type Booking = Schema<'Booking'>;
export type Review = Schema<'Review'>;

export interface WebClientConfig {
  supportRelay: boolean;
  supportEmail: string;
}

export type PaymentHealth = 'UP' | 'DOWN' | 'UNKNOWN';
