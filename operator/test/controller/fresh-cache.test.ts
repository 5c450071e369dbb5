import type { KubernetesObject } from '@kubernetes/client-node';
import { FreshCache } from '../../src/controller/fresh-cache.js';

const at = (resourceVersion: string, label = ''): KubernetesObject => ({
  metadata: { name: 'x', resourceVersion, labels: { label } },
});

describe('FreshCache', () => {
  it('returns our newer write until the informer catches up, then the informer', () => {
    const cache = new FreshCache<KubernetesObject>();
    cache.remember('ns/x', at('12', 'mine'));
    expect(cache.read('ns/x', at('10'))?.metadata?.labels?.label).toBe('mine');
    expect(cache.isEcho('ns/x', at('12'))).toBe(true);
    expect(cache.isEcho('ns/x', at('13'))).toBe(false);
    expect(cache.read('ns/x', at('13', 'later'))?.metadata?.labels?.label).toBe('later');
    expect(cache.read('ns/x', at('11'))?.metadata?.resourceVersion).toBe('11'); // entry dropped
  });

  it('never brings back an object the informer no longer has', () => {
    const cache = new FreshCache<KubernetesObject>();
    cache.remember('ns/x', at('12'));
    expect(cache.read('ns/x', undefined)).toBeUndefined();
    // Nor later, once the informer sees an older copy again (a re-created object).
    expect(cache.read('ns/x', at('5'))?.metadata?.resourceVersion).toBe('5');
  });
});
