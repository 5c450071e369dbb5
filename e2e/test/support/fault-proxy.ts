import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPassedOn } from './http.js';

// An HTTP proxy the fault suite puts between two services (booking → catalog), so a fault lands
// at one saga step exactly: a matching request is carried to the service (which acts on it), and
// its answer is held back until the test decides what the caller gets, typically nothing (the
// connection cut, as when the service dies before answering). Everything else passes through.
// Every answer the upstream gives, held or not, is checked against the upstream's OpenAPI document
// (a violation fails the test through the contract guard; the answer still goes on unchanged).

export interface HeldExchange {
  method: string;
  path: string;
  /** The upstream's status; the caller has not seen it. */
  status: number;
}

export interface FaultProxy {
  readonly url: string;
  /** Where requests go; set once the upstream's port is known. */
  target: string | undefined;
  /** From now on, hold the answers to requests this matches (the request still reaches the upstream). */
  holdAnswers(match: (method: string, path: string) => boolean): void;
  /** Exchanges whose answers are being held. */
  readonly held: readonly HeldExchange[];
  /** Stops holding; cuts the held callers' connections (they never get the answer). */
  cutHeld(): number;
  close(): Promise<void>;
}

interface Holding {
  exchange: HeldExchange;
  res: ServerResponse;
}

/** `documentOf`: the OpenAPI document the upstream answers by (a service's name, as in checkContract). */
export async function startFaultProxy(documentOf: string): Promise<FaultProxy> {
  let match: ((method: string, path: string) => boolean) | undefined;
  let holding: Holding[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    if (proxy.target === undefined) {
      res.socket?.destroy();
      return;
    }
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const hold = match?.(method, path) ?? false;
    const upstream = request(
      new URL(path, proxy.target),
      { method, headers: { ...req.headers, connection: 'close' } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          // A violation is kept for the contract guard; the caller gets the answer as it came.
          checkPassedOn(documentOf, {
            method,
            path: new URL(path, proxy.target).pathname,
            status: answer.statusCode ?? 0,
            contentType: String(answer.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          });
          if (hold) {
            holding.push({ exchange: { method, path, status: answer.statusCode ?? 0 }, res });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
        answer.on('error', () => res.socket?.destroy());
      },
    );
    // The upstream is down (refused, reset): the caller's connection is cut the same way.
    upstream.on('error', () => res.socket?.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    target: undefined,
    holdAnswers(predicate) {
      match = predicate;
    },
    get held() {
      return holding.map((h) => h.exchange);
    },
    cutHeld() {
      match = undefined;
      const cut = holding.length;
      for (const h of holding) h.res.socket?.destroy();
      holding = [];
      return cut;
    },
    async close() {
      proxy.cutHeld();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
