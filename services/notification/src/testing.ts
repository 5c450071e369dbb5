/**
 * Fixtures for tests (`@tourkit/notification/testing`). Services that send notifications test
 * against a recorder: a real HTTP server that answers POST /internal/notifications as notification
 * does and keeps what it got.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// The Message-ID notification gives an e-mail, so a test can find it in a mail catcher.
export { messageIdFor } from './domain/notification.js';

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface NotificationRecorder {
  url: string;
  /** Every accepted request, in order. */
  received: RecordedRequest[];
  /** While set, the recorder answers 503 problem+json, as an overloaded notification would. */
  setOutage(down: boolean): void;
  close(): Promise<void>;
}

/** Starts the recorder on a free loopback port; with `internalToken`, a request without it gets 401. */
export async function startNotificationRecorder(
  options: { internalToken?: string } = {},
): Promise<NotificationRecorder> {
  const received: RecordedRequest[] = [];
  let down = false;
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/internal/notifications') {
        res.writeHead(404).end();
        return;
      }
      if (options.internalToken && req.headers['x-internal-token'] !== options.internalToken) {
        res.writeHead(401).end();
        return;
      }
      if (down) {
        res.writeHead(503, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 503, title: 'down for the test' }));
        return;
      }
      received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID(), status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    setOutage(value) {
      down = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
