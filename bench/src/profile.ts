// `npx tsx bench/src/profile.ts <file.cpuprofile> [top]`: where a process's busy time went, by
// package (self time; idle time left out), then its costliest functions. The bench writes one
// profile per service with BENCH_CPU_PROF=<dir> (node --cpu-prof).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** A frame's owner: an npm package, a Tourkit package's file, a node: module, or the VM itself. */
export function owner(url: string, functionName: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/services\/([^/]+)\/dist\/(.+)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return url;
  return url === '' ? `(${functionName || 'native'})` : basename(url);
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/src/profile.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const IDLE = new Set(['(idle)', '(program)']);
const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
let busy = 0;
for (const id of profile.samples) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (IDLE.has(functionName)) continue;
  busy += 1;
  const who = owner(url, functionName);
  byOwner.set(who, (byOwner.get(who) ?? 0) + 1);
  const name = `${functionName || '(anonymous)'} ${who}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
}
const print = (title: string, counts: Map<string, number>) => {
  console.log(title);
  for (const [name, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * count) / busy).toFixed(1).padStart(5)}%  ${name}`);
};
console.log(`${busy} busy samples of ${profile.samples.length}`);
print('— self time by owner', byOwner);
print('— self time by function', byFunction);
