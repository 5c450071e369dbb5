import { HttpProblem, conflict, notFound, validationFailed } from '../src/errors.js';

describe('HttpProblem', () => {
  it('serializes to an RFC 9457 body with a stable type URI', () => {
    expect(notFound('Tour 42 does not exist.').toJSON()).toEqual({
      type: 'https://tourkit.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Tour 42 does not exist.',
    });
    expect(conflict().status).toBe(409);
  });

  it('carries extensions and field errors', () => {
    const problem = new HttpProblem(422, 'tour-full', 'Tour is full', {
      detail: 'Only 2 seats left.',
      extensions: { seatsLeft: 2 },
    });
    expect(problem.toJSON()).toMatchObject({
      type: 'https://tourkit.dev/problems/tour-full',
      seatsLeft: 2,
    });
    expect(
      validationFailed([{ field: 'email', message: 'Invalid email' }]).toJSON().errors,
    ).toEqual([{ field: 'email', message: 'Invalid email' }]);
  });
});
