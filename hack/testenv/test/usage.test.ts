import { clusterResourceUsageFor, usageExpression } from '../src/usage.js';

describe('simulated usage', () => {
  it("prefers the pod's own annotation, else the namespace value", () => {
    expect(usageExpression('cpu', '250m')).toBe(
      '"kwok.x-k8s.io/usage-cpu" in pod.metadata.annotations' +
        ' ? Quantity(pod.metadata.annotations["kwok.x-k8s.io/usage-cpu"]) : Quantity("250m")',
    );
  });

  it('rejects a value that is not a quantity, naming the resource', () => {
    expect(() => usageExpression('memory', '64 MB')).toThrow('simulated memory usage "64 MB"');
    expect(() => usageExpression('cpu', '1") || true || Quantity("1')).toThrow(
      'simulated cpu usage',
    );
  });

  it('selects exactly the namespace it is for', () => {
    const object = clusterResourceUsageFor('hpa-abc123', { cpu: '1' });
    expect(object.metadata.name).toBe('tourkit-test-hpa-abc123');
    expect(object.spec.selector).toEqual({ matchNamespaces: ['hpa-abc123'] });
    expect(object.spec.usages[0]?.usage.memory.expression).toContain('Quantity("16Mi")');
  });
});
