import { createApiClient, type ApiClient, type Middleware } from '@tourkit/api-client';
import { checkContract, parseBody } from './http.js';

/** Every response of the typed client checked against the public document, as http.ts does. */
const checkedAgainstContract: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const contentType = response.headers.get('content-type') ?? '';
    checkContract(
      'gateway',
      {
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        contentType,
        body: parseBody(contentType, await response.clone().text()),
      },
      schemaPath,
    );
    return undefined;
  },
};

/** The generated typed client of the public API (@tourkit/api-client), through the gateway at `baseUrl`. */
export function apiClient(baseUrl: string, token?: string): ApiClient {
  const client = createApiClient({ baseUrl, ...(token === undefined ? {} : { token }) });
  client.use(checkedAgainstContract);
  return client;
}

/** What a typed call answers (openapi-fetch's result, whatever the operation). */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a typed call that answered `status`; otherwise fails, naming the answer. */
export function expectAnswer<T>(answer: Answer<T>, status: number, what: string): T {
  if (answer.response.status !== status || answer.data === undefined) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${answer.response.status}: ${JSON.stringify(answer.error).slice(0, 800)}`,
    );
  }
  return answer.data;
}
