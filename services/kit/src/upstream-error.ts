import { PROBLEM_BASE_URI, type ProblemBody } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type UpstreamErrorKind = 'timeout' | 'network' | 'status' | 'invalid-response';

/** A failed call to another service: no answer in time, no connection, an error status, or a body that fails its schema. */
export class UpstreamError extends Error {
  readonly service: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly kind: UpstreamErrorKind;
  /** HTTP status when the upstream answered. */
  readonly status: number | undefined;
  /** The upstream's problem+json (or JSON) error body, when it sent one. */
  readonly problem: Partial<ProblemBody> | undefined;

  constructor(init: {
    service: string;
    method: HttpMethod;
    url: string;
    kind: UpstreamErrorKind;
    status?: number;
    problem?: Partial<ProblemBody>;
    cause?: unknown;
  }) {
    super(
      `${init.service} ${init.method} ${init.url} failed: ${init.kind}${init.status ? ` ${init.status}` : ''}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'UpstreamError';
    this.service = init.service;
    this.method = init.method;
    this.url = init.url;
    this.kind = init.kind;
    this.status = init.status;
    this.problem = init.problem;
  }
}

/**
 * The slug of the problem another service answered with (`https://tourkit.dev/problems/<slug>`),
 * or undefined when the error is not such an answer: what callers branch on, rather than on the
 * status code (CONTRIBUTING.md, "Style rules").
 */
export function upstreamProblem(error: unknown): string | undefined {
  if (!(error instanceof UpstreamError) || error.kind !== 'status') return undefined;
  const type = error.problem?.type;
  if (typeof type !== 'string' || !type.startsWith(PROBLEM_BASE_URI)) return undefined;
  return type.slice(PROBLEM_BASE_URI.length);
}
