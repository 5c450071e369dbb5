import { UpstreamError, upstreamProblem } from '../src/upstream-error.js';

const answered = (status: number, problem?: Record<string, unknown>) =>
  new UpstreamError({
    service: 'catalog',
    method: 'POST',
    url: 'http://catalog/internal/tours/t/seats',
    kind: 'status',
    status,
    ...(problem ? { problem } : {}),
  });

describe('upstreamProblem', () => {
  test('is the slug of the Tourkit problem type another service answered with', () => {
    expect(
      upstreamProblem(answered(409, { type: 'https://tourkit.dev/problems/not-enough-seats' })),
    ).toBe('not-enough-seats');
  });

  test('is undefined without a Tourkit problem type: no body, a foreign type, no answer at all', () => {
    expect(upstreamProblem(answered(404))).toBeUndefined();
    expect(upstreamProblem(answered(404, { type: 'about:blank' }))).toBeUndefined();
    const timeout = new UpstreamError({
      service: 'catalog',
      method: 'GET',
      url: 'u',
      kind: 'timeout',
    });
    expect(upstreamProblem(timeout)).toBeUndefined();
    expect(upstreamProblem(new Error('not an upstream error'))).toBeUndefined();
  });
});
