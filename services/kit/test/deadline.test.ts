import { withDeadline } from '../src/deadline.js';

describe('withDeadline', () => {
  it('gives the value of a promise that settles in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1_000, 'too slow')).resolves.toBe(42);
  });

  it("passes on the promise's own rejection", async () => {
    await expect(
      withDeadline(Promise.reject(new Error('refused')), 1_000, 'too slow'),
    ).rejects.toThrow('refused');
  });

  it('rejects with the message when the promise never settles', async () => {
    await expect(
      withDeadline(new Promise<never>(() => {}), 10, 'Redis did not answer'),
    ).rejects.toThrow('Redis did not answer');
  });
});
