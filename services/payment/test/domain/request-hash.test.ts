import { requestHash } from '../../src/domain/request-hash.js';

test('the request hash ignores field order and sees every value', () => {
  expect(requestHash({ a: 1, b: 'x' })).toBe(requestHash({ b: 'x', a: 1 }));
  expect(requestHash({ a: 1, b: 'x' })).not.toBe(requestHash({ a: 2, b: 'x' }));
});
