import { readFileSync } from 'node:fs';
import { parseVersionsEnv, versionOf } from '../src/versions.js';

const complete = [
  '# comment',
  'KUBE_VERSION=v1.37.2',
  'ETCD_VERSION=v3.6.8',
  '',
  'KWOK_VERSION=v0.8.0',
  'METRICS_SERVER_VERSION=v0.9.0',
  'HELM_VERSION=v4.3.1',
  'K6_VERSION=v1.8.1',
  'PROMETHEUS_VERSION=v0.316.0',
  'ALERTMANAGER_VERSION=v0.35.0',
  'JAEGER_VERSION=v1.75.0',
].join('\n');

describe('parseVersionsEnv', () => {
  it('reads KEY=value lines and ignores comments and blank lines', () => {
    const versions = parseVersionsEnv(complete);
    expect(versions.KUBE_VERSION).toBe('v1.37.2');
    expect(versionOf('kube-scheduler', versions)).toBe('v1.37.2');
    expect(versionOf('metrics-server', versions)).toBe('v0.9.0');
    expect(versionOf('k6', versions)).toBe('v1.8.1');
    expect(versionOf('promtool', versions)).toBe('v0.316.0');
    expect(versionOf('jaeger', versions)).toBe('v1.75.0');
  });

  it('names a missing key', () => {
    expect(() => parseVersionsEnv(complete.replace('HELM_VERSION=v4.3.1', ''), 'v.env')).toThrow(
      'v.env: HELM_VERSION is missing',
    );
  });

  it('names the line that is not KEY=value', () => {
    expect(() => parseVersionsEnv(`${complete}\nKWOK VERSION v1`, 'v.env')).toThrow(
      'v.env:12: expected KEY=value',
    );
  });

  it('accepts the repository pins, one Kubernetes minor for every Kubernetes binary', () => {
    const pinned = parseVersionsEnv(
      readFileSync(new URL('../../tools/versions.env', import.meta.url), 'utf8'),
    );
    expect(pinned.KUBE_VERSION).toMatch(/^v1\.(3[5-9]|[4-9][0-9])\.[0-9]+$/);
  });
});
