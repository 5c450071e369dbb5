import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startContractProxy, type ContractProxy } from './support/contract-proxy.js';
import { takeContractViolations } from './support/http.js';

// The recording proxy the k6 test puts between k6 and catalog (loadtests/test/k6-catalog.test.ts),
// in front of a small server that answers one documented and one undocumented status.
const notFound = {
  type: 'https://tourkit.dev/problems/not-found',
  title: 'Not found',
  status: 404,
  detail: 'no such tour',
};

let target: Server;
let proxy: ContractProxy;

beforeAll(async () => {
  target = createServer((request, reply) => {
    const status = request.method === 'GET' ? 404 : 418;
    reply
      .writeHead(status, {
        'content-type': 'application/problem+json',
        'x-seen': request.url ?? '',
      })
      .end(JSON.stringify({ ...notFound, status }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  proxy = await startContractProxy(
    `http://127.0.0.1:${(target.address() as AddressInfo).port}`,
    'catalog',
  );
});

afterAll(async () => {
  await proxy.stop();
  await new Promise((resolve) => target.close(resolve));
});

describe('the contract proxy', () => {
  test('forwards a documented answer unchanged and records nothing', async () => {
    const response = await fetch(`${proxy.url}/v1/tours/0b5c3c1e-2a43-4a8e-8f5e-3d6b1a2c9e01?a=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-seen')).toBe(
      '/v1/tours/0b5c3c1e-2a43-4a8e-8f5e-3d6b1a2c9e01?a=1',
    );
    expect(await response.json()).toEqual(notFound);
    expect(proxy.violations()).toEqual([]);
  });

  test('records an undocumented answer, naming the operation, and still forwards it', async () => {
    const response = await fetch(`${proxy.url}/v1/tours`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(418);
    const recorded = [
      expect.stringMatching(
        /^contract \(catalog's OpenAPI document\): .*418: status not documented for POST \/v1\/tours/,
      ),
    ];
    expect(proxy.violations()).toEqual(recorded);
    // The guard after each test sees it too (a test need not ask the proxy); taken, as provoked here.
    expect(takeContractViolations()).toEqual(recorded);
    expect(proxy.seen()).toBe(2);
  });
});
