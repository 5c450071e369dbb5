import { parseRealNodeSettings } from '../src/node.js';

const printed = [
  'NODE_NAME=tourkit-node',
  'NODE_NETNS=tourkit-node',
  'NODE_IP=10.254.0.2',
  'NODE_HOST_IP=10.254.0.1',
  'NODE_VETH_HOST=tk-node0',
  'NODE_DIR=/cache/node',
  'NODE_CGROUP_ROOT=/tourkit-node',
  'CONTAINERD_SOCKET=/cache/node/run/containerd/containerd.sock',
  'SANDBOX_IMAGE=registry.k8s.io/pause:3.10.2',
  'COREDNS_IMAGE=tourkit.local/coredns:v1.15.0',
  'CLUSTER_DNS_IP=10.96.0.10',
  'NODE_TAINT_KEY=tourkit.dev/real-node',
  'NODE_LABEL=tourkit.dev/node=real',
  'KUBELET_SYSCTLS=vm.overcommit_memory kernel.panic',
  'BINARIES=/t/containerd /t/kubelet /usr/bin/socat',
  'CRICTL=/t/crictl',
  'CTR=/t/ctr',
  'NAMESPACE_ANNOTATION=scheduler.alpha.kubernetes.io/node-selector=tourkit.dev/node=real',
  'NAMESPACE_ANNOTATION=scheduler.alpha.kubernetes.io/defaultTolerations=[{"key":"k","operator":"Exists"}]',
  '',
].join('\n');

describe('parseRealNodeSettings', () => {
  it('keeps everything after the first = as the value, and splits the lists', () => {
    const settings = parseRealNodeSettings(printed);
    expect(settings.label).toBe('tourkit.dev/node=real');
    expect(settings.kubeletSysctls).toEqual(['vm.overcommit_memory', 'kernel.panic']);
    expect(settings.binaries).toEqual(['/t/containerd', '/t/kubelet', '/usr/bin/socat']);
  });

  it('reads the namespace annotations as a map', () => {
    expect(parseRealNodeSettings(printed).namespaceAnnotations).toEqual({
      'scheduler.alpha.kubernetes.io/node-selector': 'tourkit.dev/node=real',
      'scheduler.alpha.kubernetes.io/defaultTolerations': '[{"key":"k","operator":"Exists"}]',
    });
  });

  it('names a missing setting and a line that is not KEY=value', () => {
    expect(() => parseRealNodeSettings(printed.replace('NODE_IP=10.254.0.2\n', ''))).toThrow(
      'hack/node/settings.sh: NODE_IP is missing',
    );
    expect(() => parseRealNodeSettings(`${printed}garbage\n`)).toThrow(
      'expected KEY=value, got "garbage"',
    );
  });
});
