import { parseWatchNamespaces, watchPaths } from '../../src/controller/watch-scope.js';

describe('WATCH_NAMESPACE', () => {
  it('unset or blank means the whole cluster', () => {
    expect(parseWatchNamespaces(undefined)).toEqual([]);
    expect(parseWatchNamespaces('')).toEqual([]);
    expect(parseWatchNamespaces(' , ')).toEqual([]);
  });

  it('takes a comma-separated list, trimmed and deduplicated', () => {
    expect(parseWatchNamespaces('tourkit, tourkit-staging ,tourkit')).toEqual([
      'tourkit',
      'tourkit-staging',
    ]);
  });

  it('rejects what cannot be a namespace, naming the variable and the value', () => {
    expect(() => parseWatchNamespaces('tourkit,Prod')).toThrow(
      'WATCH_NAMESPACE: "Prod" is not a namespace name',
    );
    expect(() => parseWatchNamespaces('a b')).toThrow('"a b"');
    expect(() => parseWatchNamespaces('x'.repeat(64))).toThrow('WATCH_NAMESPACE');
  });
});

describe('watch paths', () => {
  const schedules = {
    group: 'scaling.tourkit.dev',
    version: 'v1alpha1',
    plural: 'scalingschedules',
  };

  it('one cluster-wide path when no namespace is named', () => {
    expect(watchPaths(schedules, [])).toEqual([
      { namespace: undefined, path: '/apis/scaling.tourkit.dev/v1alpha1/scalingschedules' },
    ]);
  });

  it('one namespaced path per watched namespace', () => {
    expect(
      watchPaths({ group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers' }, [
        'a',
        'b',
      ]),
    ).toEqual([
      { namespace: 'a', path: '/apis/autoscaling/v2/namespaces/a/horizontalpodautoscalers' },
      { namespace: 'b', path: '/apis/autoscaling/v2/namespaces/b/horizontalpodautoscalers' },
    ]);
  });
});
