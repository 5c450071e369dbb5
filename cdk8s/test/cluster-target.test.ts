// How `make up` with KUBECONFIG set loads images into that cluster: kind, minikube, or a registry
// push. The kubeconfig views are what the real kubectl prints for files shaped as kind and minikube
// write them (the last block runs kubectl on such files and the CLI on its output).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toolPath } from '@tourkit/testenv';
import {
  chooseClusterTarget,
  targetShellLines,
  type KubeconfigView,
} from '../src/cluster-target.js';

const kindView: KubeconfigView = {
  'current-context': 'kind-tourkit',
  contexts: [{ name: 'kind-tourkit', context: { cluster: 'kind-tourkit' } }],
  clusters: [{ name: 'kind-tourkit', cluster: { server: 'https://127.0.0.1:40123' } }],
};
const minikubeView = (profile: string): KubeconfigView => ({
  'current-context': profile,
  contexts: [{ name: profile, context: { cluster: profile } }],
  clusters: [
    {
      name: profile,
      cluster: {
        server: 'https://192.168.49.2:8443',
        extensions: [{ name: 'cluster_info', extension: { provider: 'minikube.sigs.k8s.io' } }],
      },
    },
  ],
});
const otherView: KubeconfigView = {
  'current-context': 'prod-admin',
  contexts: [{ name: 'prod-admin', context: { cluster: 'prod' } }],
  clusters: [{ name: 'prod', cluster: { server: 'https://k8s.example.com:6443' } }],
};

describe('chooseClusterTarget', () => {
  it('loads into kind by the cluster name its context carries', () => {
    expect(chooseClusterTarget(kindView)).toEqual({
      load: 'kind',
      context: 'kind-tourkit',
      server: 'https://127.0.0.1:40123',
      kindCluster: 'tourkit',
    });
  });

  it('loads into minikube by the profile, recognised by its cluster_info extension, whatever its name', () => {
    expect(chooseClusterTarget(minikubeView('minikube'))).toMatchObject({
      load: 'minikube',
      minikubeProfile: 'minikube',
    });
    expect(chooseClusterTarget(minikubeView('demo'))).toMatchObject({
      load: 'minikube',
      minikubeProfile: 'demo',
    });
  });

  it('pushes to REGISTRY for any other cluster, and when REGISTRY is given for kind or minikube', () => {
    expect(chooseClusterTarget(otherView, { registry: 'registry.example.com:5000/team/' })).toEqual(
      {
        load: 'registry',
        context: 'prod-admin',
        server: 'https://k8s.example.com:6443',
        registry: 'registry.example.com:5000/team',
      },
    );
    expect(chooseClusterTarget(kindView, { registry: 'localhost:5001' })).toMatchObject({
      load: 'registry',
    });
  });

  it('refuses another cluster without REGISTRY, naming the context, its server and what to set', () => {
    expect(() => chooseClusterTarget(otherView)).toThrow(
      'context "prod-admin" (server https://k8s.example.com:6443) is neither kind nor minikube: give REGISTRY=host[:port][/path]',
    );
    expect(() => chooseClusterTarget(otherView, { imageLoad: 'registry' })).toThrow(
      'give REGISTRY=',
    );
  });

  it('lets IMAGE_LOAD override the detection, and refuses a value it does not know', () => {
    expect(chooseClusterTarget(otherView, { imageLoad: 'kind' })).toMatchObject({
      load: 'kind',
      kindCluster: 'prod-admin',
    });
    expect(chooseClusterTarget(kindView, { imageLoad: 'minikube' })).toMatchObject({
      load: 'minikube',
      minikubeProfile: 'kind-tourkit',
    });
    expect(() => chooseClusterTarget(kindView, { imageLoad: 'docker' })).toThrow(
      'IMAGE_LOAD "docker" is not one of kind, minikube, registry',
    );
  });

  it('refuses a REGISTRY that is no registry reference, and names that a shell would read', () => {
    expect(() => chooseClusterTarget(otherView, { registry: 'Registry.example.com' })).toThrow(
      'REGISTRY "Registry.example.com"',
    );
    expect(() => chooseClusterTarget(otherView, { registry: 'reg.example.com; rm -rf /' })).toThrow(
      'REGISTRY "',
    );
    const odd = { ...kindView, 'current-context': 'kind-a b', contexts: [{ name: 'kind-a b' }] };
    expect(() => chooseClusterTarget(odd)).toThrow('kind cluster name "a b"');
  });

  it('refuses a kubeconfig without a current context', () => {
    expect(() => chooseClusterTarget({})).toThrow('KUBECONFIG has no current context');
  });

  it('prints the decision as KEY=value lines for make', () => {
    expect(targetShellLines(chooseClusterTarget(kindView))).toBe(
      'IMAGE_LOAD=kind\nKIND_CLUSTER=tourkit\n',
    );
    expect(targetShellLines(chooseClusterTarget(minikubeView('demo')))).toBe(
      'IMAGE_LOAD=minikube\nMINIKUBE_PROFILE=demo\n',
    );
    expect(targetShellLines(chooseClusterTarget(otherView, { registry: 'localhost:5000' }))).toBe(
      'IMAGE_LOAD=registry\nREGISTRY=localhost:5000\n',
    );
  });
});

