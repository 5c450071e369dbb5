/**
 * hack/tools/trivy-config, the Trivy config scan that `make lint-manifests` runs: it reports a real
 * misconfiguration with its check ID, file and line; the ignore file silences exactly the IDs it
 * lists; a file it cannot check fails instead of passing; and every ID of hack/lint/trivy-ignored.txt
 * is still one the platform's own manifests trigger (an ignore that matches nothing is a stale one).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { EXAMPLE_PUBLIC_URL, synthPlatform } from './synth.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
const trivyConfig = execFileSync('bash', ['-c', '. hack/lib/common.sh && tool_path trivy-config'], {
  cwd: repo,
  encoding: 'utf8',
}).trim();
const built = (() => {
  try {
    accessSync(trivyConfig);
    return true;
  } catch {
    return false;
  }
})();

const ignoreFile = path.join(repo, 'hack', 'lint', 'trivy-ignored.txt');
const ignoredIds = readFileSync(ignoreFile, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split(/\s+/)[0]!);

const privileged = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'bad', namespace: 'tourkit' },
  spec: {
    containers: [
      {
        name: 'bad',
        image: 'registry.example.com/bad:1',
        securityContext: { privileged: true },
      },
    ],
  },
};

(built ? describe : describe.skip)(`trivy-config (${trivyConfig})`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tourkit-trivy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scan = (...args: string[]) => spawnSync(trivyConfig, args, { encoding: 'utf8' });

  it('reports a privileged container with its check ID, file and line, and exits 1', () => {
    const file = path.join(dir, 'privileged.yaml');
    writeFileSync(file, stringify(privileged));
    const out = scan(file);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(
      new RegExp(`^${file}:\\d+ KSV-0017 HIGH Privileged: Container 'bad' of Pod 'bad'`, 'm'),
    );
  });

  it('leaves out exactly the IDs of the ignore file', () => {
    const file = path.join(dir, 'privileged.yaml');
    writeFileSync(file, stringify(privileged));
    const ignore = path.join(dir, 'ignore');
    writeFileSync(ignore, '# a comment\nKSV-0017 the reason, not read\n');
    const out = scan('--ignorefile', ignore, file);
    expect(out.stdout).not.toContain('KSV-0017');
    expect(out.stdout).toMatch(/ KSV-\d+ /); // the pod's other findings are still there
    expect(out.stderr).toContain('findings (1 checks ignored)');
  });

  it('fails on a file it cannot check instead of passing it', () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'kind: [\n');
    const out = scan(file);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('no Kubernetes object was checked');
  });

  it("triggers every ignored check on the platform's production manifests (no stale ignore)", () => {
    const { platform } = synthPlatform({ publicUrl: EXAMPLE_PUBLIC_URL });
    const file = path.join(dir, 'platform.yaml');
    writeFileSync(file, platform.map((o) => stringify(o)).join('---\n'));
    const out = scan(file);
    expect(out.status).toBe(1);
    const reported = new Set([...out.stdout.matchAll(/ (KSV-\d+) /g)].map((m) => m[1]));
    expect([...reported].sort()).toEqual([...ignoredIds].sort());
  });
});
