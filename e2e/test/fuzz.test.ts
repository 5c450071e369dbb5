import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createTour, placeBooking, signUp } from './support/actors.js';
import { expectAnswer } from './support/api.js';
import { contract } from './support/contract.js';
import { expectStatus } from './support/http.js';
import { publicOperations, type Operation } from './support/fuzz/openapi.js';
import {
  describeRequest,
  requestArbitrary,
  send,
  violation,
  type FuzzRequest,
  type FuzzResponse,
} from './support/fuzz/requests.js';
import { startPlatform, withLogsOnFailure, type Platform } from './support/platform.js';

// Every public operation, through the gateway, against hostile input generated from the OpenAPI
// documents the gateway serves: 0 responses 5xx, every 4xx a problem+json, every validation
// failure naming its fields. FUZZ_RUNS (cases per operation) and FUZZ_SEED make a run repeatable;
// FUZZ_SHRINK=1 shrinks a failure to a minimal case (slower: every shrink step is a request).

const RUNS = positiveInt('FUZZ_RUNS', 100);
const SEED = integer('FUZZ_SEED', 20_261_207);
const SHRINK = process.env.FUZZ_SHRINK === '1';

let platform: Platform | undefined;

beforeAll(async () => {
  platform = await startPlatform('fuzz', {
    // Every seat a fuzzed booking takes is held until it expires; a roomy tour keeps bookings possible.
    env: { booking: { PAYMENT_RETRY_BASE_MS: '200' } },
  });
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

interface Outcome {
  operation: string;
  runs: number;
  statuses: Map<number, number>;
  failure?: string;
}

test(
  `every public operation survives the fuzzer through the gateway (${RUNS} cases each, seed ${SEED})`,
  withLogsOnFailure(
    () => platform,
    async () => {
      const p = platform!;
      const operations = await gatewayOperations(p);
      // The documents must describe the routes: a fuzzer that found nothing to fuzz proves nothing.
      expect(operations.map((o) => o.name)).toEqual(
        expect.arrayContaining([
          'POST /v1/bookings',
          'GET /v1/tours',
          'PATCH /v1/users/me',
          'POST /v1/tours/{tourId}/reviews',
          'GET /v1/openapi/{service}.yaml',
        ]),
      );

      // Real ids, so that part of the cases reach the data instead of stopping at "not found".
      const traveller = await signUp(p, 'fuzz');
      const token = traveller.accessToken;
      const tour = await createTour(p, {
        title: 'Fuzzed tour',
        destination: 'Paris',
        country: 'FR',
        startsAt: new Date(Date.now() + 30 * 24 * 3_600_000),
        priceCents: 4_200,
        capacity: 100_000,
        operatorEmail: 'operator@example.test',
      });
      const booking = expectAnswer(
        await placeBooking(traveller, tour.id, 1, 'fuzz-setup'),
        201,
        'booking',
      );
      const known = {
        uuids: [tour.id as string, traveller.id, booking.id],
        byName: { tourId: [tour.id as string], tour: [tour.id as string] },
      };

      const outcomes: Outcome[] = [];
      for (const operation of operations) {
        const outcome: Outcome = { operation: operation.name, runs: 0, statuses: new Map() };
        let lastFailure: { request: FuzzRequest; problem: string } | undefined;
        const property = fc.asyncProperty(
          requestArbitrary(operation, known, { token }),
          async (request) => {
            outcome.runs += 1;
            const response = await send(p.url.gateway!, request);
            outcome.statuses.set(response.status, (outcome.statuses.get(response.status) ?? 0) + 1);
            const problem = violation(response) ?? contractViolation(operation, response);
            if (problem) {
              lastFailure = { request, problem: `${problem}: ${response.text.slice(0, 300)}` };
              return false;
            }
            return true;
          },
        );
        const details = await fc.check(property, {
          seed: seedFor(operation),
          numRuns: RUNS,
          endOnFailure: !SHRINK,
        });
        if (details.failed && lastFailure) {
          outcome.failure = `${lastFailure.problem}\n    ${describeRequest(lastFailure.request)}`;
        } else if (details.failed) {
          outcome.failure = String(details.errorInstance ?? 'failed');
        }
        outcomes.push(outcome);
      }

      process.stdout.write(`${report(outcomes)}\n`);
      const failures = outcomes.filter((o) => o.failure);
      expect(
        failures.map((o) => `${o.operation} (seed ${SEED}):\n  ${o.failure}`).join('\n\n'),
      ).toBe('');
      expect(outcomes.every((o) => o.runs >= RUNS)).toBe(true);
    },
  ),
  600_000,
);

/** The response against the public document's word for this operation (support/contract.ts). */
function contractViolation(operation: Operation, response: FuzzResponse): string | undefined {
  let body: unknown = response.text;
  if (/json/.test(response.contentType) && response.text !== '') {
    try {
      body = JSON.parse(response.text);
    } catch {
      return `HTTP ${response.status}: a ${response.contentType} body that is not JSON`;
    }
  }
  return contract().violation(
    'gateway',
    {
      method: operation.method,
      path: operation.path,
      status: response.status,
      contentType: response.contentType,
      body,
    },
    operation.path,
  );
}

/** The public operations of every document the gateway lists at /v1/openapi. */
async function gatewayOperations(p: Platform): Promise<Operation[]> {
  const index = expectStatus(await p.gateway.get('/v1/openapi'), 200, 'openapi index') as {
    specs: Array<{ service: string; url: string }>;
  };
  const operations: Operation[] = [];
  for (const { service, url } of index.specs) {
    // Through the checked client: GET /v1/openapi/{service}.yaml is a public operation too.
    const document = expectStatus(await p.gateway.get(url), 200, `${service}'s document`);
    operations.push(...publicOperations(service, document as string));
  }
  return operations;
}

/** One seed per operation, derived from FUZZ_SEED: adding an operation leaves the others' cases alone. */
function seedFor(operation: Operation): number {
  const digest = createHash('sha256').update(`${SEED}:${operation.name}`).digest();
  return digest.readInt32BE(0);
}

function report(outcomes: Outcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.operation.length));
  const lines = outcomes.map((o) => {
    const statuses = [...o.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
    return `  ${o.operation.padEnd(width)}  ${String(o.runs).padStart(5)} cases  ${o.failure ? 'FAILED' : 'ok    '}  ${statuses}`;
  });
  const total = outcomes.reduce((sum, o) => sum + o.runs, 0);
  return [
    `fuzz (seed ${SEED}, ${RUNS} cases per operation): ${total} requests over ${outcomes.length} operations`,
    ...lines,
  ].join('\n');
}

function positiveInt(name: string, fallback: number): number {
  const value = integer(name, fallback);
  if (value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer, not "${raw}"`);
  return Number(raw);
}
