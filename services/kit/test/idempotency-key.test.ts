import { HttpProblem } from '../src/errors.js';
import { requireIdempotencyKey } from '../src/idempotency-key.js';

const withHeader = (value: string | undefined) => ({
  get: ((name: string) => (name.toLowerCase() === 'idempotency-key' ? value : undefined)) as never,
});

function problemOf(value: string | undefined): HttpProblem {
  try {
    requireIdempotencyKey(withHeader(value));
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error('expected a problem');
}

describe('requireIdempotencyKey', () => {
  test('returns a valid key', () => {
    expect(requireIdempotencyKey(withHeader('order-42_retry'))).toBe('order-42_retry');
  });

  test.each([
    ['missing', undefined, 'the Idempotency-Key header is required'],
    ['empty', '', 'must be 1 to 255 visible ASCII characters'],
    ['with a space', 'a b', 'must be 1 to 255 visible ASCII characters'],
    ['too long', 'k'.repeat(256), 'must be 1 to 255 visible ASCII characters'],
  ])('%s → 400 naming Idempotency-Key', (_label, value, message) => {
    const problem = problemOf(value);
    expect(problem).toBeInstanceOf(HttpProblem);
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ field: 'Idempotency-Key', message }]);
  });
});
