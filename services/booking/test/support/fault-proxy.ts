import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with a matching request:
 * - `pass`: forwards it and relays the answer;
 * - `drop`: never forwards it and never answers (the caller times out; nothing happened);
 * - `apply-then-drop`: forwards it (the real service carries it out) but never answers: an
 *   unknown outcome that did happen;
 * - `fail`: answers 500 without forwarding;
 * - `pending`: forwards it and answers 202 with the real body's status set to PENDING (payment's
 *   "outcome not known yet");
 * - `fixed`: answers 200 with the rule's `body` (an endpoint the real service does not serve yet).
 */
export type FaultMode = 'pass' | 'drop' | 'apply-then-drop' | 'fail' | 'pending' | 'fixed';

export interface FaultRule {
  method: string;
  /** Matched against the request path (without the query). */
  path: RegExp;
  mode: FaultMode;
  body?: unknown;
}

export interface FaultProxy {
  url: string;
  /** Rules tried in order; a request no rule matches passes. */
  setRules(rules: FaultRule[]): void;
  /** How many requests matched each mode so far. */
  readonly seen: Record<FaultMode, number>;
  close(): Promise<void>;
}

/** A small HTTP proxy in front of a real service (catalog, payment), to inject faults per request. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let rules: FaultRule[] = [];
  const seen: Record<FaultMode, number> = {
    pass: 0,
    drop: 0,
    'apply-then-drop': 0,
    fail: 0,
    pending: 0,
    fixed: 0,
  };
  const held = new Set<ServerResponse>();

  async function forward(req: IncomingMessage, body: Buffer) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === 'host' || name === 'content-length') continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return fetch(`${target}${req.url}`, {
      method: req.method!,
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const rule = rules.find((r) => r.method === req.method && r.path.test(path));
      const mode = rule?.mode ?? 'pass';
      seen[mode]++;
      const body = Buffer.concat(chunks);
      const hold = () => {
        held.add(res);
        res.on('close', () => held.delete(res));
      };
      void (async () => {
        switch (mode) {
          case 'drop':
            return hold();
          case 'fixed':
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(rule?.body ?? {}));
            return;
          case 'fail':
            res.writeHead(500, { 'content-type': 'application/problem+json' });
            res.end(JSON.stringify({ status: 500, title: 'injected fault' }));
            return;
          case 'apply-then-drop':
            await forward(req, body).then((r) => r.arrayBuffer());
            return hold();
          case 'pending': {
            const answer = await forward(req, body);
            const json = (await answer.json()) as Record<string, unknown>;
            res.writeHead(answer.ok ? 202 : answer.status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(answer.ok ? { ...json, status: 'PENDING' } : json));
            return;
          }
          case 'pass': {
            const answer = await forward(req, body);
            const text = Buffer.from(await answer.arrayBuffer());
            res.writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'application/json',
            });
            res.end(text);
            return;
          }
        }
      })().catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setRules(next) {
      rules = next;
    },
    seen,
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
