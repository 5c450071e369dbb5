import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  /** Resolves when the SMTP server answers a connection (health check). */
  verify(): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer, one connection per message: no pooled connection can outlive an SMTP
 * restart, and every send is bounded by `timeoutMs` in total (abort signal) so it always ends
 * inside the row's lease.
 */
export function createSmtpMailer(options: {
  url: string;
  from: string;
  timeoutMs: number;
}): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        ...(email.headers ? { headers: email.headers } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