describe('make up reads the real kubectl output', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tourkit-cluster-target-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = path.resolve(import.meta.dirname, '../dist/cluster-target-cli.js');

  // Kubeconfig files as `kind create cluster` and `minikube start` write them (credentials left out).
  const kubeconfig = (name: string, cluster: string, server: string, extensions = '') => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${cluster}`,
        'clusters:',
        `- name: ${cluster}`,
        '  cluster:',
        `    server: ${server}`,
        extensions,
        'contexts:',
        `- name: ${cluster}`,
        '  context:',
        `    cluster: ${cluster}`,
        `    user: ${cluster}`,
        'users:',
        `- name: ${cluster}`,
        '  user: {}',
        '',
      ].join('\n'),
    );
    return file;
  };
  const decide = (file: string, env: Record<string, string> = {}) => {
    const view = execFileSync(toolPath('kubectl'), ['config', 'view', '--minify', '-o', 'json'], {
      env: { ...process.env, KUBECONFIG: file },
    });
    return spawnSync(process.execPath, [cli], {
      input: view,
      env: { ...process.env, IMAGE_LOAD: '', REGISTRY: '', ...env },
    });
  };

  it('kind', () => {
    const out = decide(kubeconfig('kind', 'kind-tourkit', 'https://127.0.0.1:40123'));
    expect(out.stdout.toString()).toBe('IMAGE_LOAD=kind\nKIND_CLUSTER=tourkit\n');
  });

  it('minikube', () => {
    const extensions = [
      '    extensions:',
      '    - name: cluster_info',
      '      extension:',
      '        last-update: Mon, 07 Dec 2026 18:00:00 UTC',
      '        provider: minikube.sigs.k8s.io',
      '        version: v1.37.0',
    ].join('\n');
    const out = decide(kubeconfig('minikube', 'minikube', 'https://192.168.49.2:8443', extensions));
    expect(out.stdout.toString()).toBe('IMAGE_LOAD=minikube\nMINIKUBE_PROFILE=minikube\n');
  });

  it('another cluster: REGISTRY, or a message and exit 2 without it', () => {
    const file = kubeconfig('other', 'prod', 'https://k8s.example.com:6443');
    expect(decide(file, { REGISTRY: 'localhost:5000' }).stdout.toString()).toBe(
      'IMAGE_LOAD=registry\nREGISTRY=localhost:5000\n',
    );
    const refused = decide(file);
    expect(refused.status).toBe(2);
    expect(refused.stderr.toString()).toContain(
      'make up: context "prod" (server https://k8s.example.com:6443) is neither kind nor minikube',
    );
  });
});
