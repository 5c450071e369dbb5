import { createApiClient, type ApiClient, type Middleware } from '@tourkit/api-client';
import { contract } from './contract.js';

/** Every response of the typed client checked against the public document, as http.ts does. */
const checkedAgainstContract: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.clone().text();
    const body: unknown = /json/.test(contentType) && text !== '' ? JSON.parse(text) : text;
    const broken = contract().violation(
      'gateway',
      {
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        contentType,
        body,
      },
      schemaPath,
    );
    if (broken) throw new Error(`contract (the public OpenAPI document): ${broken}`);
    return undefined;
  },
};

/** The generated typed client of the public API (@tourkit/api-client), through the gateway at `baseUrl`. */
export function apiClient(baseUrl: string, token?: string): ApiClient {
  const client = createApiClient({ baseUrl, ...(token === undefined ? {} : { token }) });
  client.use(checkedAgainstContract);
  return client;
}
