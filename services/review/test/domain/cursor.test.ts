import { decodeCursor, encodeCursor } from '../../src/domain/cursor.js';

describe('page cursor', () => {
  test('round-trips', () => {
    const cursor = {
      createdAt: new Date('2030-01-02T03:04:05.678Z'),
      id: '3f0c8a2e-1b2c-4d5e-8f90-1234567890ab',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  test.each([
    '',
    'abc',
    Buffer.from('2030-01-01T00:00:00.000Z|nope').toString('base64url'),
    Buffer.from('yesterday|3f0c8a2e-1b2c-4d5e-8f90-1234567890ab').toString('base64url'),
  ])('rejects %j', (text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
