import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { fileInMailbox, toCapturedMail, type CapturedMail } from './captured-mail.js';

export interface SmtpCapture {
  readonly port: number;
  readonly url: string;
  /** The mailbox: one message per Message-ID (the first), its retransmissions counted on it. */
  readonly messages: CapturedMail[];
  /** Stops listening (connections are cut): "SMTP down". */
  stop(): Promise<void>;
  /** Listens again on the same port, keeping the messages received so far. */
  start(): Promise<void>;
  /** While held, sessions wait at RCPT TO, before any message data is sent. */
  hold(): void;
  release(): void;
  /** Sessions currently waiting at RCPT TO because of hold(). */
  readonly waiting: number;
  /** Resolves once `predicate` holds for the messages (checked on every new message). */
  waitFor(predicate: (messages: CapturedMail[]) => boolean, timeoutMs?: number): Promise<void>;
}

/**
 * An SMTP server (smtp-server, no auth, no TLS) that keeps every message in memory. A message
 * counts as received when the server answers the end of DATA, i.e. the moment a real MTA would
 * take responsibility for it. A message whose Message-ID is already in the mailbox is counted as
 * a retransmission of it, not kept twice (notification sends at least once with a stable
 * Message-ID: services/notification/README.md). Used by the tests and by the dev mail catcher.
 */
export async function startSmtpCapture(
  options: { port?: number; host?: string } = {},
): Promise<SmtpCapture> {
  const host = options.host ?? '127.0.0.1';
  const messages: CapturedMail[] = [];
  const listeners = new Set<() => void>();
  let held: Array<() => void> | undefined;
  let server: SMTPServer | undefined;
  let port = options.port ?? 0;

  const listen = async () => {
    const instance = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 100,
      onRcptTo(_address, _session, callback) {
        if (held) held.push(() => callback());
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          fileInMailbox(
            messages,
            toCapturedMail(raw, {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            }),
          );
          callback();
          for (const listener of listeners) listener();
        });
      },
    });
    instance.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.listen(port, host, () => resolve());
    });
    port = (instance.server.address() as AddressInfo).port;
    server = instance;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://${host}:${port}`;
    },
    messages,
    get waiting() {
      return held?.length ?? 0;
    },
    async stop() {
      const instance = server;
      server = undefined;
      if (instance) await new Promise<void>((resolve) => instance.close(() => resolve()));
    },
    start: listen,
    hold() {
      held ??= [];
    },
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const proceed of waiting) proceed();
    },
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        if (predicate(messages)) return resolve();
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for mail (${messages.length} received)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(messages)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      });
    },
  };
}
