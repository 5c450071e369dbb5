import { errorToProblem } from '../src/problem-mapping.js';
import { UpstreamError } from '../src/upstream-error.js';

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
