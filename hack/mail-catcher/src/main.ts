// Local mail catcher for `make dev` (hack/dev.sh runs dist/main.js): SMTP on MAIL_CATCHER_SMTP_PORT (1025) keeps every message in
// memory; http://127.0.0.1:MAIL_CATCHER_HTTP_PORT (8025) lists them. Not for production: the
// kind deployment runs a real catcher (mailpit) instead.
import { createServer } from 'node:http';
import { inboxHandler } from './inbox-page.js';
import { startSmtpCapture } from './smtp-capture.js';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    console.error(`${name}: must be a port number (0-65535), got "${value}"`);
    process.exit(1);
  }
  return parsed;
}

const smtpPort = port('MAIL_CATCHER_SMTP_PORT', 1025);
const httpPort = port('MAIL_CATCHER_HTTP_PORT', 8025);
const host = process.env.MAIL_CATCHER_HOST || '127.0.0.1';
const capture = await startSmtpCapture({ port: smtpPort, host });
const web = createServer(inboxHandler(capture.messages));
web.listen(httpPort, host, () => {
  console.log(
    `mail catcher: SMTP smtp://${host}:${capture.port}, inbox http://${host}:${httpPort}`,
  );
});
const stop = () => {
  web.close();
  void capture.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
