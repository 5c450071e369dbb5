import { z } from 'zod';
import { HttpProblem, conflict, notFound, validationFailed } from '../src/errors.js';
import { errorToProblem } from '../src/problem-mapping.js';
import { validate } from '../src/validation.js';
import { UpstreamError } from '../src/upstream-error.js';

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

describe('validate', () => {
  const schema = z.object({
    destination: z.string().min(1),
    travellers: z.array(z.object({ age: z.number().int().min(0) })).min(1),
  });

  it('returns the parsed value', () => {
    expect(validate(schema, { destination: 'Paris', travellers: [{ age: 30 }] }, 'body')).toEqual({
      destination: 'Paris',
      travellers: [{ age: 30 }],
    });
  });

  it('throws a 400 validation-failed problem listing each bad field by path', () => {
    let caught: unknown;
    try {
      validate(schema, { destination: '', travellers: [{ age: -1 }] }, 'body');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HttpProblem);
    const body = (caught as HttpProblem).toJSON();
    expect(body.status).toBe(400);
    expect(body.type).toBe('https://tourkit.dev/problems/validation-failed');
    expect(body.errors?.map((e) => e.field).sort()).toEqual(['destination', 'travellers.0.age']);
    expect(body.errors?.every((e) => e.message.length > 0)).toBe(true);
  });

  it('names every unknown key of a strict object as its own field, nested ones by path', () => {
    const strict = z.strictObject({
      name: z.string(),
      seasons: z.array(z.strictObject({ from: z.string() })),
    });
    let caught: unknown;
    try {
      validate(
        strict,
        { name: 'x', extra: 1, other: 2, seasons: [{ from: 'a', to: 'b' }] },
        'body',
      );
    } catch (error) {
      caught = error;
    }
    const errors = (caught as HttpProblem).errors ?? [];
    expect(errors.map((e) => e.field).sort()).toEqual(['extra', 'other', 'seasons.0.to']);
    expect(errors.every((e) => e.message === 'is not a known field')).toBe(true);
  });

  it('names the location when the whole value is wrong', () => {
    expect(() => validate(schema, 'text', 'query')).toThrow(HttpProblem);
    try {
      validate(schema, 'text', 'query');
    } catch (error) {
      expect((error as HttpProblem).errors?.[0]?.field).toBe('query');
    }
  });
});

describe('errorToProblem', () => {
  it('hides unknown errors behind a generic 500', () => {
    const problem = errorToProblem(new Error('password=hunter2 at db.ts:12'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem.toJSON())).not.toMatch(/hunter2|db\.ts/);
  });

  it('maps upstream failures to 502 and 504', () => {
    const base = { service: 'catalog', method: 'GET' as const, url: 'http://catalog/v1/tours/1' };
    expect(errorToProblem(new UpstreamError({ ...base, kind: 'status', status: 500 })).status).toBe(
      502,
    );
    expect(errorToProblem(new UpstreamError({ ...base, kind: 'timeout' })).status).toBe(504);
  });

  it('maps the database unavailable to 503 service-unavailable with retryAfterSeconds, a failed statement to 500', () => {
    const ended = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      severity: 'FATAL',
    });
    const problem = errorToProblem(ended);
    expect(problem.status).toBe(503);
    expect(problem.slug).toBe('service-unavailable');
    expect(problem.retryAfterSeconds).toBe(5);
    expect(problem.toJSON()).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(JSON.stringify(problem.toJSON())).not.toMatch(/administrator/);
    const duplicate = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(errorToProblem(duplicate).status).toBe(500);
  });

  it('maps body-parser errors', () => {
    expect(errorToProblem(Object.assign(new Error('x'), { type: 'entity.too.large' })).status).toBe(
      413,
    );
    expect(
      errorToProblem(Object.assign(new Error('x'), { type: 'entity.parse.failed' })).slug,
    ).toBe('malformed-json');
  });
});
