import { contract, type SeenResponse } from './contract.js';

/** Tests read whatever JSON a route answers; the assertions state its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: JsonBody;
}

export interface JsonClient {
  readonly baseUrl: string;
  get(path: string, headers?: Record<string, string>): Promise<JsonResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonResponse>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonResponse>;
  /** The same client with more default headers (e.g. a bearer token). */
  with(headers: Record<string, string>): JsonClient;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Violations found and not yet taken. The throw alone is not enough: a caller may catch it (a poll
 * that retries, the fault suite's bookings, where a cut connection is an answer, a proxy answering
 * on), so each one is also kept here, and support/contract-guard.ts fails the test that saw it.
 */
const untaken: string[] = [];

/**
 * Throws when a response breaks the OpenAPI document of `documentOf` (a service, or `gateway` for the
 * public API; support/contract.ts): an undocumented status, content type or body. Every client here
 * calls it; so do the real-node tests for calls made inside a pod. The violation is also kept until
 * `takeContractViolations` (the guard after each test) takes it, even if the throw was caught.
 */
export function checkContract(documentOf: string, response: SeenResponse, template?: string): void {
  const broken = contract().violation(documentOf, response, template);
  if (!broken) return;
  const message = `contract (${documentOf}'s OpenAPI document): ${broken}`;
  untaken.push(message);
  throw new Error(message);
}

/**
 * checkContract for an answer a proxy passes on, its body as text: never throws, returns the
 * violation (also kept for the guard) or undefined. A body that says JSON and does not parse is
 * checked as the text, which no JSON schema accepts.
 */
export function checkPassedOn(
  documentOf: string,
  answer: Omit<SeenResponse, 'body'> & { text: string },
): string | undefined {
  const { text, ...seen } = answer;
  let body: unknown = text;
  try {
    body = parseBody(seen.contentType, text);
  } catch {
    // checked as the text
  }
  try {
    checkContract(documentOf, { ...seen, body });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The violations `checkContract` found since the last call, oldest first; they are forgotten. */
export function takeContractViolations(): string[] {
  return untaken.splice(0);
}

/** Throws, naming every violation, when checkContract found any not yet taken (and takes them). */
export function failOnContractViolations(when: string): void {
  const violations = takeContractViolations();
  if (violations.length === 0) return;
  throw new Error(
    `${violations.length} response(s) ${when} broke the OpenAPI documents:\n  ${violations.join('\n  ')}`,
  );
}

/** A response's body as the clients read it: JSON when its content type says so, else text. */
export function parseBody(contentType: string, text: string): JsonBody {
  return /json/.test(contentType) && text !== '' ? JSON.parse(text) : text;
}

/**
 * A small fetch client: JSON in, JSON (or text) out, never throws on an HTTP status. With
 * `documentOf` (a service, or `gateway` for the public API), every response is checked against
 * that OpenAPI document (support/contract.ts): an undocumented status, content type or body throws,
 * so the test that saw it fails.
 */
export function jsonClient(
  baseUrl: string,
  defaults: Record<string, string> = {},
  documentOf?: string,
): JsonClient {
  const call = async (
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse> => {
    const url = new URL(path, baseUrl);
    const response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...defaults,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const contentType = response.headers.get('content-type') ?? '';
    const parsed = parseBody(contentType, await response.text());
    if (documentOf !== undefined) {
      checkContract(documentOf, {
        method,
        path: url.pathname,
        status: response.status,
        contentType,
        body: parsed,
      });
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    baseUrl,
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body, headers) => call('POST', path, body, headers),
    put: (path, body, headers) => call('PUT', path, body, headers),
    with: (headers) => jsonClient(baseUrl, { ...defaults, ...headers }, documentOf),
  };
}

/** Fails with the response in the message when the status is not the expected one. */
export function expectStatus(response: JsonResponse, status: number, what: string): JsonBody {
  if (response.status !== status) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body).slice(0, 800)}`,
    );
  }
  return response.body;
}
