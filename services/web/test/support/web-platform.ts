import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from '@tourkit/kit/testing';
import { startContractProxy, type ContractProxy } from '@tourkit/e2e/support/contract-proxy';
import { eventually } from '@tourkit/e2e/support/eventually';
import {
  SUPPORT_EMAIL,
  startPlatform,
  type Platform,
  type PlatformOptions,
} from '@tourkit/e2e/support/platform';

const WEB_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface WebPlatform {
  platform: Platform;
  /** The web server, as a traveller's browser reaches it. */
  webUrl: string;
  /**
   * Between the web server and the gateway: every answer the browser's /v1 calls (and the web
   * server's own) get is checked against the public document; a violation fails the test that
   * caused it (the contract guard).
   */
  contract: ContractProxy;
  stop(): Promise<void>;
}

/**
 * The seven services as real processes (the e2e harness: real Postgres, Redis, SMTP capture) plus
 * the web server, as `make dev` runs them. Booking's PUBLIC_URL is the web server, as in a
 * deployment where the web app is the public face: the e-mailed pay-later links open the app.
 */
export async function startWebPlatform(
  name: string,
  options: PlatformOptions = {},
): Promise<WebPlatform> {
  const port = await closedPort();
  const webUrl = `http://127.0.0.1:${port}`;
  const platform = await startPlatform(name, {
    ...options,
    env: {
      ...options.env,
      booking: { PUBLIC_URL: webUrl, ...options.env?.booking },
    },
  });
  let contract: ContractProxy;
  try {
    contract = await startContractProxy(platform.url.gateway!, 'gateway');
  } catch (error) {
    await platform.stop();
    throw error;
  }
  const logFile = path.join(platform.logDir, 'web.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', WEB_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      SERVICE_NAME: 'web',
      PORT: String(port),
      LOG_LEVEL: 'info',
      GATEWAY_URL: contract.url,
      BOOKING_URL: platform.url.booking,
      NOTIFICATION_URL: platform.url.notification,
      INTERNAL_TOKEN: platform.internalToken,
      SUPPORT_EMAIL,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // As the e2e harness does for its services: the web server never outlives the test process.
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  try {
    await eventually(
      `web to be ready at ${webUrl}/readyz (log: ${logFile})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`web exited with ${child.exitCode}`);
        return (await fetch(`${webUrl}/readyz`)).status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    process.removeListener('exit', killNow);
    platform.printLogs('web did not start');
    await contract.stop();
    await platform.stop();
    throw error;
  }
  return {
    platform,
    webUrl,
    contract,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      process.removeListener('exit', killNow);
      await contract.stop();
      await platform.stop();
    },
  };
}
