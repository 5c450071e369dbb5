import { testNamespaceName } from '../src/names.js';

describe('testNamespaceName', () => {
  it('keeps a clean prefix and adds the random suffix', () => {
    expect(testNamespaceName('hpa', () => 'abc123')).toBe('hpa-abc123');
  });

  it('turns a free-form prefix into a DNS-1123 label', () => {
    expect(testNamespaceName('Booking HPA_scaling!', () => 'abc123')).toBe(
      'booking-hpa-scaling-abc123',
    );
  });

  it('never exceeds 63 characters nor ends the prefix with a dash', () => {
    const name = testNamespaceName(`${'a'.repeat(55)}-${'b'.repeat(20)}`, () => 'abc123');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name).not.toContain('--');
  });

  it('gives two namespaces of one prefix different names', () => {
    expect(testNamespaceName('same')).not.toBe(testNamespaceName('same'));
  });

  it('rejects a prefix without a letter or digit, naming it', () => {
    expect(() => testNamespaceName('__')).toThrow('namespace prefix "__"');
  });
});
