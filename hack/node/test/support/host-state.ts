import { readFileSync, readdirSync, readlinkSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { RealNodeSettings } from '@tourkit/testenv';

/*
 * The machine is shared: other parts of the kit (hack/images runs its own containerd and BuildKit,
 * with mounts under its own cache directory, network namespaces and shims of its own binaries) change
 * the host while this test runs. The listing leaves out what is provably theirs, and keeps everything
 * the node could leave behind: any mount outside the kit's cache or in the node's directory, the
 * node's namespaces, shim sockets without a listener or served by the node's shim.
 */
function othersMount(mount: string, node: RealNodeSettings, line = ''): boolean {
  const cache = path.dirname(node.dir);
  const othersPath = (text: string) =>
    text.includes(`${cache}/`) && !text.includes(node.dir) && !text.includes(`${cache}/cluster`);
  // Under another area's cache, or made from it (e.g. a containerd client's /tmp/containerd-mount*
  // overlay of hack/images' snapshots).
  if (othersPath(mount) || othersPath(line)) return true;
  return mount.startsWith('/run/netns/') && !ownNetns(path.basename(mount), node);
}

function ownNetns(name: string, node: RealNodeSettings): boolean {
  return name === node.netns || name.startsWith('cni-');
}

/** Unix socket paths and the pids listening on them. */
function socketListeners(): Map<string, string[]> {
  const inodes = new Map<string, string>();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 8) inodes.set(fields[6]!, fields[7]!);
  }
  const listeners = new Map<string, string[]>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        const socketPath = inode ? inodes.get(inode) : undefined;
        if (socketPath) listeners.set(socketPath, [...(listeners.get(socketPath) ?? []), pid]);
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return listeners;
}

function othersShimSocket(
  entry: string,
  node: RealNodeSettings,
  listeners: Map<string, string[]>,
): boolean {
  if (!entry.startsWith('/run/containerd/s/')) return false;
  const pids = listeners.get(entry) ?? [];
  return pids.length > 0 && pids.every((pid) => !node.binaries.includes(exeOf(pid)));
}

function exeOf(pid: string): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

/** What the real node may add to the host, as a comparable listing. */
export interface HostState {
  mounts: string[];
  links: string[];
  netns: string[];
  /** The node's processes: running one of its binaries, or in its pods' cgroups. */
  processes: string[];
  /** The host namespace's iptables rules and chains (counters left out). */
  iptables: string[];
  /** Top-level cgroups of every hierarchy. */
  cgroups: string[];
  sysctls: string[];
  hostDirs: string[];
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

function sh(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function processes(node: RealNodeSettings): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`);
      const cgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      if (node.binaries.includes(exe) || cgroups.includes(`${node.cgroupRoot}/`)) {
        found.push(`${pid} ${exe}`);
      }
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return found.sort();
}

function cgroups(): string[] {
  const found: string[] = [];
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const dir = `/sys/fs/cgroup/${hierarchy}`;
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) found.push(`${hierarchy}/${entry.name}`);
      }
    } catch {
      // not a directory (a cgroup v2 interface file)
    }
  }
  return found.sort();
}

export function hostState(node: RealNodeSettings): HostState {
  const listeners = socketListeners();
  return {
    mounts: lines(readFileSync('/proc/self/mountinfo', 'utf8'))
      .filter((line) => !othersMount(line.split(' ')[4]!, node, line))
      .map((line) => line.split(' ')[4]!)
      .sort(),
    links: lines(sh('ip', ['-o', 'link', 'show']))
      .map((line) => line.split(':')[1]!.trim().split('@')[0]!)
      .sort(),
    netns: lines(sh('ip', ['netns', 'list']))
      .map((line) => line.split(' ')[0]!)
      .filter((name) => ownNetns(name, node))
      .sort(),
    processes: processes(node),
    iptables: lines(sh('iptables-save', []))
      .filter((line) => !line.startsWith('#'))
      .map((line) => line.replace(/\[\d+:\d+\]/, ''))
      .sort(),
    cgroups: cgroups(),
    sysctls: node.kubeletSysctls.map((key) => `${key}=${sh('sysctl', ['-n', key]).trim()}`),
    hostDirs: ['/run/netns', '/run/containerd', '/var/lib/cni', '/var/log/containers']
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => [
        dir,
        ...readdirSync(dir, { recursive: true }).map((entry) => `${dir}/${String(entry)}`),
      ])
      // containerd clients' FIFOs and runc state of another containerd (the node keeps its own
      // runc state under its state directory); shim sockets other shims serve; others' namespaces.
      .filter((entry) => !/^\/run\/containerd\/(fifo|runc)\//.test(entry))
      .filter((entry) => !othersShimSocket(entry, node, listeners))
      .filter((entry) => !othersMount(entry, node))
      .sort(),
  };
}
