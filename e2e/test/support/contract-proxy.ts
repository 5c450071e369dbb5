import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPassedOn } from './http.js';

/**
 * A recording proxy on 127.0.0.1 that checks every answer passing through it against an OpenAPI
 * document (`gateway` for the public API, or a service's), as the e2e clients check theirs. For
 * callers that cannot use those clients: k6 runs its scripts in its own JavaScript engine, not in
 * Node, so a load test is pointed at this proxy instead of its target. The proxy forwards each
 * request unchanged and never alters an answer; a violation is recorded here and kept for the
 * contract guard (support/contract-guard.ts), which fails the test that ran the traffic.
 */
export interface ContractProxy {
  readonly url: string;
  /** Requests answered so far. */
  readonly seen: () => number;
  /** One line per undocumented answer: the contract check's message. */
  readonly violations: () => readonly string[];
  stop(): Promise<void>;
}

/** Headers the proxy leaves to the connection it makes (and to the one it answers on). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'host',
  'content-length',
]);
/** fetch hands the body over decoded, so the answer goes out without its encoding. */
const NOT_ANSWERED = new Set([...HOP_BY_HOP, 'content-encoding']);

async function bodyOf(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}

export async function startContractProxy(
  target: string,
  documentOf: string,
): Promise<ContractProxy> {
  let seen = 0;
  const violations: string[] = [];
  const server = createServer((request, reply) => {
    void (async () => {
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        HOP_BY_HOP.has(name) || value === undefined
          ? []
          : [[name, String(value)] as [string, string]],
      );
      const body = await bodyOf(request);
      const url = new URL(request.url ?? '/', target);
      const response = await fetch(url, {
        method: request.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        // A redirect is an answer to check and to hand on, not one for the proxy to follow.
        redirect: 'manual',
      });
      const text = await response.text();
      const contentType = response.headers.get('content-type') ?? '';
      seen += 1;
      const violation = checkPassedOn(documentOf, {
        method: request.method ?? 'GET',
        path: url.pathname,
        status: response.status,
        contentType,
        text,
      });
      if (violation) violations.push(violation);
      const answer = [...response.headers].filter(([name]) => !NOT_ANSWERED.has(name));
      reply.writeHead(response.status, Object.fromEntries(answer)).end(text);
    })().catch((error: unknown) => {
      violations.push(`proxy: ${String(error)}`);
      reply.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen: () => seen,
    violations: () => violations,
    stop: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
