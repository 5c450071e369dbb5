import { createTtlMemo } from '../../src/domain/ttl-memo.js';

describe('createTtlMemo', () => {
  test('serves the loaded value until the TTL ends, then loads again', async () => {
    let clock = 0;
    const memo = createTtlMemo<string>(300_000, () => clock);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await memo.get('catalog', load)).toBe('v1');
    clock = 299_999;
    expect(await memo.get('catalog', load)).toBe('v1');
    clock = 300_000;
    expect(await memo.get('catalog', load)).toBe('v2');
  });

  test('keys are separate; concurrent callers share one load', async () => {
    const memo = createTtlMemo<string>(1_000, () => 0);
    let loads = 0;
    const load = async () => `v${++loads}`;
    const [a, b] = await Promise.all([memo.get('user', load), memo.get('user', load)]);
    expect([a, b]).toEqual(['v1', 'v1']);
    expect(await memo.get('review', load)).toBe('v2');
  });

  test('a failed load is not remembered', async () => {
    const memo = createTtlMemo<string>(1_000, () => 0);
    await expect(memo.get('booking', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect(await memo.get('booking', async () => 'back')).toBe('back');
  });
});
