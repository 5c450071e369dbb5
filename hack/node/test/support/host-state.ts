import { readFileSync, readdirSync, readlinkSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { RealNodeSettings } from '@tourkit/testenv';

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
  return {
    mounts: lines(readFileSync('/proc/self/mountinfo', 'utf8'))
      .map((line) => line.split(' ')[4]!)
      .sort(),
    links: lines(sh('ip', ['-o', 'link', 'show']))
      .map((line) => line.split(':')[1]!.trim().split('@')[0]!)
      .sort(),
    netns: lines(sh('ip', ['netns', 'list'])).sort(),
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
      ]),
  };
}
