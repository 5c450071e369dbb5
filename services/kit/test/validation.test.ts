import { z } from 'zod';
import { HttpProblem } from '../src/errors.js';
import { validate } from '../src/validation.js';

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
