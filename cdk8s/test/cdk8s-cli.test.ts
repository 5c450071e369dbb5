/**
 * cdk8s users run `cdk8s synth`: with cdk8s.yaml, the real cdk8s-cli writes the same files as
 * `make synth` (node dist/main.js), for the same settings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';

jest.setTimeout(120_000);

const cdk8sDir = path.resolve(import.meta.dirname, '..');
const cli = path.resolve(cdk8sDir, '..', 'node_modules', '.bin', 'cdk8s');
const settings = {
  TOURKIT_VALUES: 'development',
  TOURKIT_NAMESPACE: 'shop',
  TOURKIT_IMAGE_TAG: '7',
};

const filesIn = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

it('cdk8s synth writes what make synth writes', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'tourkit-cdk8s-'));
  try {
    const viaCli = path.join(work, 'cli');
    const viaMake = path.join(work, 'make');
    const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
    delete env.CDK8S_OUTDIR;
    execFileSync(cli, ['synth', '--output', viaCli], { cwd: cdk8sDir, env, stdio: 'pipe' });
    execFileSync(process.execPath, ['dist/main.js'], {
      cwd: cdk8sDir,
      env: { ...env, CDK8S_OUTDIR: viaMake },
      stdio: 'pipe',
    });
    const fromCli = filesIn(viaCli);
    expect(Object.keys(fromCli).sort()).toEqual([
      'tourkit-crds.k8s.yaml',
      'tourkit-hpa-handover.k8s.yaml',
      'tourkit-hpa-initial.k8s.yaml',
      'tourkit-namespace.k8s.yaml',
      'tourkit-operator.k8s.yaml',
      'tourkit.k8s.yaml',
    ]);
    expect(fromCli).toEqual(filesIn(viaMake));
    expect(fromCli['tourkit-namespace.k8s.yaml']).toContain('name: shop');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
